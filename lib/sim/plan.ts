import type { Address, Hex } from 'viem'
import type { Config, Pair, Venue } from '../config/resolve.ts'
import { spreadId } from '../scan/candidates.ts'
import type { CycleResult } from '../scan/evaluate.ts'
import type { CycleInput } from '../scan/types.ts'
import { encodeArb, POOL_KIND, type ArbCall } from './executor.ts'

/**
 * One executor call to simulate: a route (sell pool first, buy pool inside its callback) at one
 * size, with what ARBY's exact math predicts for both legs at the pinned block. The on-chain
 * floor `minProfit` is the predicted gross itself: at the same block the trade must gain
 * exactly that, so any shortfall reverts with the simulated figure (ProfitTooLow).
 */
export type Plan = {
  id: string
  kind: 'opportunity' | 'optimal'
  pair: Pair
  size: bigint
  sellOut: bigint
  buyIn: bigint
  gross: bigint
  call: ArbCall
  calldata: Hex
}

export type Unplannable = { id: string; kind: Plan['kind']; pair: Pair; gross: bigint; reason: string }

type Route = { id: string; kind: Plan['kind']; pair: Pair; sell: Venue; buy: Venue; sellPool: Address; buyPool: Address; size: bigint; sellOut: bigint; buyIn: bigint }

/** The executor's V2 leg computes amounts with Uniswap V2's 0.3% fee. */
const EXECUTOR_V2_FEE = 3000

function plan(route: Route): Plan | Unplannable {
  const gross = route.sellOut - route.buyIn
  for (const venue of [route.sell, route.buy]) {
    if (venue.type === 'uniswap_v2' && venue.fee !== EXECUTOR_V2_FEE) {
      return { id: route.id, kind: route.kind, pair: route.pair, gross, reason: `the executor trades V2 pairs at a 0.3% fee; ${venue.key} charges ${venue.fee! / 10_000}%` }
    }
  }
  const call: ArbCall = {
    sellPool: route.sellPool, sellKind: POOL_KIND[route.sell.type],
    buyPool: route.buyPool, buyKind: POOL_KIND[route.buy.type],
    base: route.pair.base.address, quote: route.pair.quote.address,
    size: route.size, minProfit: gross > 0n ? gross : 0n,
  }
  return { id: route.id, kind: route.kind, pair: route.pair, size: route.size, sellOut: route.sellOut, buyIn: route.buyIn, gross, call, calldata: encodeArb(call) }
}

/** Every opportunity and every optimal size of the cycle, as executor calls (or why one cannot be made). */
export function planCycle(result: CycleResult, input: CycleInput, config: Config): { plans: Plan[]; unplannable: Unplannable[] } {
  const routes: Route[] = result.opportunitySpreads.map(({ spread: s }) => ({
    id: s.id, kind: 'opportunity', pair: s.pair, sell: s.sell.request.venue, buy: s.buy.request.venue,
    sellPool: s.sell.request.pool, buyPool: s.buy.request.pool, size: s.size, sellOut: s.sell.amountOut, buyIn: s.buy.amountIn,
  }))
  for (const sizing of result.optimal) {
    const pair = config.pairs.find((p) => p.name === sizing.pair)!
    const venue = (key: string) => config.venues.find((v) => v.key === key)!
    const pool = (key: string) => input.pools.find((p) => p.pair === sizing.pair && p.venue === key)?.address as Address | undefined
    const [sellPool, buyPool] = [pool(sizing.sell_venue), pool(sizing.buy_venue)]
    if (!sellPool || !buyPool) continue
    routes.push({
      id: optimalId(sizing), kind: 'optimal', pair, sell: venue(sizing.sell_venue), buy: venue(sizing.buy_venue),
      sellPool, buyPool, size: BigInt(sizing.size), sellOut: BigInt(sizing.amount_out), buyIn: BigInt(sizing.amount_in),
    })
  }
  const plans: Plan[] = []
  const unplannable: Unplannable[] = []
  for (const route of routes) {
    const made = plan(route)
    if ('call' in made) plans.push(made)
    else unplannable.push(made)
  }
  return { plans, unplannable }
}

/** An optimal size's id, in the opportunities' form: `pair|buy>sell|size`. */
export function optimalId(sizing: { pair: string; buy_venue: string; sell_venue: string; size: string }): string {
  return spreadId(sizing.pair, sizing.buy_venue, sizing.sell_venue, sizing.size)
}
