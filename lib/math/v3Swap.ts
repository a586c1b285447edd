import { addDelta } from './liquidityMath.ts'
import { computeSwapStep } from './swapMath.ts'
import { nextInitializedTickWithinOneWord, type TickBitmap } from './tickBitmap.ts'
import { getSqrtRatioAtTick, getTickAtSqrtRatio, MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK } from './tickMath.ts'

/** A Uniswap V3 pool's state at one block: what the swap loop needs, nothing more. */
export type V3PoolState = {
  sqrtPriceX96: bigint
  tick: number
  liquidity: bigint
  /** Hundredths of a bip. */
  fee: number
  tickSpacing: number
  bitmap: TickBitmap
  /** liquidityNet of every initialized tick inside the read bitmap words. */
  liquidityNet: Map<number, bigint>
}

export type V3SwapResult = {
  amount0: bigint
  amount1: bigint
  sqrtPriceX96After: bigint
  /** Initialized ticks crossed (as QuoterV2 counts them). */
  ticksCrossed: number
  /** The swap stopped at the price limit before using/receiving the whole amount. */
  partial: boolean
}

/**
 * UniswapV3Pool.swap, without the transfers: amountSpecified > 0 is exact input, < 0
 * exact output. With no price limit (the quoter's 0) it runs to MIN/MAX_SQRT_RATIO ± 1.
 * Throws TickDataMissing when it needs a bitmap word that was not read.
 */
export function v3Swap(pool: V3PoolState, zeroForOne: boolean, amountSpecified: bigint, sqrtPriceLimitX96 = 0n): V3SwapResult {
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

  while (remaining !== 0n && sqrtPriceX96 !== limit) {
    const start = sqrtPriceX96
    let { next, initialized } = nextInitializedTickWithinOneWord(pool.bitmap, tick, pool.tickSpacing, zeroForOne)
    if (next < MIN_TICK) next = MIN_TICK
    else if (next > MAX_TICK) next = MAX_TICK
    const sqrtPriceNextX96 = getSqrtRatioAtTick(next)
    const target = (zeroForOne ? sqrtPriceNextX96 < limit : sqrtPriceNextX96 > limit) ? limit : sqrtPriceNextX96
    const step = computeSwapStep(sqrtPriceX96, target, liquidity, remaining, fee)
    sqrtPriceX96 = step.sqrtRatioNextX96
    if (exactInput) {
      remaining -= step.amountIn + step.feeAmount
      calculated -= step.amountOut
    } else {
      remaining += step.amountOut
      calculated += step.amountIn + step.feeAmount
    }
    if (sqrtPriceX96 === sqrtPriceNextX96) {
      if (initialized) {
        const net = pool.liquidityNet.get(next)
        if (net === undefined) throw new Error(`TICK_NOT_LOADED(${next})`)
        liquidity = addDelta(liquidity, zeroForOne ? -net : net)
        ticksCrossed++
      }
      tick = zeroForOne ? next - 1 : next
    } else if (sqrtPriceX96 !== start) {
      tick = getTickAtSqrtRatio(sqrtPriceX96)
    }
  }

  const [amount0, amount1] = zeroForOne === exactInput
    ? [amountSpecified - remaining, calculated]
    : [calculated, amountSpecified - remaining]
  return { amount0, amount1, sqrtPriceX96After: sqrtPriceX96, ticksCrossed, partial: remaining !== 0n }
}
