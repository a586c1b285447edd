import * as v from 'valibot'
import type { Config } from '../config/resolve.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import { Quote, Reject, type Opportunity, type OpportunityCore } from '../contract/parts.ts'
import { SpreadRecord } from '../contract/compat.ts'
import { RejectHistogram } from '../contract/rejectHistogram.ts'
import { SCHEMA_VERSION } from '../contract/primitives.ts'
import { ScanSnapshot } from '../contract/scanSnapshot.ts'
import { TruthReport } from '../contract/truthReport.ts'
import type { ExecutionCycle } from '../contract/execution.ts'
import { ContractError } from '../errors.ts'
import type { CycleResult } from '../scan/evaluate.ts'
import type { CycleInput } from '../scan/types.ts'
import { allSpreads, countByCode, healthCompat, histogramCompat, snapshotCompat, spreadRecords, truthCompat, withSpreadFields, type CompatContext } from './compat.ts'

export type CycleArtifacts = {
  truth: TruthReport
  histogram: RejectHistogram
  /** Built and checked when first read: every quote, candidate and reject of the cycle (a watch writes it when details are due). */
  readonly snapshot: ScanSnapshot
  /** The snapshot in parts, for a writer that checks and serializes its long lists a slice at a time. */
  snapshotParts(): SnapshotParts
  /** What a cycle's observers (ledger, monitor, metrics) read without building the snapshot. */
  digest: CycleDigest
}

/** The snapshot's three long lists (tens of thousands of entries at a thousand pools). */
export const LONG_LISTS = ['quotes', 'rejects', 'all_spreads'] as const
export type LongList = (typeof LONG_LISTS)[number]

/**
 * The snapshot with its long lists empty (checked whole against the snapshot's schema), and
 * each long list as rows built on demand, an entry per row, the entries' schema and, where the
 * snapshot wants them unique, their key.
 */
export type SnapshotParts = {
  /** Steps that build the lists' pieces (run first, a few between two yields). */
  prepare: (() => void)[]
  head: ScanSnapshot
  lists: { key: LongList; rows: () => readonly unknown[]; entry: (row: never, index: number) => unknown; schema: v.GenericSchema; unique?: { key: (entry: never) => string; what: string } }[]
}

export type CycleDigest = {
  /** Every opportunity, best first. */
  opportunities: OpportunityCore[]
  simulations: ScanSnapshot['simulations']
  blockTimestamp: number | null
  quotes: CycleResult['quoteStatuses']
  rejects: { code: RejectCode; stage: Reject['stage']; count: number }[]
}

/**
 * Builds the three JSON artifacts of a cycle and checks each against its own schema; the
 * snapshot (the long lists) when it is first read.
 */
export function buildArtifacts(input: CycleInput, result: CycleResult, config: Config, timestamp: string, execution: ExecutionCycle | null = null): CycleArtifacts {
  const ctx: CompatContext = { input, result, config, timestamp, execution }
  // The original's fields for the truth report's first few; for every opportunity when the snapshot is built.
  const top = withSpreadFields(ctx, result.opportunities.slice(0, config.topN))
  let all: Opportunity[] | null = null
  const opportunities = () => (all ??= withSpreadFields(ctx, result.opportunities))
  const head = {
    schema_version: SCHEMA_VERSION,
    timestamp,
    run_mode: input.runMode,
    cycle: input.cycle,
  } as const

  const breakdown = result.tally.byBucket()
  const byStage = result.tally.byStage()

  const buildHead = (lists: Pick<ScanSnapshot, LongList>): ScanSnapshot => ({
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
    quotes: lists.quotes,
    opportunities: opportunities(),
    optimal_sizes: result.optimal,
    rejects: lists.rejects,
    stats: result.stats,
    simulations: result.simulations,
    ...snapshotCompat(ctx, breakdown),
    all_spreads: lists.all_spreads,
  })
  const histogram: RejectHistogram = {
    ...head,
    artifact: 'reject_histogram',
    current_block: input.block,
    total: result.tally.total,
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
    top_opportunities: top,
    optimal_sizes: result.optimal.slice(0, config.topN),
    spread_signals: result.topSignals,
    execution,
    ...truthCompat(ctx),
  }

  let snapshot: ScanSnapshot | null = null
  return {
    histogram: check(RejectHistogram, histogram, 'reject histogram'),
    truth: check(TruthReport, truth, 'truth report'),
    get snapshot() {
      return (snapshot ??= check(ScanSnapshot, buildHead({ quotes: result.quotes, rejects: result.rejects, all_spreads: allSpreads(ctx) }), 'scan snapshot'))
    },
    snapshotParts: () => ({
      prepare: result.buildSteps,
      head: check(ScanSnapshot, buildHead({ quotes: [], rejects: [], all_spreads: [] }), 'scan snapshot'),
      lists: [
        { key: 'quotes', rows: () => result.quotes, entry: (row: Quote) => row, schema: Quote, unique: { key: (quote: Quote) => quote.id, what: 'quote ids' } },
        { key: 'rejects', rows: () => result.rejects, entry: (row: Reject) => row, schema: Reject },
        { key: 'all_spreads', rows: () => result.spreads, entry: spreadRecords(ctx), schema: SpreadRecord },
      ] as SnapshotParts['lists'],
    }),
    digest: {
      opportunities: result.opportunities,
      simulations: result.simulations,
      blockTimestamp: input.blockTimestamp,
      quotes: result.quoteStatuses,
      rejects: result.tally.entries(),
    },
  }
}

/** `value` as its schema outputs it, or the artifact's contract violation; `at` prefixes the paths (an entry of a list checked alone). */
export function check<T>(schema: v.GenericSchema<unknown, T>, value: T, name: string, at?: string): T {
  const result = v.safeParse(schema, value)
  if (result.success) return result.output
  throw schemaViolation(name, result.issues.slice(0, 5).map((issue) => {
    const path = v.getDotPath(issue)
    return `${at ? (path ? `${at}.${path}` : at) : path ?? '(root)'}: ${issue.message}`
  }))
}

export function schemaViolation(name: string, details: string[]): ContractError {
  return new ContractError('ARTIFACT_SCHEMA_VIOLATION', `the ${name} breaks its own schema`, {
    hint: 'this is a bug in ARBY; please report it with the scan.log',
    details,
  })
}
