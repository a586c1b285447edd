import type { RegisteredPool } from '../chain/registry.ts'
import type { Config, Pair } from '../config/resolve.ts'
import { groupsOf, sameObjects, type RunsMemo } from '../runs.ts'
import { localLeg, resumeLeg, type LocalLeg, type LocalStates } from '../quote/localQuote.ts'
import { maximize } from './maximize.ts'
import type { V2Side } from './v2Closed.ts'
import { virtualCurve, walkOptimum, type FirstStops } from './walk.ts'
import { FEE_DENOMINATOR } from '../math/constants.ts'

/** The gross-profit-maximising size of one (buy pool, sell pool) route, from exact local math. */
export type Sizing = {
  pair: string
  buyVenue: string
  sellVenue: string
  size: bigint
  buyIn: bigint
  sellOut: bigint
  gasUnits: bigint
  evaluations: number
}

/** A pool as constant-product reserves of base and quote: a V2 pair's own, or a concentrated-liquidity pool's virtual reserves (`virtualCurve`). null without state. */
function curveOf(pool: RegisteredPool, states: LocalStates): V2Side | null {
  const fee = BigInt(pool.fee)
  if (pool.reserves) {
    const [r0, r1] = pool.reserves
    return { reserveBase: pool.baseIsToken0 ? r0 : r1, reserveQuote: pool.baseIsToken0 ? r1 : r0, fee }
  }
  const state = states.v3.get(pool.address) ?? states.algebra.get(pool.address)
  return state ? virtualCurve(state.liquidity, state.sqrtPriceX96, pool.baseIsToken0, fee) : null
}

/**
 * What a run keeps between blocks: each pair's routes as sized, with its pools. A route whose
 * two pools are the same objects (the sync engine hands out a new one whenever a pool's state
 * may have changed) is not searched again (same states, same answer); only routes through pools
 * a block touched are, and a pair no block touched is not looked at route by route. Only for
 * pools from the sync engine, whose objects change whenever their state may have.
 */
export type SizingMemo = {
  /** By pair: its pools (in order), each route's sizing at (buy · pools + sell), and the sizings found. */
  pairs: Map<string, { pools: RegisteredPool[]; routes: (Sizing | null)[]; sizings: Sizing[] }>
  /** Each pool's pair, by pool object (`keptRunsOf`). */
  runs?: RunsMemo<RegisteredPool, Pair>
  /** Each pool's curve, by pool object (made again only for a pool a block touched). */
  curves?: WeakMap<RegisteredPool, Curve | null>
  /** Each concentrated pool's first stop by side, by pool object (walk.ts). */
  firstStops?: FirstStops
  /** Routes sized afresh and routes answered, over the memo's life (what it saved). */
  counts?: { searched: number; routes: number }
}

/** A leg the pool fills whole (what `localLeg` and `resumeLeg` answer, short of an error). */
type Leg = Omit<Extract<LocalLeg, { amountIn: bigint }>, 'partial'>
type Legs = { buy: Leg; sell: Leg }

/**
 * For every pair and ordered pair of pools with local state whose marginal price gap is
 * positive, the size that maximises gross profit (gas is fixed per route, so the same
 * size maximises net): in closed form, walking both pools' tick ranges to the one holding the
 * optimum (walk.ts), settled against the exact quotes; by golden-section search when the walk
 * cannot tell (routes clearly running the wrong way are dropped before any quote). Pure: no RPC, only the states already read at the pinned block.
 */
export function optimalSizes(config: Config, pools: RegisteredPool[], states: LocalStates, memo?: SizingMemo): Sizing[] {
  const out: Sizing[] = []
  // Each pool's curve (and its marginal prices) found once per pool object, not once per route through it.
  const curves = memo ? (memo.curves ??= new WeakMap()) : new Map<RegisteredPool, Curve | null>()
  const curve = (pool: RegisteredPool) => {
    let known = curves.get(pool)
    if (known === undefined) curves.set(pool, known = withMargins(curveOf(pool, states)))
    return known
  }
  const firstStops = memo ? (memo.firstStops ??= new WeakMap()) : new Map()
  // Each pair's pools as a range of the list (a synced run's come grouped by pair).
  const byPair = new Map(groupsOf(pools, (pool) => pool.pair, memo && (memo.runs ??= {})).map((group) => [group.key, group]))
  for (const pair of config.pairs) {
    const run = byPair.get(pair)
    const n = run ? run.to - run.from : 0
    if (memo?.counts) memo.counts.routes += n * (n - 1)
    // A pair whose pools are all the same objects keeps its sizings (nothing looked into).
    const kept = memo?.pairs.get(pair.name)
    if (kept && run && sameObjects(kept.pools, run.items, run.from, run.to)) {
      for (const sizing of kept.sizings) out.push(sizing)
      continue
    }
    const mine = run ? run.items.slice(run.from, run.to) : []
    // A route keeps its sizing when the pair's pools are the same venues and neither of its two moved.
    const previous = kept && samePools(kept.pools, mine) ? kept : null
    const routes = new Array<Sizing | null>(n * n).fill(null)
    const first = out.length
    for (let b = 0; b < n; b++) {
      for (let s = 0; s < n; s++) {
        if (b === s) continue
        const at = b * n + s
        let sizing: Sizing | null
        if (previous && previous.pools[b] === mine[b] && previous.pools[s] === mine[s]) sizing = previous.routes[at] ?? null
        else {
          sizing = routeSizing(config, pair, mine[b]!, mine[s]!, states, curve, firstStops)
          if (memo?.counts) memo.counts.searched++
        }
        routes[at] = sizing
        if (sizing) out.push(sizing)
      }
    }
    memo?.pairs.set(pair.name, { pools: mine, routes, sizings: out.slice(first) })
  }
  return out
}

/** The same pools (the same objects, or by address), in the same order. */
function samePools(kept: RegisteredPool[], pools: RegisteredPool[]): boolean {
  if (kept.length !== pools.length) return false
  for (let i = 0; i < pools.length; i++) if (kept[i] !== pools[i] && kept[i]!.address !== pools[i]!.address) return false
  return true
}

/**
 * The walk's optimum checked against the exact integer math (3 evaluations, 4 past a tick): taken
 * when the exact legs at x* cross the very ticks the walk crossed (the walk and the pools agree on
 * the ranges the optimum lies in) and no size a 16,384th of x* away (64 units at least), nor the
 * size just short of the last tick crossed, is better by more than a billionth. The probes catch what the curves cannot see: a low-decimal token's fee
 * rounds up to whole units, so a small last step pays a fee out of proportion and shifts the
 * optimum (concave: a better probe means the optimum is that way). Otherwise null: the caller
 * searches. Near the top the profit is flat to the wei (each leg rounds on its own), so no
 * neighbouring integer is worth another evaluation.
 */
function settle(legsAt: (x: bigint, from?: Legs | 'keep') => Legs | null, walked: ReturnType<typeof walkOptimum>, buyHolds: bigint): { x: bigint; legs: Legs; evaluations: number } | null {
  if (!walked) return null
  const center = walked.x
  const probe = center >> 14n > 64n ? center >> 14n : 64n
  if (center <= probe || center + probe >= buyHolds) return null
  const legs = legsAt(center, 'keep')
  if (!legs || legs.buy.ticksCrossed !== walked.buyCrossed || legs.sell.ticksCrossed !== walked.sellCrossed) return null
  const value = legs.sell.amountOut - legs.buy.amountIn
  const bar = value + value / 1_000_000_000n + 1n
  // Just short of the last tick crossed, too: crossing costs each leg its rounding, so where the
  // curves' optimum lies barely past a tick the exact one may lie before it.
  const probes = [center + probe, center - probe, ...(walked.stretch > 0n && walked.stretch < center - probe ? [walked.stretch - 1n] : [])]
  for (const x of probes) {
    // Priced from where the center's legs took their last step when they end in it too (one step each, the same amounts).
    const near = legsAt(x, legs)
    if (near && near.sell.amountOut - near.buy.amountIn > bar) return null
  }
  return { x: center, legs, evaluations: 1 + probes.length }
}

/** A pool's curve with its marginal prices at size 0 as display ratios: selling γ·Q/B, buying Q/(γ·B), γ = 1 − fee. */
type Curve = V2Side & { sells: number; costs: number }

function withMargins(side: V2Side | null): Curve | null {
  if (!side) return null
  const gamma = Number(FEE_DENOMINATOR - side.fee) / Number(FEE_DENOMINATOR)
  const price = Number(side.reserveQuote) / Number(side.reserveBase)
  return { ...side, sells: gamma * price, costs: price / gamma }
}

/**
 * Most routes run the wrong way by far: their marginal gap, seen in floats, is below −10⁻⁵. The
 * floats' error (~10⁻¹⁵ relative) is far inside the exact test's 10⁻⁶ margin, so what this
 * rules out `clearlyNoGap` rules out too — without its eleven wide multiplications. Anything
 * else (closer calls, an empty pool's NaN) is left to the exact test.
 */
function farFromAGap(buy: Curve, sell: Curve): boolean {
  return sell.sells / buy.costs < 1 - 1e-5
}

/**
 * The marginal gap at size 0 — γs·Qs/Bs (selling) against Qb/(γb·Bb) (buying), γ = 1 − fee — is
 * below zero by more than a millionth: gross profit is concave and 0 at 0, so no size is
 * profitable (the margin covers the floors in a concentrated pool's virtual reserves; a closer
 * call is left to the exact probe).
 */
function clearlyNoGap(buy: V2Side, sell: V2Side): boolean {
  const sells = (FEE_DENOMINATOR - sell.fee) * sell.reserveQuote * (FEE_DENOMINATOR - buy.fee) * buy.reserveBase
  const costs = FEE_DENOMINATOR * FEE_DENOMINATOR * buy.reserveQuote * sell.reserveBase
  return sells * 1_000_001n < costs * 1_000_000n
}

/** One route's gross-maximising size, or null when its marginal gap is not positive. */
function routeSizing(config: Config, pair: Config['pairs'][number], buy: RegisteredPool, sell: RegisteredPool, states: LocalStates, curve: (pool: RegisteredPool) => Curve | null, firstStops: FirstStops): Sizing | null {
  // Most routes run the wrong way (the sell pool's price below the buy pool's, after fees):
  // seen from the pools' marginal prices, with no quote at all (and nothing made for them).
  const buyCurve = curve(buy)
  const sellCurve = curve(sell)
  if (buyCurve && sellCurve && (farFromAGap(buyCurve, sellCurve) || clearlyNoGap(buyCurve, sellCurve))) return null
  return gapSizing(config, pair, buy, sell, states, buyCurve, sellCurve, firstStops)
}

/** `routeSizing` of a route not ruled out by its pools' marginal prices. */
function gapSizing(config: Config, pair: Config['pairs'][number], buy: RegisteredPool, sell: RegisteredPool, states: LocalStates, buyCurve: Curve | null, sellCurve: Curve | null, firstStops: FirstStops): Sizing | null {
  // A leg the pool cannot fill whole, or whose math reverts, is no leg. `from`: legs to price
  // from where they took their last step (`resumeLeg`), else in full; 'keep': in full, keeping it.
  const quote = (pool: RegisteredPool, sellSide: boolean, size: bigint, from: Leg | 'keep' | undefined): Leg | null => {
    const near = from !== 'keep' ? from?.lastStep : undefined
    const leg = (near && resumeLeg(sellSide, size, near, config.gas)) || localLeg(pool, sellSide, size, states, config.gas, from === 'keep')
    return leg && !('error' in leg) && !leg.partial ? leg : null
  }
  const legsAt = (x: bigint, from?: Legs | 'keep'): Legs | null => {
    const b = quote(buy, false, x, from === 'keep' ? from : from?.buy)
    const s = b && quote(sell, true, x, from === 'keep' ? from : from?.sell)
    return b && s ? { buy: b, sell: s } : null
  }
  const gross = (x: bigint) => {
    const legs = legsAt(x)
    return legs && legs.sell.amountOut - legs.buy.amountIn
  }
  // The walk's optimum, when it pays; else an exact probe at a small size says whether any size
  // can, and the search finds it.
  const walked = walkOptimum(buy, sell, states, firstStops, { buy: buyCurve, sell: sellCurve })
  const settled = walked && walked.x > 0n ? settle(legsAt, walked, buy.baseBalance) : null
  const closed = settled && settled.legs.sell.amountOut > settled.legs.buy.amountIn ? settled : null
  if (!closed) {
    const probe = pair.sizes[0]! / 1000n > 0n ? pair.sizes[0]! / 1000n : 1n
    const marginal = gross(probe)
    if (marginal === null || marginal <= 0n) return null
  }
  const searched = closed ? null : maximize(gross, 1n, buy.baseBalance - 1n)
  const x = closed?.x ?? searched?.x
  const legs = closed?.legs ?? (x === undefined ? null : legsAt(x))
  if (x === undefined || !legs || legs.sell.amountOut <= legs.buy.amountIn) return null
  const [b, s] = [legs.buy, legs.sell]
  return {
    pair: pair.name, buyVenue: buy.venue.key, sellVenue: sell.venue.key, size: x,
    buyIn: b.amountIn, sellOut: s.amountOut,
    gasUnits: (b.gasEstimate ?? BigInt(config.gas.v2_swap_units)) + (s.gasEstimate ?? BigInt(config.gas.v2_swap_units)) + BigInt(config.gas.overhead_units),
    evaluations: closed?.evaluations ?? searched!.evaluations,
  }
}
