import * as v from 'valibot'
import { isAddress, zeroAddress } from 'viem'
import { parseRpcUrl } from './rpcUrl.ts'

/**
 * Field schemas shared by the config files: every number is bounded by what the chain and
 * the runtime allow (a timer cannot wait 10^20 ms; a fee cannot be negative), and every
 * address is checked the way a wallet would check it.
 */

/** An address: 20 bytes of hex; mixed case must carry a valid EIP-55 checksum. */
export const Address = v.pipe(
  v.string('must be a quoted 0x address'),
  v.regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address'),
  v.check((value) => isAddress(value, { strict: true }), 'has a wrong EIP-55 checksum (mixed case must match; all lower-case is accepted)'),
)

/** A contract or token: never the zero address. */
export const ContractAddress = v.pipe(Address, v.check((value) => value.toLowerCase() !== zeroAddress, 'must not be the zero address'))

/** An integer within [min, max]. */
export function int(min: number, max: number, what = 'a whole number'): v.GenericSchema<number> {
  return v.pipe(
    v.number('must be a number'),
    v.integer(`must be ${what}`),
    v.minValue(min, `must be >= ${min}`),
    v.maxValue(max, `must be <= ${max}`),
  )
}

/** A number within [min, max] (fractions allowed). */
export function num(min: number, max: number): v.GenericSchema<number> {
  return v.pipe(v.number('must be a number'), v.finite('must be a finite number'), v.minValue(min, `must be >= ${min}`), v.maxValue(max, `must be <= ${max}`))
}

export const Bps = v.pipe(v.number('must be a number of basis points'), v.finite('must be finite'), v.minValue(0, 'must be >= 0'), v.maxValue(10_000, 'must be <= 10000'))

/** Token amounts are written as decimal strings ("0.5") and parsed exactly, never through floats. */
export const DecimalAmount = v.pipe(
  v.string('must be a quoted decimal string such as "1.5" (no floats for money)'),
  v.maxLength(80, 'is too long for a token amount'),
  v.regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'must be a non-negative decimal string such as "1.5"'),
)

/** An RPC URL: http(s) or ws(s), host and a valid port; keys may sit in the path or query. */
export const RpcUrl = v.pipe(
  v.string('must be a quoted URL'),
  v.check((value) => typeof parseRpcUrl(value) !== 'string', (issue) => `${parseRpcUrl(String(issue.input))}`),
)

/** A WebSocket endpoint (ws:// or wss://). */
export const WsUrl = v.pipe(
  v.string('must be a quoted ws:// or wss:// URL'),
  v.check((value) => {
    try {
      return ['ws:', 'wss:'].includes(new URL(value).protocol)
    } catch {
      return false
    }
  }, 'must be a ws:// or wss:// URL'),
)

/** Longest wait ARBY accepts for any one timer (10 minutes). */
export const MAX_TIMER_MS = 600_000
/** Arbitrum One's block gas limit (32 M); no configured gas figure may exceed it. */
export const MAX_GAS = 32_000_000
/** Nitro's default eth_call gas cap. */
export const ETH_CALL_GAS_CAP = 50_000_000
