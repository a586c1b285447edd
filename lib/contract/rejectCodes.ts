import * as v from 'valibot'

/**
 * The closed list of reject codes (a subset of upstream core/exceptions.py, kept
 * because ARBY produces each of them), with the gate_breakdown bucket of each.
 */
export const REJECT_BUCKETS = {
  QUOTE_REVERT: 'revert',
  QUOTE_ZERO_OUTPUT: 'revert',
  SLIPPAGE_TOO_HIGH: 'slippage',
  INFRA_RPC_ERROR: 'infra',
  INFRA_BLOCK_PIN_FAILED: 'infra',
  PRICE_SANITY_FAILED: 'other',
  PRICE_ANCHOR_MISSING: 'other',
  POOL_NOT_FOUND: 'other',
  POOL_NO_LIQUIDITY: 'other',
  PREFLIGHT_VALIDATION_FAILED: 'other',
  PNL_NEGATIVE: 'other',
  PNL_BELOW_THRESHOLD: 'other',
} as const

export type RejectCode = keyof typeof REJECT_BUCKETS
export type GateBucket = (typeof REJECT_BUCKETS)[RejectCode]

export const REJECT_CODES = Object.keys(REJECT_BUCKETS) as [RejectCode, ...RejectCode[]]
export const GATE_BUCKETS = ['revert', 'slippage', 'infra', 'other'] as const

/** One line per code, for `--help`-style listings and the README. */
export const REJECT_MEANINGS: Record<RejectCode, string> = {
  QUOTE_REVERT: 'the quoter (or V2 router) reverted for this pool, direction and size',
  QUOTE_ZERO_OUTPUT: 'the quote succeeded but returned 0',
  SLIPPAGE_TOO_HIGH: 'price at this size is worse than the smallest-size price by more than max_slippage_bps',
  INFRA_RPC_ERROR: 'the RPC failed (transport, timeout, malformed answer) for this read',
  INFRA_BLOCK_PIN_FAILED: 'no block > 0 could be pinned; the whole cycle is void',
  PRICE_SANITY_FAILED: 'quote deviates from the anchor venue by more than max_deviation_bps',
  PRICE_ANCHOR_MISSING: 'the anchor venue gave no usable quote, so sanity cannot be checked',
  POOL_NOT_FOUND: 'registry: the factory has no pool for this pair and fee (or it has no code)',
  POOL_NO_LIQUIDITY: 'the pool holds less of the token than the trade needs',
  PREFLIGHT_VALIDATION_FAILED: 'inputs inconsistent before evaluation (e.g. no gas price conversion)',
  PNL_NEGATIVE: 'selling on one venue returns less than buying on the other costs (gross <= 0)',
  PNL_BELOW_THRESHOLD: 'gross is positive but net of gas is below min_net_profit',
}

export const RejectCodeSchema = v.picklist(REJECT_CODES, 'must be a reject code from the closed list')
