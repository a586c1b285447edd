import * as v from 'valibot'

/**
 * The closed list of reject codes (upstream core/exceptions.py's that ARBY produces, plus the
 * simulation gate's and the execution stage's), with the gate_breakdown bucket of each: a
 * simulated or mined revert is a revert, the other simulation and execution verdicts are `other`
 * (the four buckets stay, and still add up).
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
  SIM_REVERT: 'revert',
  SIM_MISMATCH: 'other',
  SIM_NET_BELOW_THRESHOLD: 'other',
  EXEC_STALE: 'other',
  EXEC_HALTED: 'other',
  EXEC_PAUSED: 'other',
  EXEC_SEND_REFUSED: 'infra',
  EXEC_REVERTED: 'revert',
  EXEC_DROPPED: 'infra',
  EXEC_NONCE_CONFLICT: 'other',
} as const

export type RejectCode = keyof typeof REJECT_BUCKETS
export type GateBucket = (typeof REJECT_BUCKETS)[RejectCode]

export const REJECT_CODES = Object.keys(REJECT_BUCKETS) as [RejectCode, ...RejectCode[]]
export const GATE_BUCKETS = ['revert', 'slippage', 'infra', 'other'] as const

/** One line per code: the README's reject table says the same (a test keeps them equal). */
export const REJECT_MEANINGS: Record<RejectCode, string> = {
  QUOTE_REVERT: 'the quoter (or V2 router) reverted for this pool, side and size',
  QUOTE_ZERO_OUTPUT: 'the quote succeeded but returned 0',
  SLIPPAGE_TOO_HIGH: 'price at this size worse than at the smallest size by more than `max_slippage_bps`',
  INFRA_RPC_ERROR: 'the RPC failed for this read (transport, node error, malformed answer)',
  INFRA_BLOCK_PIN_FAILED: 'no block > 0 could be pinned; the cycle is void',
  PRICE_SANITY_FAILED: "the venue's price deviates from the anchor by more than `max_price_deviation_bps`",
  PRICE_ANCHOR_MISSING: 'the anchor venue has no usable quote, so sanity cannot be judged',
  POOL_NOT_FOUND: 'registry only: no pool for this pair and fee, or no code there',
  POOL_NO_LIQUIDITY: 'the pool has zero liquidity, holds less base than the size bought, or runs dry before the size is filled (a partial fill is never a quote)',
  PREFLIGHT_VALIDATION_FAILED: 'inconsistent inputs (pool tokens mismatch; no gas price or conversion)',
  PNL_NEGATIVE: 'selling on one venue returns no more than buying on the other costs',
  PNL_BELOW_THRESHOLD: 'positive gross, but net of gas below the threshold',
  SIM_REVERT: 'the executor\'s exact transaction, simulated at the pinned block, reverts (the decoded error is in the message)',
  SIM_MISMATCH: 'the simulated profit differs from the predicted gross at the same block, by any amount (a defect: both figures are logged)',
  SIM_NET_BELOW_THRESHOLD: 'net of the simulated L2 gas and the L1 data cost, the profit falls below the threshold',
  EXEC_STALE: 'the head moved more than `execution.max_block_lag` blocks past the pin, or the re-simulation at the new head no longer gains the predicted profit; nothing was signed',
  EXEC_HALTED: 'the kill switch is halted (the reason is in the message); nothing is signed until `exec resume`',
  EXEC_PAUSED: 'a pause rule holds (base fee above its cap, pinned block too old); nothing is signed until it clears',
  EXEC_SEND_REFUSED: 'the endpoint refused the signed transaction for good (nonce too low, insufficient funds, fee below base fee); its nonce was not used',
  EXEC_REVERTED: 'the transaction was mined and reverted on-chain (its gas is the loss); the kill switch counts it',
  EXEC_DROPPED: 'the transaction never reached a block after every rebroadcast of the same bytes, and its nonce is still free',
  EXEC_NONCE_CONFLICT: 'the trade\'s nonce was used by a transaction ARBY did not sign (the key is used elsewhere); the kill switch halts',
}

export const RejectCodeSchema = v.picklist(REJECT_CODES, 'must be a reject code from the closed list')
