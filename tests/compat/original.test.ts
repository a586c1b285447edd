import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { readRun, runCli, tempDir } from '../helpers/cli.ts'
import { configWithRpc } from '../helpers/config.ts'

/**
 * A consumer written for the original arbybot's TruthReport 3.0.0 reads ARBY's artifacts:
 * every field it reads is there with the original's type and format, and its value follows
 * from ARBY's own exact fields (checked here independently, on raw JSON).
 */
type Json = Record<string, any>

const DECIMAL6 = /^-?(0|[1-9]\d*)\.\d{6}$/
const DECIMAL2 = /^-?(0|[1-9]\d*)\.\d{2}$/

/** base units → fixed 6 places, truncated (the original's format_money). */
function fixed6(units: bigint, decimals: number): string {
  const negative = units < 0n
  const abs = negative ? -units : units
  const scaled = decimals >= 6 ? abs / 10n ** BigInt(decimals - 6) : abs * 10n ** BigInt(6 - decimals)
  return `${negative && scaled > 0n ? '-' : ''}${scaled / 1_000_000n}.${(scaled % 1_000_000n).toString().padStart(6, '0')}`
}

const DECIMALS: Record<string, number> = { WETH: 18, USDC: 6, USDT: 6, WBTC: 8, ARB: 18 }

function checkConsumerView(run: ReturnType<typeof readRun>, blocker: string): void {
  const truth: Json = run.truths.at(-1)
  const snapshot: Json = run.snapshots.at(-1)
  const histogram: Json = run.histograms.at(-1)

  // Top level.
  expect(truth.mode).toBe('REGISTRY')
  expect(truth.schema_version).toBe('3.0.0')
  expect(truth.execution_blocker).toBe(blocker)
  expect(Object.keys(truth.revalidation).sort()).toEqual(['gates_changed', 'gates_changed_pct', 'passed', 'total'])
  expect(truth.revalidation.gates_changed_pct).toMatch(/^\d+\.\d$/)
  expect(truth.cumulative_pnl.total_usdc).toMatch(DECIMAL6)
  expect(truth.cumulative_pnl.total_bps).toMatch(DECIMAL2)
  for (const key of ['signal_pnl_usdc', 'would_execute_pnl_usdc']) expect(truth.pnl[key]).toMatch(DECIMAL6)
  for (const key of ['signal_pnl_bps', 'would_execute_pnl_bps']) expect(truth.pnl[key]).toMatch(DECIMAL2)
  expect(truth.pnl_normalized).toEqual({ notion_capital_numeraire: '10000.000000', normalized_return_pct: '0.0000', numeraire: 'USDC' })

  // health: the original's names, its meanings.
  const health = truth.health
  expect(health.rpc_total_requests).toBe(health.rpc.total_requests)
  expect(health.rpc_failed_requests).toBe(health.rpc.failed_requests)
  expect(Number.isInteger(health.rpc_avg_latency_ms)).toBe(true)
  expect(health.quote_fetch_rate).toBe(Math.round((health.quotes_fetched / health.quotes_total) * 1000) / 1000)
  expect(health.quote_gate_pass_rate).toBe(Math.round((health.gates_passed / health.quotes_fetched) * 1000) / 1000)
  // gates_passed = quotes that passed every quote gate (the original's meaning), not opportunities.
  expect(health.gates_passed).toBe(snapshot.quotes.filter((q: Json) => q.status === 'ok').length)
  expect(health.chains_active).toBe(1)
  expect(health.pairs_covered).toBe(new Set(snapshot.quotes.map((q: Json) => q.pair)).size)
  expect(health.pools_scanned).toBe(snapshot.registry.pools.length)
  const byCode = Object.entries(histogram.by_code as Record<string, number>).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  expect(health.top_reject_reasons).toEqual(byCode.slice(0, 5))
  const quotedDexes = [...new Set(snapshot.quotes.filter((q: Json) => q.amount_out !== null && q.amount_out !== '0').map((q: Json) => q.venue.split(':')[0]))].sort()
  expect(health.dex_coverage.dexes_active_ids).toEqual(quotedDexes)
  expect(health.dex_coverage.dexes_active).toBe(quotedDexes.length)
  expect(health.dexes_active).toBe(quotedDexes.length)
  expect(health.blocker_histogram).toEqual(snapshot.opportunities.length ? { [blocker]: snapshot.opportunities.length } : {})

  // stats: the original's counters.
  const stats = truth.stats
  expect(stats.spread_ids_total).toBe(stats.candidates_total)
  expect(stats.spread_ids_profitable).toBe(stats.opportunities)
  expect(stats.blocked_spreads).toBe(stats.opportunities)
  expect([stats.spread_ids_executable, stats.signals_executable, stats.execution_ready_count]).toEqual([0, 0, 0])
  expect(stats.signals_total).toBe(truth.spread_signals.length)
  expect(stats.dexes_active).toBe(health.dexes_active)

  // Every opportunity, as the original's consumer reads it.
  const ids = new Set<string>()
  for (const o of snapshot.opportunities as Json[]) {
    expect(o.spread_id).toMatch(/^spread_\d+_\d{8}_\d{6}_\d+$/)
    expect(o.opportunity_id).toBe(`opp_${o.spread_id}`)
    expect(ids.has(o.spread_id)).toBe(false)
    ids.add(o.spread_id)
    expect([o.dex_buy, o.dex_sell, o.pool_buy, o.pool_sell, o.token_in, o.token_out]).toEqual([o.buy.dex, o.sell.dex, o.buy.pool, o.sell.pool, o.base, o.quote])
    expect(o.chain_id).toBe(42_161)
    expect(o.amount_in_numeraire).toBe(fixed6(BigInt(o.size), DECIMALS[o.base]!))
    expect(o.amount_out_numeraire).toBe(fixed6(BigInt(o.sell.amount_out), DECIMALS[o.quote]!))
    if (o.quote === 'USDC' || o.quote === 'USDT') expect(o.net_pnl_usdc).toBe(fixed6(BigInt(o.net_profit), 6))
    else expect(o.net_pnl_usdc).toMatch(DECIMAL6)
    const bps = (BigInt(o.net_profit) * 1_000_000n) / BigInt(o.buy.amount_in)
    expect(o.net_pnl_bps).toBe(`${bps / 100n}.${(bps % 100n).toString().padStart(2, '0')}`)
    expect(o.is_profitable).toBe(BigInt(o.net_profit) > 0n)
    expect(o.reject_reason).toBeNull()
    expect(o.confidence).toBeGreaterThanOrEqual(0)
    expect(o.confidence).toBeLessThanOrEqual(1)
    expect(['high', 'medium', 'low']).toContain(o.confidence_label)
    expect(o.execution_blockers).toEqual([blocker])
    expect(o.is_execution_ready).toBe(false)
  }
  expect(truth.top_opportunities).toEqual(snapshot.opportunities.slice(0, truth.top_opportunities.length))

  // The snapshot's original keys.
  expect(snapshot.rpc_stats).toEqual({ total_requests: health.rpc.total_requests, total_success: health.rpc.successful_requests, total_failure: health.rpc.failed_requests, success_rate: health.rpc.success_rate ?? 0 })
  expect(snapshot.stats.dexes_active).toBe(health.dexes_active)
  expect(snapshot.reject_histogram).toEqual(histogram.by_code)
  expect(snapshot.gate_breakdown).toEqual(health.gate_breakdown)
  expect(snapshot.dex_coverage.with_quotes).toEqual(quotedDexes)
  expect(snapshot.all_spreads).toHaveLength(stats.candidates_total)
  expect(new Set(snapshot.all_spreads.map((s: Json) => s.spread_id)).size).toBe(stats.candidates_total)
  const rejectedSpreads = snapshot.all_spreads.filter((s: Json) => s.reject_reason !== null)
  expect(rejectedSpreads).toHaveLength(stats.candidates_rejected)
  for (const s of rejectedSpreads) expect(s.execution_blockers).toEqual([blocker, `REJECTED:${s.reject_reason}`])
  expect(snapshot.sample_rejects.length).toBeLessThanOrEqual(10)
  expect(snapshot.sample_passed.length).toBeLessThanOrEqual(10)
  for (const p of snapshot.sample_passed) expect([p.amount_in, p.amount_out]).toEqual([expect.stringMatching(DECIMAL6), expect.stringMatching(DECIMAL6)])

  // The histogram's original keys.
  expect(histogram.histogram).toEqual(histogram.by_code)
  expect([histogram.chain_id, histogram.quotes_total, histogram.quotes_fetched, histogram.gates_passed]).toEqual([42_161, health.quotes_total, health.quotes_fetched, health.gates_passed])
}

describe('drop-in for the original arbybot', () => {
  let devnet: Devnet
  beforeAll(async () => {
    devnet = await startDevnet()
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  test('behavior: the original\'s command line `run_scan -m smoke -c 1 -o DIR` scans smoke; a consumer of its fields reads ARBY\'s artifacts', async () => {
    const dir = tempDir()
    const result = await runCli(['scan', '-m', 'smoke', '-c', '1', '-o', dir])
    expect(result.exitCode).toBe(0)
    const run = readRun(dir)
    expect(run.truths[0].run_mode).toBe('SMOKE_SIMULATOR')
    checkConsumerView(run, 'SMOKE_MODE_NO_EXECUTION')
  })

  test('behavior: with no mode, as in the original, a scan is SMOKE; --smoke still works, with a deprecation note', async () => {
    const plain = tempDir()
    expect((await runCli(['scan', '-c', '2', '-o', plain])).exitCode).toBe(0)
    expect(readRun(plain).truths.map((t) => t.run_mode)).toEqual(['SMOKE_SIMULATOR', 'SMOKE_SIMULATOR'])
    const deprecated = tempDir()
    const result = await runCli(['scan', '--smoke', '-o', deprecated])
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('--smoke is deprecated: use --mode smoke')
    expect(readRun(deprecated).truths[0].run_mode).toBe('SMOKE_SIMULATOR')
    expect((await runCli(['scan', '--smoke', '--mode', 'real', '-o', tempDir()])).stderr).toContain('MODE_CONFLICT')
  })

  test('behavior: `--mode real --config <the original\'s flat real_minimal.yaml>` is translated (with a note) and scans the chain', async () => {
    const dir = tempDir()
    const result = await runCli(['scan', '--mode', 'real', '--config', 'tests/fixtures/arbybot-real_minimal.yaml', '--rpc', devnet.url, '-o', dir])
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('this is the original arbybot\'s flat config format')
    expect(result.stderr).toContain('min_net_bps 5 → gates.min_net_profit_bps')
    const run = readRun(dir)
    const snapshot = run.snapshots[0]
    // Its pools are labels only: ARBY found the real WETH/USDC pools from the factories.
    expect(snapshot.registry.pools.map((p: Json) => p.venue).sort()).toEqual(['sushiswap_v3:3000', 'uniswap_v3:3000', 'uniswap_v3:500'])
    expect(snapshot.registry.pools.find((p: Json) => p.venue === 'uniswap_v3:500').address).toBe('0xC6962004f452bE9203591991D15f6b388e09E8D0')
    expect(run.truths[0].stats.quotes_fetched).toBeGreaterThan(0)
    expect(run.log[0].data.translated_from_arbybot.length).toBeGreaterThan(3)
    checkConsumerView(run, 'EXECUTION_DISABLED_M4')
  })

  test('behavior: the REAL devnet run (mainnet config) passes the consumer view', async () => {
    const dir = tempDir()
    expect((await runCli(['scan', '--mode', 'real', '--rpc', devnet.url, '-o', dir])).exitCode).toBe(0)
    checkConsumerView(readRun(dir), 'EXECUTION_DISABLED_M4')
  })

  test('behavior: ARBY_RPC_URL (the original\'s variable) goes first; the configured endpoints stay as fallbacks', async () => {
    const dir = tempDir()
    const config = configWithRpc({ endpoints: ['http://127.0.0.1:9/'], timeout_ms: 300, retries: 0 })
    const result = await runCli(['scan', '--mode', 'real', '--config', config, '-o', dir], { env: { ARBY_RPC_URL: devnet.url } })
    expect(result.exitCode).toBe(0)
    const endpoints = readRun(dir).truths[0].health.rpc.endpoints.map((e: Json) => e.endpoint)
    expect(endpoints).toEqual([devnet.url, 'http://127.0.0.1:9'])
  })

  test('error: the original format with a dex ARBY has no anchors for names the known ones (exit 2)', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs')
    const path = `${tempDir()}/camelot.yaml`
    writeFileSync(path, readFileSync('tests/fixtures/arbybot-real_minimal.yaml', 'utf8').replace('  - sushiswap_v3', '  - camelot_v3'))
    const result = await runCli(['config', 'check', '--config', path])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/dexes\[1\]: ARBY has no trust anchors for dex "camelot_v3"/)
  })
})
