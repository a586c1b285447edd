import type { Address } from 'viem'
import type { Pair, Venue } from '../config/resolve.ts'
import type { DroppedPool, RegistryPool } from '../contract/parts.ts'
import type { QuoteSource, RunMode } from '../contract/primitives.ts'
import type * as v from 'valibot'
import type { RejectCode } from '../contract/rejectCodes.ts'
import type { RpcHealth } from '../contract/truthReport.ts'
import type { Sizing } from '../sizing/optimalSizes.ts'

/** sell: exact-input base→quote. buy: exact-output quote→base (pay quote, receive exactly `size` base). */
export type Side = 'sell' | 'buy'

export type QuoteRequest = {
  id: string
  pair: Pair
  venue: Venue
  pool: Address
  /** The pool's fee at the pinned block, hundredths of a bip. */
  fee: number
  side: Side
  size: bigint
}

/** Who computed a quote: the venue's on-chain quoter, or ARBY's exact local math. */
export type Quoter = 'onchain' | 'local'

export type QuoteOk = {
  request: QuoteRequest
  quoter: Quoter
  ok: true
  amountIn: bigint
  amountOut: bigint
  gasEstimate: bigint | null
  ticksCrossed: number | null
}
export type QuoteFailed = { request: QuoteRequest; quoter: Quoter; ok: false; code: RejectCode; reason: string }
export type QuoteResult = QuoteOk | QuoteFailed

/** Everything a cycle read, at one pinned block; the evaluation is a pure function of it. */
export type CycleInput = {
  runMode: RunMode
  quoteSource: v.InferOutput<typeof QuoteSource>
  /** The quoting mode of the cycle (a local run still falls back on-chain per quote). */
  quoter: Quoter
  synthetic: boolean
  cycle: number
  chainId: number
  /** 0 when no block could be pinned; then `pinError` says why and nothing else was read. */
  block: number
  pinError: string | null
  blockTimestamp: number | null
  gasPriceWei: bigint | null
  pools: RegistryPool[]
  dropped: DroppedPool[]
  quotes: QuoteResult[]
  /** Optimal sizes per route (local mode; empty otherwise). */
  sizings: Sizing[]
  rpc: RpcHealth
}

export function quoteId(pair: string, venue: string, side: Side, size: bigint): string {
  return `${pair}|${venue}|${side}|${size}`
}
