import * as v from 'valibot'
import { BlockNumber, Count, Timestamp } from './primitives.ts'

/** One line of `scan.log`: NDJSON, one event per line, machine-readable first. */
export const ScanLogLine = v.strictObject({
  ts: Timestamp,
  level: v.picklist(['debug', 'info', 'warn', 'error']),
  event: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_.]*$/, 'must be a dotted lower-case event name')),
  cycle: v.optional(Count),
  block: v.optional(BlockNumber),
  msg: v.string(),
  data: v.optional(v.record(v.string(), v.unknown())),
})
export type ScanLogLine = v.InferOutput<typeof ScanLogLine>
