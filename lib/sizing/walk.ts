import type { RegisteredPool } from '../chain/registry.ts'
import { FEE_DENOMINATOR } from '../math/constants.ts'
import { sqrtRatioAt, type TickSteps } from '../math/clSwap.ts'
import { addDelta } from '../math/liquidityMath.ts'
import { computeSwapStep } from '../math/swapMath.ts'
import { getTickAtSqrtRatio, MAX_TICK, MIN_TICK } from '../math/tickMath.ts'
import { bitmapSteps } from '../math/v3Swap.ts'
import type { LocalStates } from '../quote/localQuote.ts'
import { v2OptimalSize, type V2Side } from './v2Closed.ts'

const Q96 = 1n << 96n
/** An exact-input or exact-output amount no step reaches: a step to its target. */
const UNBOUNDED = 1n << 200n
/** Tick ranges walked before the walk gives up and the caller searches. */
const MAX_SEGMENTS = 512

/**
 * One leg of a route seen as a curve the walk moves along: the pool's constant-product curve
 * in its current range, the base amount to the range's end, and a move by a base amount.
 */
type Cursor = {
  curve(): V2Side | null
  /** Base (sold in, fee included, or bought out) to the next tick the pool stops at; null: none before the pool runs dry. */
  toBoundary(): bigint | null
  advance(base: bigint, whole: boolean): void
  /** Initialized ticks crossed so far (null for a V2 pair). */
  crossed: number | null
}

/**
 * The gross-profit-maximising size of buying base on `buy` and selling it on `sell`, walking
 * both pools' tick ranges side by side (degenbot's piecewise approach): within a stretch where
 * neither pool crosses a tick both are exactly constant-product curves, so the optimum of the
 * stretch is the closed form from the pools' state at its start; when that lies beyond the
 * stretch, both legs move to its end (the nearer tick; crossing it changes that pool's
 * liquidity) and the walk goes on. Gross profit is concave, so the first stretch holding its
 * optimum holds the global one. Returns the size with the initialized ticks each leg crosses to
 * reach it, or null when the walk cannot tell (ticks not read, a price limit, too many ranges):
 * the caller searches. The size is a center, settled by the caller against the exact quotes.
 */
export function walkOptimum(buy: RegisteredPool, sell: RegisteredPool, states: LocalStates, firstStops?: FirstStops, curves?: { buy: V2Side | null; sell: V2Side | null }): { x: bigint; stretch: bigint; buyCrossed: number | null; sellCrossed: number | null } | null {
  const b = cursor(buy, 'buy', states, firstStops, curves?.buy)
  const s = cursor(sell, 'sell', states, firstStops, curves?.sell)
  if (!b || !s) return null
  let x = 0n
  try {
    for (let i = 0; i < MAX_SEGMENTS; i++) {
      const toB = b.toBoundary()
      const toS = s.toBoundary()
      const [cb, cs] = [b.curve(), s.curve()]
      // A range without liquidity costs nothing to cross: both ends are at 0 base.
      if (!cb || !cs) {
        if (toB !== 0n && toS !== 0n) return null
        if (toB === 0n) b.advance(0n, true)
        if (toS === 0n) s.advance(0n, true)
        continue
      }
      // The pools' own curves (`curves`) on the first stretch: their roots kept with them.
      const dx = v2OptimalSize(cb, cs, i === 0 && curves !== undefined)
      const end = toB === null ? toS : toS === null ? toB : toB < toS ? toB : toS
      if (dx === 0n || end === null || dx <= end) return { x: x + dx, stretch: x, buyCrossed: b.crossed, sellCrossed: s.crossed }
      b.advance(end, end === toB)
      s.advance(end, end === toS)
      x += end
    }
  } catch {
    // A tick word not read, a liquidity or price bound: not a walk to trust.
    return null
  }
  return null
}

/**
 * A concentrated-liquidity pool's virtual reserves in its current tick range — x = L·2^96/√P of
 * token0, y = L·√P/2^96 of token1: within the range the pool is exactly that curve — as base and
 * quote; null without liquidity.
 */
export function virtualCurve(liquidity: bigint, sqrtPriceX96: bigint, baseIsToken0: boolean, fee: bigint): V2Side | null {
  if (liquidity === 0n) return null
  const [x, y] = [(liquidity * Q96) / sqrtPriceX96, (liquidity * sqrtPriceX96) / Q96]
  return { reserveBase: baseIsToken0 ? x : y, reserveQuote: baseIsToken0 ? y : x, fee }
}

/** The next tick a swap stops at, from where a cursor stands, and the base amount that reaches it. */
type Stop = { tick: number; initialized: boolean; sqrt: bigint; base: bigint }

/**
 * Each concentrated pool's first stop by side, by pool object: every route through a pool
 * starts its walk there (a pair's touched pool is in a route with each other pool, both ways).
 */
export type FirstStops = Map<RegisteredPool, { buy?: Stop; sell?: Stop }> | WeakMap<RegisteredPool, { buy?: Stop; sell?: Stop }>

/** `initial`: the pool's curve at its state, made by the caller (given: the cursor's until it moves, the very object). */
function cursor(pool: RegisteredPool, side: 'buy' | 'sell', states: LocalStates, firstStops?: FirstStops, initial?: V2Side | null): Cursor | null {
  if (pool.reserves) return new PairCursor(pool, side, initial)
  const v3 = pool.venue.type === 'uniswap_v3' ? states.v3.get(pool.address) : undefined
  const algebra = pool.venue.type === 'algebra' ? states.algebra.get(pool.address) : undefined
  const state = v3 ?? algebra
  if (!state) return null
  return new RangeCursor(pool, side, v3 ? bitmapSteps(v3) : algebra!.steps, state, firstStops, initial)
}

/**
 * A V2 pair's leg. The curve that continues one swap (not a second swap): the fee a V2 pair
 * keeps in its reserves does not price the rest of the same trade — selling δ leaves the curve
 * through (B + γ·δ, Q·B/(B + γ·δ)), buying δ the one through (B − δ, Q·B/(B − δ)).
 */
class PairCursor implements Cursor {
  readonly crossed = null
  private base: bigint
  private quote: bigint
  private readonly fee: bigint

  constructor(pool: RegisteredPool, private readonly side: 'buy' | 'sell', private first: V2Side | null | undefined) {
    const reserves = pool.reserves!
    this.base = pool.baseIsToken0 ? reserves[0] : reserves[1]
    this.quote = pool.baseIsToken0 ? reserves[1] : reserves[0]
    this.fee = BigInt(pool.fee)
  }

  curve(): V2Side | null {
    return this.first !== undefined ? this.first : { reserveBase: this.base, reserveQuote: this.quote, fee: this.fee }
  }

  toBoundary(): bigint | null {
    return null
  }

  advance(amount: bigint): void {
    this.first = undefined
    const after = this.side === 'sell' ? this.base + (amount * (FEE_DENOMINATOR - this.fee)) / FEE_DENOMINATOR : this.base - amount
    if (after <= 0n) throw new Error('V2 reserve exhausted')
    this.quote = (this.quote * this.base) / after
    this.base = after
  }
}

/** A concentrated-liquidity pool's leg, range by range as the pool's swap loop steps. */
class RangeCursor implements Cursor {
  crossed = 0
  private sqrtPriceX96: bigint
  private tick: number
  private liquidity: bigint
  private readonly fee: bigint
  /** Selling base moves the price the way base flows in; buying base, the other way. */
  private readonly zeroForOne: boolean
  /** The next tick the pool's swap loop stops at, and the base amount that reaches it. */
  private next: Stop | null
  private moved = false

  constructor(private readonly pool: RegisteredPool, private readonly side: 'buy' | 'sell', private readonly steps: TickSteps, state: { sqrtPriceX96: bigint; tick: number; liquidity: bigint }, private readonly firstStops: FirstStops | undefined, private first: V2Side | null | undefined) {
    this.sqrtPriceX96 = state.sqrtPriceX96
    this.tick = state.tick
    this.liquidity = state.liquidity
    this.fee = BigInt(pool.fee)
    this.zeroForOne = (side === 'sell') === pool.baseIsToken0
    this.next = firstStops?.get(pool)?.[side] ?? null
  }

  curve(): V2Side | null {
    return this.first !== undefined ? this.first : virtualCurve(this.liquidity, this.sqrtPriceX96, this.pool.baseIsToken0, this.fee)
  }

  toBoundary(): bigint | null {
    const at = this.boundary()
    // The extreme ticks end the pool's liquidity: no tick to walk to.
    return at.tick === MIN_TICK || at.tick === MAX_TICK ? null : at.base
  }

  advance(amount: bigint, whole: boolean): void {
    const at = this.boundary()
    this.moved = true
    this.first = undefined
    if (whole) {
      this.sqrtPriceX96 = at.sqrt
      if (at.initialized) {
        const net = this.steps.liquidityNet(at.tick)
        this.liquidity = addDelta(this.liquidity, this.zeroForOne ? -net : net)
        this.crossed++
      }
      this.tick = this.zeroForOne ? at.tick - 1 : at.tick
    } else if (amount > 0n) {
      this.sqrtPriceX96 = computeSwapStep(this.sqrtPriceX96, at.sqrt, this.liquidity, this.side === 'sell' ? amount : -amount, this.fee, false).sqrtRatioNextX96
      this.tick = getTickAtSqrtRatio(this.sqrtPriceX96)
    }
    this.next = null
  }

  private boundary(): Stop {
    if (this.next) return this.next
    let { next: to, initialized } = this.steps.next(this.tick, this.zeroForOne)
    if (to < MIN_TICK) to = MIN_TICK
    else if (to > MAX_TICK) to = MAX_TICK
    const sqrt = sqrtRatioAt(to)
    if (sqrt === this.sqrtPriceX96) throw new Error('price bound')
    const step = computeSwapStep(this.sqrtPriceX96, sqrt, this.liquidity, this.side === 'sell' ? UNBOUNDED : -UNBOUNDED, this.fee, false)
    const next: Stop = { tick: to, initialized, sqrt, base: this.side === 'sell' ? step.amountIn + step.feeAmount : step.amountOut }
    this.next = next
    if (this.firstStops && !this.moved) {
      const stops = this.firstStops.get(this.pool)
      if (stops) stops[this.side] = next
      else this.firstStops.set(this.pool, { [this.side]: next })
    }
    return next
  }
}
