import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import type { Address } from 'viem'
import type { RegisteredPool } from '../../lib/chain/registry.ts'
import type { Venue } from '../../lib/config/resolve.ts'
import { sortedTickSteps, type ClPoolState } from '../../lib/math/clSwap.ts'
import { encodeSqrtPriceX96, isqrt } from '../../lib/math/sqrt.ts'
import { getTickAtSqrtRatio, MAX_TICK, MIN_TICK } from '../../lib/math/tickMath.ts'
import { localQuote, type LocalStates } from '../../lib/quote/localQuote.ts'
import { maximize } from '../../lib/sizing/maximize.ts'
import { optimalSizes } from '../../lib/sizing/optimalSizes.ts'
import { mulberry32, randomInt } from '../helpers/random.ts'
import { ALL_VENUES as config } from '../helpers/routes.ts'
import { fromAlgebraJson, fromV3Json, type MathVectors } from '../helpers/vectors.ts'

// The recorded pools are small (WBTC/USDC at a few units of liquidity): sizes to match.
const vectors = JSON.parse(readFileSync(new URL('../math/vectors.json', import.meta.url), 'utf8')) as MathVectors

const pair = { ...config.pairs[0]!, sizes: [10n ** 18n] }
const algebra = config.venues.find((v) => v.type === 'algebra')!
const v2 = config.venues.find((v) => v.type === 'uniswap_v2')!
const recorded = { ...pair, sizes: [10_000n] }
// 3,000 quote units (6 decimals) per whole base token (18 decimals).
const [PRICE_NUM, PRICE_DEN] = [3_000_000_000n, 10n ** 18n]

function pool(venue: Venue, address: string, fee: number, extra: Partial<RegisteredPool>): RegisteredPool {
  return { record: {} as RegisteredPool['record'], pair, venue, address: address as Address, fee, baseBalance: 10n ** 30n, baseIsToken0: true, reserves: null, v3: null, ...extra }
}

/**
 * A CL pool (token0 = base) at `permille`/1000 of the price, as deep as `depth` base tokens of
 * a full-range position; `edge` (ticks from the price, 0: none) puts initialized ticks there on
 * both sides, beyond which the liquidity drops to a tenth.
 */
function clPool(address: string, permille: bigint, depth: bigint, fee: number, edge: number, states: LocalStates): RegisteredPool {
  const sqrtPriceX96 = encodeSqrtPriceX96(PRICE_NUM * permille, PRICE_DEN * 1000n)
  const tick = getTickAtSqrtRatio(sqrtPriceX96)
  const liquidity = isqrt(depth * ((depth * PRICE_NUM * permille) / (PRICE_DEN * 1000n)))
  const outer = liquidity / 10n
  const ticks = new Map<number, bigint>(edge
    ? [[MIN_TICK, outer], [tick - edge, liquidity - outer], [tick + edge, outer - liquidity], [MAX_TICK, -outer]]
    : [[MIN_TICK, liquidity], [MAX_TICK, -liquidity]])
  const state: ClPoolState = { sqrtPriceX96, tick, liquidity, fee, steps: sortedTickSteps(ticks) }
  states.algebra.set(address, state)
  return pool(algebra, address, fee, {})
}

/** A Uniswap V3 venue at `fee` (the recorded pools' tiers). */
function uniswapV3(fee: number): Venue {
  const venue = config.venues.find((v) => v.type === 'uniswap_v3')!
  return { ...venue, key: `${venue.dex}:${fee}`, fee }
}

/** Initialized ticks both legs cross at `size`. */
function ticksAt(buy: RegisteredPool, sell: RegisteredPool, states: LocalStates, size: bigint): number {
  const leg = (p: RegisteredPool, side: 'buy' | 'sell') => localQuote({ id: 'x', pair, venue: p.venue, pool: p.address, fee: p.fee, side, size }, p, states, config.gas)
  const [b, s] = [leg(buy, 'buy'), leg(sell, 'sell')]
  return (b?.ok ? b.ticksCrossed ?? 0 : 0) + (s?.ok ? s.ticksCrossed ?? 0 : 0)
}

function grossOf(buy: RegisteredPool, sell: RegisteredPool, states: LocalStates) {
  const leg = (p: RegisteredPool, side: 'buy' | 'sell', size: bigint) => localQuote({ id: 'x', pair, venue: p.venue, pool: p.address, fee: p.fee, side, size }, p, states, config.gas)
  return (x: bigint): bigint | null => {
    const b = leg(buy, 'buy', x)
    const s = leg(sell, 'sell', x)
    return b?.ok && s?.ok ? s.amountOut - b.amountIn : null
  }
}

describe('optimal size in closed form, walking the pools\' tick ranges', () => {
  test('behavior: CL–CL and V2–CL routes, in range or across ticks: the walk\'s closed form settled in 3–4 evaluations; never worse than the full search, and a local maximum', () => {
    const random = mulberry32(5)
    let crossing = 0
    for (let i = 0; i < 40; i++) {
      const states: LocalStates = { v3: new Map(), algebra: new Map() }
      const depth = BigInt(randomInt(random, 50, 5_000)) * 10n ** 18n
      const permille = BigInt(1000 + randomInt(random, 5, 80))
      // Every other case puts initialized ticks close to the price: the optimum crosses them.
      const edge = i % 2 ? 0 : randomInt(random, 5, 60)
      const cheap = i % 3 === 0
        ? pool(v2, '0x00000000000000000000000000000000000000b1', 3000, { reserves: [depth, (depth * PRICE_NUM) / PRICE_DEN], baseBalance: depth })
        : clPool('0x00000000000000000000000000000000000000b1', 1000n, depth, 3000, edge, states)
      const rich = clPool('0x00000000000000000000000000000000000000a1', permille, depth * 2n, 500, edge, states)
      const sizings = optimalSizes({ ...config, pairs: [pair] }, [cheap, rich], states)
      expect(sizings.map((s) => s.buyVenue)).toEqual([cheap.venue.key])
      const sizing = sizings[0]!
      const gross = grossOf(cheap, rich, states)
      const value = sizing.sellOut - sizing.buyIn
      expect(gross(sizing.size)).toBe(value)
      // The top is flat to the wei over a wide range of sizes (each leg rounds on its own): "no
      // better" means within a billionth, the bar the golden-section search itself meets.
      const slack = value / 1_000_000_000n + 1n
      // The full golden-section search over the whole range finds nothing better…
      const searched = maximize(gross, 1n, cheap.baseBalance - 1n)!
      expect(value + slack).toBeGreaterThanOrEqual(searched.value)
      // …and no size nearby is better either (concave: a local maximum is the maximum).
      for (const d of [1n, 3n, 10n ** 6n, sizing.size / 1_000_000n, sizing.size / 1000n]) {
        expect(gross(sizing.size + d) ?? value).toBeLessThanOrEqual(value + slack)
        expect(gross(sizing.size - d) ?? value).toBeLessThanOrEqual(value + slack)
      }
      expect(sizing.evaluations).toBeLessThanOrEqual(4)
      if (ticksAt(cheap, rich, states, sizing.size) > 0) crossing++
    }
    // Most optima with ticks near the price lie beyond them.
    expect(crossing).toBeGreaterThan(10)
  })

  test('behavior: real recorded pools (Uniswap V3 at four fee tiers, bitmap words and all; Algebra), every route with a gap, both ways round: the walk\'s size is never worse than the full search, often tens of ticks away', () => {
    let [routes, crossed, walked] = [0, 0, 0]
    for (const baseIsToken0 of [true, false]) {
      // Sizes in the base token's units: 0.0001 WBTC (8 decimals), 10,000 USDC (6 decimals).
      const recorded = { ...pair, sizes: [baseIsToken0 ? 10_000n : 10_000_000_000n] }
      const states: LocalStates = { v3: new Map(), algebra: new Map() }
      const pools = [
        ...vectors.v3.states.map((json, i) => {
          const address = `0x00000000000000000000000000000000000000c${i}`
          states.v3.set(address, fromV3Json(json))
          return pool(uniswapV3(json.fee), address, json.fee, { baseIsToken0, pair: recorded })
        }),
        ...vectors.algebra.states.map((json, i) => {
          const address = `0x00000000000000000000000000000000000000d${i}`
          states.algebra.set(address, fromAlgebraJson(json))
          return pool(algebra, address, json.fee, { baseIsToken0, pair: recorded })
        }),
      ]
      const sizings = optimalSizes({ ...config, pairs: [recorded] }, pools, states)
      for (const sizing of sizings) {
        const [buy, sell] = [pools.find((p) => p.venue.key === sizing.buyVenue)!, pools.find((p) => p.venue.key === sizing.sellVenue)!]
        const gross = grossOf(buy, sell, states)
        const value = sizing.sellOut - sizing.buyIn
        expect(gross(sizing.size)).toBe(value)
        const searched = maximize(gross, 1n, buy.baseBalance - 1n)!
        // Within a billionth, and the two units each leg may round (with WBTC as the quote token
        // the whole profit is a few hundred units: the top is a staircase of them).
        expect(value + value / 1_000_000_000n + 2n).toBeGreaterThanOrEqual(searched.value)
        routes++
        if (sizing.evaluations <= 4) walked++
        crossed += ticksAt(buy, sell, states, sizing.size)
      }
    }
    expect(routes).toBeGreaterThan(10)
    // A few are searched: WBTC's fee rounds up to whole units (1 in 10,000 at 0.01%), a sawtooth
    // on the curve that moves the exact optimum further than the settle's probes allow.
    expect(walked / routes).toBeGreaterThan(0.6)
    expect(crossed / routes).toBeGreaterThan(5)
  })

  test('behavior: a pool whose tick words were not all read cannot be walked past them: the route is searched (more than 4 evaluations) within what can be quoted', () => {
    const states: LocalStates = { v3: new Map(), algebra: new Map() }
    const [json] = vectors.v3.states.filter((s) => s.tickSpacing === 1)
    const full = fromV3Json(json!)
    // Only the words around the price: a large trade leaves them.
    const word = Math.floor(full.tick / 256)
    const narrow = { ...full, bitmap: { ...full.bitmap, minWord: word - 1, maxWord: word + 1 } }
    states.v3.set('0x00000000000000000000000000000000000000c0', narrow)
    states.algebra.set('0x00000000000000000000000000000000000000d0', fromAlgebraJson(vectors.algebra.states[0]!))
    const pools = [
      pool(uniswapV3(json!.fee), '0x00000000000000000000000000000000000000c0', json!.fee, { pair: recorded }),
      pool(algebra, '0x00000000000000000000000000000000000000d0', vectors.algebra.states[0]!.fee, { pair: recorded }),
    ]
    const sizings = optimalSizes({ ...config, pairs: [recorded] }, pools, states)
    expect(sizings).toHaveLength(1)
    expect(sizings[0]!.evaluations).toBeGreaterThan(4)
  })

  test('behavior: a route is dropped unquoted only when its marginal gap is clearly negative: every route whose smallest probe profits is sized, near the fee boundary too', () => {
    const random = mulberry32(9)
    let [sized, dropped] = [0, 0]
    for (let i = 0; i < 60; i++) {
      const states: LocalStates = { v3: new Map(), algebra: new Map() }
      const depth = BigInt(randomInt(random, 1, 5_000)) * 10n ** 18n
      // Prices within ±0.4% of each other: around the 0.05% + 0.3% the two fees take.
      const permille = BigInt(996 + randomInt(random, 0, 8))
      const a = i % 3 === 0
        ? pool(v2, '0x00000000000000000000000000000000000000b1', 3000, { reserves: [depth, (depth * PRICE_NUM) / PRICE_DEN], baseBalance: depth })
        : clPool('0x00000000000000000000000000000000000000b1', 1000n, depth, 3000, i % 2 ? 0 : 20, states)
      const b = clPool('0x00000000000000000000000000000000000000a1', permille, depth, 500, 0, states)
      const sizings = optimalSizes({ ...config, pairs: [pair] }, [a, b], states)
      const probe = pair.sizes[0]! / 1000n
      for (const [buy, sell] of [[a, b], [b, a]] as const) {
        const profits = (grossOf(buy, sell, states)(probe) ?? 0n) > 0n
        const found = sizings.some((s) => s.buyVenue === buy.venue.key && s.sellVenue === sell.venue.key)
        if (profits) expect(found).toBe(true)
        if (found) sized++
        else dropped++
      }
    }
    expect(sized).toBeGreaterThan(10)
    expect(dropped).toBeGreaterThan(60)
  })
})
