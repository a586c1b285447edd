/**
 * Routes on the devnet as the executor trades them: the two pools, their kinds, and the
 * on-chain quoters' prediction of both legs at a block (equal to ARBY's local math).
 */
import type { Address } from 'viem'
import { quoteCall, quoteFromAnswer } from '../../lib/chain/quoterCalls.ts'
import { loadConfig } from '../../lib/config/load.ts'
import type { Config, Pair, Venue } from '../../lib/config/resolve.ts'
import { seededPoolAddress } from '../../lib/devnet/describe.ts'
import type { Devnet } from '../../lib/devnet/startDevnet.ts'
import { POOL_KIND, type ArbCall } from '../../lib/sim/executor.ts'
import { quoteId, type QuoteRequest, type Side } from '../../lib/scan/types.ts'

/** Every venue of the devnet (config/smoke.yaml lists the Algebra stand-in too). */
export const ALL_VENUES: Config = loadConfig(new URL('../../config/smoke.yaml', import.meta.url).pathname)

export type Route = { pair: Pair; sell: Venue; buy: Venue; sellPool: Address; buyPool: Address }

export function route(devnet: Devnet, pairName: string, sellVenue: string, buyVenue: string): Route {
  const pair = ALL_VENUES.pairs.find((p) => p.name === pairName)!
  const venue = (key: string) => ALL_VENUES.venues.find((v) => v.key === key)!
  return {
    pair, sell: venue(sellVenue), buy: venue(buyVenue),
    sellPool: seededPoolAddress(devnet.deployment, pairName, sellVenue),
    buyPool: seededPoolAddress(devnet.deployment, pairName, buyVenue),
  }
}

async function quote(devnet: Devnet, r: Route, side: Side, size: bigint, blockNumber?: bigint): Promise<bigint | null> {
  const venue = side === 'sell' ? r.sell : r.buy
  const request: QuoteRequest = { id: quoteId(r.pair.name, venue.key, side, size), pair: r.pair, venue, pool: side === 'sell' ? r.sellPool : r.buyPool, fee: venue.fee ?? 0, side, size }
  const call = quoteCall(request)
  try {
    const { data } = await devnet.client.call({ to: call.target, data: call.callData, blockNumber, gas: 30_000_000n })
    const result = quoteFromAnswer(request, data!)
    return result.ok ? (side === 'sell' ? result.amountOut : result.amountIn) : null
  } catch {
    return null
  }
}

/** Both legs as the quoters answer at `blockNumber` (the head by default); null legs could not be quoted. */
export async function predict(devnet: Devnet, r: Route, size: bigint, blockNumber?: bigint): Promise<{ sellOut: bigint | null; buyIn: bigint | null }> {
  const [sellOut, buyIn] = await Promise.all([quote(devnet, r, 'sell', size, blockNumber), quote(devnet, r, 'buy', size, blockNumber)])
  return { sellOut, buyIn }
}

export function arbCall(r: Route, size: bigint, minProfit: bigint): ArbCall {
  return {
    sellPool: r.sellPool, sellKind: POOL_KIND[r.sell.type], buyPool: r.buyPool, buyKind: POOL_KIND[r.buy.type],
    base: r.pair.base.address, quote: r.pair.quote.address, size, minProfit,
  }
}
