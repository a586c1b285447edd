import * as v from 'valibot'
import { SnapshotCompat } from './compat.ts'
import { SimulationRecord } from './simulation.ts'
import { DroppedPool, OptimalSize, Opportunity, Quote, RegistryPool, Reject, Stats } from './parts.ts'
import { BlockNumber, Count, QuoteSource, RunMode, SCHEMA_VERSION, Timestamp, Uint, uniqueBy } from './primitives.ts'

/** `snapshots/scan_<ts>.json`: everything one cycle saw and decided, at one pinned block. */
export const ScanSnapshot = v.pipe(v.strictObject({
  schema_version: v.literal(SCHEMA_VERSION),
  artifact: v.literal('scan_snapshot'),
  timestamp: Timestamp,
  run_mode: RunMode,
  cycle: Count,
  chain_id: Count,
  current_block: BlockNumber,
  block_timestamp: v.nullable(Count),
  quote_source: QuoteSource,
  /** The cycle's quoting mode; each quote records who computed it. */
  quoter: v.picklist(['onchain', 'local']),
  synthetic: v.boolean(),
  gas: v.strictObject({ gas_price_wei: v.nullable(Uint) }),
  registry: v.strictObject({ pools: v.pipe(v.array(RegistryPool), uniqueBy((p) => p.address.toLowerCase(), 'registry pool addresses')), dropped: v.array(DroppedPool) }),
  quotes: v.pipe(v.array(Quote), uniqueBy((q) => q.id, 'quote ids')),
  opportunities: v.pipe(v.array(Opportunity), uniqueBy((o) => o.id, 'opportunity ids')),
  optimal_sizes: v.array(OptimalSize),
  rejects: v.array(Reject),
  stats: Stats,
  /** Every simulation of the cycle (opportunities and optimal sizes), re-runnable as recorded. */
  simulations: v.array(SimulationRecord),
  ...SnapshotCompat,
}), v.check(
  (s) => s.stats.execution_ready_count === s.opportunities.filter((o) => o.is_execution_ready).length && s.opportunities.every((o) => o.is_execution_ready === (o.execution_blockers.length === 0)),
  'an opportunity is execution-ready exactly when it has no blocker, and stats.execution_ready_count counts them',
))
export type ScanSnapshot = v.InferOutput<typeof ScanSnapshot>
