import * as v from 'valibot'
import { HistogramCompat } from './compat.ts'
import { GateBreakdown } from './parts.ts'
import { BlockNumber, Count, countsOf, RunMode, SCHEMA_VERSION, Timestamp } from './primitives.ts'
import { REJECT_CODES } from './rejectCodes.ts'

/** `reports/reject_histogram_<ts>.json`: why candidates were not executable, counted. */
export const RejectHistogram = v.strictObject({
  schema_version: v.literal(SCHEMA_VERSION),
  artifact: v.literal('reject_histogram'),
  timestamp: Timestamp,
  run_mode: RunMode,
  cycle: Count,
  current_block: BlockNumber,
  total: Count,
  /** Only codes that occurred; any key outside the closed list is refused. */
  by_code: countsOf(REJECT_CODES),
  by_stage: v.strictObject({ block: Count, registry: Count, quote: Count, candidate: Count, simulation: Count, execution: Count }),
  gate_breakdown: GateBreakdown,
  ...HistogramCompat,
})
export type RejectHistogram = v.InferOutput<typeof RejectHistogram>
