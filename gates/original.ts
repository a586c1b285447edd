/**
 * The original arbybot's own gate checks, restated from its scripts (see
 * ../shared/reference/upstream-gap.md §3) and run on ARBY's artifacts as a second opinion:
 * they read the raw JSON the way the original's Python did, not through ARBY's schemas.
 *
 * - seed M3 (`ci_m3_gate.check_artifact_sanity`, 85f0676): truth report keys and the 4 buckets;
 * - seed M4 (`ci_m4_gate.check_m4_invariants`, 85f0676): run mode, schema, pinned block,
 *   quotes fetched, nothing execution-ready, reject codes, the M4 blocker;
 * - last 3.0.0 M4 (`ci_m4_gate`, 87a67a8): strict invariants on the snapshot, cross-DEX and
 *   consistency checks.
 */
import type { Report } from './_gate.ts'

type Json = Record<string, any>
export type RawRun = { snapshot: Json; histogram: Json; truth: Json }

/** The seed M4 gate's `valid_codes` (an unknown code was only a warning there). */
const SEED_VALID_CODES = new Set(['QUOTE_REVERT', 'SLIPPAGE_TOO_HIGH', 'INFRA_RPC_ERROR', 'INFRA_BLOCK_PIN_FAILED', 'PRICE_SANITY_FAILED', 'POOL_NO_LIQUIDITY', 'QUOTE_TIMEOUT', 'INFRA_TIMEOUT', 'PREFLIGHT_VALIDATION_FAILED'])

export function seedM3(report: Report, { truth }: RawRun): void {
  const keys = ['schema_version', 'health', 'top_opportunities', 'stats']
  report.expect(keys.every((key) => key in truth), `arbybot M3: truth report has ${keys.join(', ')}`)
  const breakdown = truth.health?.gate_breakdown ?? {}
  report.expect(['revert', 'slippage', 'infra', 'other'].every((key) => key in breakdown), 'arbybot M3: health.gate_breakdown has revert, slippage, infra, other')
}

export function seedM4(report: Report, { snapshot, histogram, truth }: RawRun): void {
  report.expect(truth.run_mode === 'REGISTRY_REAL', `arbybot M4 (seed): run_mode ${truth.run_mode}`)
  report.expect(truth.schema_version === '3.0.0', `arbybot M4 (seed): schema_version ${truth.schema_version}`)
  report.expect(typeof snapshot.current_block === 'number' && snapshot.current_block > 0, `arbybot M4 (seed): snapshot current_block ${snapshot.current_block} > 0`)
  report.expect((snapshot.stats?.quotes_fetched ?? 0) >= 1, `arbybot M4 (seed): snapshot stats.quotes_fetched ${snapshot.stats?.quotes_fetched} >= 1`)
  report.expect(truth.stats?.execution_ready_count === 0, 'arbybot M4 (seed): truth stats.execution_ready_count == 0')
  // The original only warned on codes outside its 9; ARBY's closed list is larger (every code it emits is documented).
  const unknown = Object.keys(histogram.histogram ?? {}).filter((code) => !SEED_VALID_CODES.has(code))
  if (unknown.length) console.log(`⚠ arbybot M4 (seed) would warn: codes outside its 9 valid ones: ${unknown.join(', ')} (ARBY's closed list, README)`)
  const opportunities: Json[] = truth.top_opportunities ?? []
  report.expect(opportunities.every((o) => (o.execution_blockers ?? []).includes('EXECUTION_DISABLED_M4')), `arbybot M4 (seed): every top opportunity carries EXECUTION_DISABLED_M4 (${opportunities.length})`)
}

export function lastM4(report: Report, { snapshot, truth }: RawRun): void {
  const stats = snapshot.stats ?? {}
  const rpc = snapshot.rpc_stats ?? {}
  report.expect(snapshot.run_mode === 'REGISTRY_REAL', `arbybot M4 (87a67a8): snapshot run_mode ${snapshot.run_mode}`)
  report.expect(snapshot.current_block > 0, `arbybot M4 (87a67a8): snapshot current_block ${snapshot.current_block} > 0`)
  report.expect(truth.stats?.execution_ready_count === 0, 'arbybot M4 (87a67a8): execution_ready_count == 0')
  report.expect((stats.quotes_fetched ?? 0) >= 1, `arbybot M4 (87a67a8): quotes_fetched ${stats.quotes_fetched} >= 1`)
  report.expect((rpc.success_rate ?? 0) > 0, `arbybot M4 (87a67a8): rpc_stats.success_rate ${rpc.success_rate} > 0`)
  report.expect((stats.dexes_active ?? 0) >= 2, `arbybot M4 (87a67a8): stats.dexes_active ${stats.dexes_active} >= 2`)
  report.expect((rpc.total_requests ?? 0) >= 3, `arbybot M4 (87a67a8): rpc_stats.total_requests ${rpc.total_requests} >= 3`)

  // Cross-DEX.
  const opportunities: Json[] = truth.top_opportunities ?? []
  if (opportunities.length === 0) {
    report.expect((stats.quotes_fetched ?? 0) < 2, 'arbybot cross-DEX: no opportunity is only acceptable with fewer than 2 quotes')
  } else {
    report.expect(opportunities.some((o) => o.dex_buy && o.dex_sell && o.dex_buy !== o.dex_sell), 'arbybot cross-DEX: at least one opportunity buys and sells on different DEXes')
    report.expect(opportunities.every((o) => o.pool_buy && o.pool_sell && o.pool_buy !== 'unknown' && o.pool_sell !== 'unknown'), 'arbybot cross-DEX: no "unknown" pool')
    report.expect(opportunities.filter((o) => o.is_profitable).every((o) => Number(o.amount_in_numeraire) > 0), 'arbybot cross-DEX: every profitable opportunity has amount_in_numeraire > 0')
    report.expect(opportunities.every((o) => Array.isArray(o.execution_blockers) && o.execution_blockers.length > 0), 'arbybot cross-DEX: every opportunity has execution_blockers')
  }

  // Consistency.
  report.expect(stats.quotes_fetched === truth.stats?.quotes_fetched, `arbybot consistency: quotes_fetched snapshot ${stats.quotes_fetched} = truth ${truth.stats?.quotes_fetched}`)
  report.expect(stats.dexes_active === truth.health?.dexes_active, `arbybot consistency: dexes_active snapshot ${stats.dexes_active} = truth ${truth.health?.dexes_active}`)
  report.expect(!opportunities.some((o) => o.is_execution_ready === true), 'arbybot consistency: nothing is_execution_ready while execution_ready_count == 0')
}
