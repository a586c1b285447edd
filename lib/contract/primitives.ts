import * as v from 'valibot'

export const SCHEMA_VERSION = '3.0.0'

/** Money and counts of base units: a non-negative bigint as a decimal string. */
export const Uint = v.pipe(v.string(), v.regex(/^(0|[1-9]\d*)$/, 'must be a decimal string of base units'))
/** Signed base units (profit can be negative). */
export const Int = v.pipe(v.string(), v.regex(/^(0|-?[1-9]\d*)$/, 'must be a signed decimal string'))
export const Address = v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x address'))
/**
 * 0x-prefixed hex bytes (calldata, return data). An even length and one character class, not
 * /^0x([0-9a-fA-F]{2})*$/: that group backtracks through every byte pair and took 2.8 s on a
 * 2 MB Multicall3 answer (this: 3 ms).
 */
export const HexBytes = v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]*$/, 'must be 0x-prefixed hex'), v.check((s) => s.length % 2 === 0, 'must be whole bytes (an even number of hex digits)'))
export const Timestamp = v.pipe(v.string(), v.isoTimestamp('must be an ISO timestamp'))
export const Count = v.pipe(v.number(), v.integer(), v.minValue(0))
export const BlockNumber = v.pipe(v.number(), v.integer(), v.minValue(0))
/** Ratios only (bps, rates, USD for display) are floats. */
export const Ratio = v.number()

export const RunMode = v.picklist(['SMOKE_SIMULATOR', 'REGISTRY_REAL'])
export type RunMode = v.InferOutput<typeof RunMode>
export const QuoteSource = v.picklist(['fixture', 'onchain'])
/**
 * Why an opportunity is not executed: the seed's M4 blocker in REAL runs with execution off or
 * simulating, the original's smoke blocker in SMOKE runs (names the original's gates and
 * dashboards look for); paper and dry-run modes never send; live mode needs the simulation
 * first, and the original's KILL_SWITCH_ACTIVE while the kill switch halts or pauses; a route
 * quarantined after a simulation mismatch is not traded.
 */
export const EXECUTION_BLOCKERS = ['EXECUTION_DISABLED_M4', 'SMOKE_MODE_NO_EXECUTION', 'PAPER_MODE_NO_EXECUTION', 'DRY_RUN_NO_SEND', 'SIMULATION_REQUIRED', 'KILL_SWITCH_ACTIVE', 'ROUTE_QUARANTINED'] as const
export const ExecutionBlocker = v.picklist(EXECUTION_BLOCKERS)
export type ExecutionBlocker = v.InferOutput<typeof ExecutionBlocker>

/** An array whose items are unique by `key` (an id listed twice would be counted twice). */
export function uniqueBy<T>(key: (item: T) => string, what: string) {
  return v.check<T[], string>((items) => new Set(items.map(key)).size === items.length, `${what} must be unique`)
}

/** Counts keyed by a closed list of names: only names that occurred; any other key is refused. */
export function countsOf<const K extends string>(keys: readonly K[]) {
  return v.strictObject(Object.fromEntries(keys.map((key) => [key, v.optional(Count)])) as Record<K, v.OptionalSchema<typeof Count, undefined>>)
}
