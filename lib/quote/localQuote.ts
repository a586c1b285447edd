import type { Config } from '../config/resolve.ts'
import type { RegisteredPool } from '../chain/registry.ts'
import { TickDataMissing } from '../math/tickBitmap.ts'
import { getAmountIn, getAmountOut } from '../math/v2.ts'
import { clSwap, resumeSwap, type ClPoolState, type ClSwapResult, type LastStep } from '../math/clSwap.ts'
import { v3Swap, type V3PoolState } from '../math/v3Swap.ts'
import type { QuoteRequest, QuoteResult } from '../scan/types.ts'
import { partialFill } from './partialFill.ts'

/**
 * A quote from ARBY's exact local math (wei-equal to the venue's quoter), or null when
 * it cannot be computed from what was read (V3 ticks beyond the read words, Algebra pools
 * with plugin hooks): the caller then asks the on-chain quoter. Never a guess.
 */
export type LocalStates = { v3: Map<string, V3PoolState>; algebra: Map<string, ClPoolState> }

export function localQuote(request: QuoteRequest, pool: RegisteredPool, states: LocalStates, gas: Config['gas']): QuoteResult | null {
  const leg = localLeg(pool, request.side === 'sell', request.size, states, gas)
  if (leg === null) return null
  if ('error' in leg) return { request, quoter: 'local', ok: false, code: 'QUOTE_REVERT', reason: leg.error }
  if (leg.partial) return partialFill(request, 'local', leg)
  return { request, quoter: 'local', ok: true, amountIn: leg.amountIn, amountOut: leg.amountOut, gasEstimate: leg.gasEstimate, ticksCrossed: leg.ticksCrossed }
}

/**
 * A leg's amounts, or why the math reverted; `partial`: the pool ran dry before `size` (its
 * amounts are what it filled); `lastStep`, when asked for: where a concentrated pool's swap
 * began its last step (`resumeLeg` prices sizes near it from there).
 */
export type LocalLeg = { amountIn: bigint; amountOut: bigint; gasEstimate: bigint | null; ticksCrossed: number | null; partial: boolean; lastStep?: LastStep } | { error: string }

/**
 * One leg from the pool's local state — sell: `size` base in (exact input); buy: quote in for
 * exactly `size` base out — with no request or result object around it (route sizing asks for
 * thousands a block); null when it cannot be computed from what was read.
 */
export function localLeg(pool: RegisteredPool, sell: boolean, size: bigint, states: LocalStates, gas: Config['gas'], keepLastStep = false): LocalLeg | null {
  if (pool.venue.type === 'uniswap_v2' && pool.reserves) {
    const [reserveBase, reserveQuote] = pool.baseIsToken0 ? pool.reserves : [pool.reserves[1], pool.reserves[0]]
    const fee = BigInt(pool.fee)
    try {
      return sell
        ? { amountIn: size, amountOut: getAmountOut(size, reserveBase, reserveQuote, fee), gasEstimate: null, ticksCrossed: null, partial: false, lastStep: undefined }
        : { amountIn: getAmountIn(size, reserveQuote, reserveBase, fee), amountOut: size, gasEstimate: null, ticksCrossed: null, partial: false, lastStep: undefined }
    } catch (error) {
      return { error: `V2 math: ${(error as Error).message}` }
    }
  }

  const v3 = pool.venue.type === 'uniswap_v3' ? states.v3.get(pool.address) : undefined
  const algebra = pool.venue.type === 'algebra' ? states.algebra.get(pool.address) : undefined
  if (v3 || algebra) {
    const zeroForOne = sell === pool.baseIsToken0
    try {
      const result = v3 ? v3Swap(v3, zeroForOne, sell ? size : -size, 0n, keepLastStep) : clSwap(algebra!, zeroForOne, sell ? size : -size, 0n, keepLastStep)
      return clLeg(result, zeroForOne, gas)
    } catch (error) {
      if (error instanceof TickDataMissing) return null
      return { error: `${pool.venue.type} math: ${(error as Error).message}` }
    }
  }
  return null
}

/**
 * The same pool's leg on the same side at another `size`, priced from `last` (a leg's
 * `lastStep`) with one step: the very amounts `localLeg` gives when the size ends in that step;
 * null when it does not (the caller quotes it in full).
 */
export function resumeLeg(sell: boolean, size: bigint, last: LastStep, gas: Config['gas']): LocalLeg | null {
  if ((last.amountSpecified > 0n) !== sell) return null
  try {
    const result = resumeSwap(last, sell ? size : -size)
    return result && clLeg(result, last.zeroForOne, gas)
  } catch {
    // Math that reverts here reverts in the full swap too: it says so there.
    return null
  }
}

function clLeg(result: ClSwapResult, zeroForOne: boolean, gas: Config['gas']): LocalLeg {
  return {
    amountIn: zeroForOne ? result.amount0 : result.amount1,
    amountOut: -(zeroForOne ? result.amount1 : result.amount0),
    gasEstimate: BigInt(gas.v3_swap_units + gas.tick_cross_units * result.ticksCrossed),
    ticksCrossed: result.ticksCrossed,
    partial: result.partial,
    lastStep: result.lastStep,
  }
}
