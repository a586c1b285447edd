import { addDelta } from './liquidityMath.ts'
import { computeSwapStep } from './swapMath.ts'
import { getSqrtRatioAtTick, getTickAtSqrtRatio, MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK } from './tickMath.ts'

/** sqrt ratios of tick boundaries repeat across quotes of a pool: computed once. */
const sqrtRatioCache = new Map<number, bigint>()
export function sqrtRatioAt(tick: number): bigint {
  let ratio = sqrtRatioCache.get(tick)
  if (ratio === undefined) {
    if (sqrtRatioCache.size > 100_000) sqrtRatioCache.clear()
    ratio = getSqrtRatioAtTick(tick)
    sqrtRatioCache.set(tick, ratio)
  }
  return ratio
}

/**
 * How a concentrated-liquidity pool finds the next tick to step to. Uniswap V3 steps at
 * most one bitmap word at a time (uninitialized word edges split a swap into steps, and
 * the rounding follows); Algebra jumps straight to the next initialized tick.
 */
export type TickSteps = {
  next(tick: number, zeroForOne: boolean): { next: number; initialized: boolean }
  /** Net liquidity added when crossing the tick left to right. */
  liquidityNet(tick: number): bigint
}

export type ClPoolState = {
  sqrtPriceX96: bigint
  tick: number
  liquidity: bigint
  /** Hundredths of a bip (Algebra: the current, possibly dynamic, fee). */
  fee: number
  steps: TickSteps
}

export type ClSwapResult = {
  amount0: bigint
  amount1: bigint
  sqrtPriceX96After: bigint
  /** Initialized ticks crossed. */
  ticksCrossed: number
  /**
   * The swap reached its price limit: the pool ran out of liquidity (with no limit given) and
   * the amount was not filled whole. The on-chain quoters show it the same way: the price
   * after the swap equals the limit.
   */
  partial: boolean
  /** Where the swap's last step began (asked for with `keepLastStep`): `resumeSwap` prices another amount that ends in it. */
  lastStep?: LastStep
}

/**
 * The state a swap's last step began from — price, the step's target, liquidity, fee, and the
 * amounts the earlier steps settled — with the amount the swap was asked for. Every earlier step
 * ran to its target whatever the amount beyond it, so another amount that ends inside this step
 * crosses the same ticks and settles the same earlier amounts: one step prices it.
 */
export type LastStep = {
  amountSpecified: bigint
  zeroForOne: boolean
  sqrtPriceX96: bigint
  target: bigint
  liquidity: bigint
  fee: bigint
  /** `remaining` and `calculated` of the swap loop as the step began, and the ticks crossed before it. */
  remaining: bigint
  calculated: bigint
  ticksCrossed: number
}

/**
 * The swap loop shared by UniswapV3Pool.swap and Algebra's swap calculation, without
 * transfers: amountSpecified > 0 is exact input, < 0 exact output. With no price limit
 * (the quoters' 0) it runs to MIN/MAX_SQRT_RATIO ± 1. Fee and protocol/community fee
 * splits do not change the amounts and are left out.
 */
export function clSwap(pool: ClPoolState, zeroForOne: boolean, amountSpecified: bigint, sqrtPriceLimitX96 = 0n, keepLastStep = false): ClSwapResult {
  return clSwapWith(pool, pool.steps, zeroForOne, amountSpecified, sqrtPriceLimitX96, keepLastStep)
}

/** `clSwap` with the pool's steps given apart (a Uniswap V3 pool's come from its bitmap). */
export function clSwapWith(pool: Omit<ClPoolState, 'steps'>, steps: TickSteps, zeroForOne: boolean, amountSpecified: bigint, sqrtPriceLimitX96 = 0n, keepLastStep = false): ClSwapResult {
  if (amountSpecified === 0n) throw new Error('AS')
  const limit = sqrtPriceLimitX96 === 0n ? (zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n) : sqrtPriceLimitX96
  if (zeroForOne ? limit >= pool.sqrtPriceX96 || limit <= MIN_SQRT_RATIO : limit <= pool.sqrtPriceX96 || limit >= MAX_SQRT_RATIO) throw new Error('SPL')
  const exactInput = amountSpecified > 0n
  const fee = BigInt(pool.fee)
  let remaining = amountSpecified
  let calculated = 0n
  let sqrtPriceX96 = pool.sqrtPriceX96
  let tick = pool.tick
  let liquidity = pool.liquidity
  let ticksCrossed = 0
  let precheck = true
  // The last step's start (kept as plain values: an object only at the end, when asked for).
  let lastStart = 0n
  let lastTarget = 0n
  let lastLiquidity = 0n
  let lastRemaining = 0n
  let lastCalculated = 0n
  let lastCrossed = 0

  while (remaining !== 0n && sqrtPriceX96 !== limit) {
    const start = sqrtPriceX96
    let { next, initialized } = steps.next(tick, zeroForOne)
    if (next < MIN_TICK) next = MIN_TICK
    else if (next > MAX_TICK) next = MAX_TICK
    const sqrtPriceNextX96 = sqrtRatioAt(next)
    const target = (zeroForOne ? sqrtPriceNextX96 < limit : sqrtPriceNextX96 > limit) ? limit : sqrtPriceNextX96
    if (keepLastStep) {
      lastStart = start
      lastTarget = target
      lastLiquidity = liquidity
      lastRemaining = remaining
      lastCalculated = calculated
      lastCrossed = ticksCrossed
    }
    const step = computeSwapStep(sqrtPriceX96, target, liquidity, remaining, fee, precheck, false)
    sqrtPriceX96 = step.sqrtRatioNextX96
    // A swap that reached one target will likely reach the next: skip the float shortcut.
    if (sqrtPriceX96 === target) precheck = false
    if (exactInput) {
      remaining -= step.amountIn + step.feeAmount
      calculated -= step.amountOut
    } else {
      remaining += step.amountOut
      calculated += step.amountIn + step.feeAmount
    }
    if (sqrtPriceX96 === sqrtPriceNextX96) {
      if (initialized) {
        const net = steps.liquidityNet(next)
        liquidity = addDelta(liquidity, zeroForOne ? -net : net)
        ticksCrossed++
      }
      tick = zeroForOne ? next - 1 : next
    } else if (sqrtPriceX96 !== start && remaining !== 0n && sqrtPriceX96 !== limit) {
      // The pool recomputes its tick here; the amounts only need it if the loop goes on
      // (it cannot: a step short of its target used up the amount or hit the limit).
      tick = getTickAtSqrtRatio(sqrtPriceX96)
    }
  }

  const [amount0, amount1] = zeroForOne === exactInput
    ? [amountSpecified - remaining, calculated]
    : [calculated, amountSpecified - remaining]
  const result: ClSwapResult = { amount0, amount1, sqrtPriceX96After: sqrtPriceX96, ticksCrossed, partial: sqrtPriceX96 === limit }
  if (keepLastStep && lastTarget !== 0n) {
    result.lastStep = { amountSpecified, zeroForOne, sqrtPriceX96: lastStart, target: lastTarget, liquidity: lastLiquidity, fee, remaining: lastRemaining, calculated: lastCalculated, ticksCrossed: lastCrossed }
  }
  return result
}

/**
 * The same swap (same pool state, direction, no price limit) for `amountSpecified` instead,
 * priced from `last`, the step the swap it was kept from ended in: exactly what `clSwap` returns
 * when the amount ends inside that step, short of its target. null when it does not — it ends in
 * an earlier step, or reaches the target (the loop would go on, or cross a tick) — and the caller
 * swaps in full.
 */
export function resumeSwap(last: LastStep, amountSpecified: bigint): ClSwapResult | null {
  const exactInput = last.amountSpecified > 0n
  // What this amount has left as the step begins: the earlier steps settled the same amounts.
  const remaining = amountSpecified - (last.amountSpecified - last.remaining)
  if (exactInput ? remaining <= 0n : remaining >= 0n) return null
  const step = computeSwapStep(last.sqrtPriceX96, last.target, last.liquidity, remaining, last.fee, true, false)
  if (step.sqrtRatioNextX96 === last.target) return null
  const left = exactInput ? remaining - (step.amountIn + step.feeAmount) : remaining + step.amountOut
  // A step short of its target uses the amount up; anything else is the loop's to go on with.
  if (left !== 0n) return null
  const calculated = exactInput ? last.calculated - step.amountOut : last.calculated + step.amountIn + step.feeAmount
  const [amount0, amount1] = last.zeroForOne === exactInput ? [amountSpecified, calculated] : [calculated, amountSpecified]
  return { amount0, amount1, sqrtPriceX96After: step.sqrtRatioNextX96, ticksCrossed: last.ticksCrossed, partial: false }
}

/** Algebra-style steps over a sorted list of initialized ticks (MIN_TICK/MAX_TICK sentinels included). */
export function sortedTickSteps(ticks: Map<number, bigint>): TickSteps & { ticks: Map<number, bigint> } {
  const sorted = [...ticks.keys()].sort((a, b) => a - b)
  return {
    ticks,
    next(tick, zeroForOne) {
      // zeroForOne: the greatest initialized tick <= tick; else the least > tick.
      let lo = 0
      let hi = sorted.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (sorted[mid]! <= tick) lo = mid + 1
        else hi = mid
      }
      const next = zeroForOne ? sorted[lo - 1] : sorted[lo]
      if (next === undefined) return { next: zeroForOne ? MIN_TICK : MAX_TICK, initialized: false }
      return { next, initialized: true }
    },
    liquidityNet(tick) {
      const net = ticks.get(tick)
      if (net === undefined) throw new Error(`TICK_NOT_LOADED(${tick})`)
      return net
    },
  }
}
