import { clSwapWith, type ClSwapResult, type TickSteps } from './clSwap.ts'
import { nextInitializedTickWithinOneWord, type TickBitmap } from './tickBitmap.ts'

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

export type V3SwapResult = ClSwapResult

/**
 * V3 steps: at most one bitmap word per step, as TickBitmap.nextInitializedTickWithinOneWord;
 * made once per state object (they read its bitmap and ticks as they are when asked).
 */
export function bitmapSteps(pool: Pick<V3PoolState, 'bitmap' | 'tickSpacing' | 'liquidityNet'>): TickSteps {
  let steps = stepsOf.get(pool)
  if (!steps) stepsOf.set(pool, steps = makeSteps(pool))
  return steps
}

const stepsOf = new WeakMap<object, TickSteps>()

function makeSteps(pool: Pick<V3PoolState, 'bitmap' | 'tickSpacing' | 'liquidityNet'>): TickSteps {
  return {
    next: (tick, zeroForOne) => nextInitializedTickWithinOneWord(pool.bitmap, tick, pool.tickSpacing, zeroForOne),
    liquidityNet(tick) {
      const net = pool.liquidityNet.get(tick)
      if (net === undefined) throw new Error(`TICK_NOT_LOADED(${tick})`)
      return net
    },
  }
}

/**
 * UniswapV3Pool.swap without the transfers. Throws TickDataMissing when it needs a
 * bitmap word that was not read.
 */
export function v3Swap(pool: V3PoolState, zeroForOne: boolean, amountSpecified: bigint, sqrtPriceLimitX96 = 0n, keepLastStep = false): V3SwapResult {
  return clSwapWith(pool, bitmapSteps(pool), zeroForOne, amountSpecified, sqrtPriceLimitX96, keepLastStep)
}
