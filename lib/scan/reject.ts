import type { Reject } from '../contract/parts.ts'
import { REJECT_BUCKETS, type RejectCode } from '../contract/rejectCodes.ts'

type RejectFields = Partial<Omit<Reject, 'code' | 'bucket' | 'stage' | 'message'>>

/** Builds a reject with its bucket; every field the stage does not know is null. */
export function makeReject(code: RejectCode, stage: Reject['stage'], message: string, fields: RejectFields = {}): Reject {
  return {
    code,
    bucket: REJECT_BUCKETS[code],
    stage,
    pair: fields.pair ?? null,
    venue: fields.venue ?? null,
    buy_venue: fields.buy_venue ?? null,
    sell_venue: fields.sell_venue ?? null,
    size: fields.size ?? null,
    quote_id: fields.quote_id ?? null,
    message,
  }
}
