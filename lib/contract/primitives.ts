import * as v from 'valibot'

export const SCHEMA_VERSION = '3.0.0'

/** Money and counts of base units: a non-negative bigint as a decimal string. */
export const Uint = v.pipe(v.string(), v.regex(/^(0|[1-9]\d*)$/, 'must be a decimal string of base units'))
/** Signed base units (profit can be negative). */
export const Int = v.pipe(v.string(), v.regex(/^(0|-?[1-9]\d*)$/, 'must be a signed decimal string'))
export const Address = v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x address'))
export const Timestamp = v.pipe(v.string(), v.isoTimestamp('must be an ISO timestamp'))
export const Count = v.pipe(v.number(), v.integer(), v.minValue(0))
export const BlockNumber = v.pipe(v.number(), v.integer(), v.minValue(0))
/** Ratios only (bps, rates, USD for display) are floats. */
export const Ratio = v.number()

export const RunMode = v.picklist(['SMOKE_SIMULATOR', 'REGISTRY_REAL'])
export type RunMode = v.InferOutput<typeof RunMode>
export const QuoteSource = v.picklist(['fixture', 'onchain'])
export const ExecutionBlocker = v.literal('EXECUTION_DISABLED')

/** An array whose items are unique by `key` (an id listed twice would be counted twice). */
export function uniqueBy<T>(key: (item: T) => string, what: string) {
  return v.check<T[], string>((items) => new Set(items.map(key)).size === items.length, `${what} must be unique`)
}
