import * as v from 'valibot'
import { GateBreakdown } from './parts.ts'
import { BlockNumber, Count, RunMode, SCHEMA_VERSION, Timestamp } from './primitives.ts'
import { RejectCodeSchema } from './rejectCodes.ts'

/** `reports/reject_histogram_<ts>.json`: why candidates were not executable, counted. */
export const RejectHistogram = v.strictObject({
  schema_version: v.literal(SCHEMA_VERSION),
  artifact: v.literal('reject_histogram'),
  timestamp: Timestamp,
  run_mode: RunMode,
  cycle: Count,
  current_block: BlockNumber,
  total: Count,
  by_code: v.record(RejectCodeSchema, Count),
  by_stage: v.strictObject({ block: Count, registry: Count, quote: Count, candidate: Count }),
  gate_breakdown: GateBreakdown,
})
export type RejectHistogram = v.InferOutput<typeof RejectHistogram>
