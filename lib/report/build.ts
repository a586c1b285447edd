import * as v from 'valibot'
import type { Config } from '../config/resolve.ts'
import { GATE_BUCKETS } from '../contract/rejectCodes.ts'
import { RejectHistogram } from '../contract/rejectHistogram.ts'
import { SCHEMA_VERSION } from '../contract/primitives.ts'
import { ScanSnapshot } from '../contract/scanSnapshot.ts'
import { TruthReport } from '../contract/truthReport.ts'
import type { ExecutionCycle } from '../contract/execution.ts'
import { ContractError } from '../errors.ts'
import type { CycleResult } from '../scan/evaluate.ts'
import type { CycleInput } from '../scan/types.ts'
import { countByCode, healthCompat, histogramCompat, snapshotCompat, truthCompat, withSpreadFields, type CompatContext } from './compat.ts'

export type CycleArtifacts = { snapshot: ScanSnapshot; histogram: RejectHistogram; truth: TruthReport }

/** Builds the three JSON artifacts of a cycle and checks each against its own schema. */
export function buildArtifacts(input: CycleInput, result: CycleResult, config: Config, timestamp: string, execution: ExecutionCycle | null = null): CycleArtifacts {
  const ctx: CompatContext = { input, result, config, timestamp, execution }
  const opportunities = withSpreadFields(ctx, result.opportunities)
  const head = {
    schema_version: SCHEMA_VERSION,
    timestamp,
    run_mode: input.runMode,
    cycle: input.cycle,
  } as const

  const breakdown = Object.fromEntries(GATE_BUCKETS.map((bucket) => [bucket, 0])) as RejectHistogram['gate_breakdown']
  const byStage = { block: 0, registry: 0, quote: 0, candidate: 0, simulation: 0, execution: 0 }
  for (const reject of result.rejects) {
    breakdown[reject.bucket]++
    byStage[reject.stage]++
  }

  const snapshot: ScanSnapshot = {
    ...head,
    artifact: 'scan_snapshot',
    chain_id: input.chainId,
    current_block: input.block,
    block_timestamp: input.blockTimestamp,
    quote_source: input.quoteSource,
    quoter: input.quoter,
    synthetic: input.synthetic,
    gas: { gas_price_wei: input.gasPriceWei === null ? null : input.gasPriceWei.toString() },
    registry: { pools: input.pools, dropped: input.dropped },
    quotes: result.quotes,
    opportunities,
    optimal_sizes: result.optimal,
    rejects: result.rejects,
    stats: result.stats,
    simulations: result.simulations,
    ...snapshotCompat(ctx, breakdown),
  }
  const histogram: RejectHistogram = {
    ...head,
    artifact: 'reject_histogram',
    current_block: input.block,
    total: result.rejects.length,
    by_code: countByCode(ctx),
    by_stage: byStage,
    gate_breakdown: breakdown,
    ...histogramCompat(ctx),
  }

  const sanityTotal = result.sanityPassed + result.sanityFailed
  const truth: TruthReport = {
    ...head,
    artifact: 'truth_report',
    execution_enabled: input.runMode === 'REGISTRY_REAL' && config.execution.mode === 'live',
    execution_blocker: result.blocker,
    cost_model_available: result.costModelAvailable,
    chain_id: input.chainId,
    current_block: input.block,
    quote_source: input.quoteSource,
    quoter: input.quoter,
    synthetic: input.synthetic,
    health: {
      quotes_total: result.stats.quotes_total,
      quotes_fetched: result.stats.quotes_fetched,
      gates_passed: result.stats.gates_passed,
      dexes_active: result.dexesActive,
      price_sanity_passed: result.sanityPassed,
      price_sanity_failed: result.sanityFailed,
      price_stability_factor: sanityTotal === 0 ? 0 : result.sanityPassed / sanityTotal,
      rpc_errors: input.rpc.failed_requests,
      rpc_success_rate: input.rpc.success_rate,
      gate_breakdown: breakdown,
      rpc: input.rpc,
      ...healthCompat(ctx, result.opportunities),
    },
    stats: result.stats,
    top_opportunities: opportunities.slice(0, config.topN),
    optimal_sizes: result.optimal.slice(0, config.topN),
    spread_signals: result.signals.slice(0, Math.max(config.topN * 5, 50)),
    execution,
    ...truthCompat(ctx),
  }

  return {
    snapshot: check(ScanSnapshot, snapshot, 'scan snapshot'),
    histogram: check(RejectHistogram, histogram, 'reject histogram'),
    truth: check(TruthReport, truth, 'truth report'),
  }
}

function check<T>(schema: v.GenericSchema<unknown, T>, value: T, name: string): T {
  const result = v.safeParse(schema, value)
  if (result.success) return result.output
  throw new ContractError('ARTIFACT_SCHEMA_VIOLATION', `the ${name} breaks its own schema`, {
    hint: 'this is a bug in ARBY; please report it with the scan.log',
    details: result.issues.slice(0, 5).map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`),
  })
}
