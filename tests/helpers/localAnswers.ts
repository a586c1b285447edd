/** ARBY's local math answering the same questions as the quoters, in the quoters' terms. */
import { clSwap, type ClPoolState } from '../../lib/math/clSwap.ts'
import { getAmountIn, getAmountOut } from '../../lib/math/v2.ts'
import { v3Swap, type V3PoolState } from '../../lib/math/v3Swap.ts'
import type { SwapAnswer, SwapCase, V2Case, V2Pair } from './mathMarkets.ts'

/**
 * A swap as the quoters report it with no price limit: amounts and the price after; an exact
 * output the pool cannot fill whole reverts in both quoters (null); an exact input that runs
 * dry returns its partial amounts with the price at the limit.
 */
export function localClAnswer(state: V3PoolState | ClPoolState, c: SwapCase): { answer: SwapAnswer; ticksCrossed: number } {
  try {
    const r = 'bitmap' in state ? v3Swap(state, c.zeroForOne, c.exactIn ? c.amount : -c.amount) : clSwap(state, c.zeroForOne, c.exactIn ? c.amount : -c.amount)
    if (!c.exactIn && r.partial) return { answer: null, ticksCrossed: r.ticksCrossed }
    return { answer: { amountIn: c.zeroForOne ? r.amount0 : r.amount1, amountOut: -(c.zeroForOne ? r.amount1 : r.amount0), sqrtPriceX96After: r.sqrtPriceX96After }, ticksCrossed: r.ticksCrossed }
  } catch {
    return { answer: null, ticksCrossed: 0 }
  }
}

/** Compares local answers with the chain's: the mismatches (as text) and how many crossed ≥ 2 initialized ticks. */
export function compareCl(states: (c: SwapCase) => V3PoolState | ClPoolState, cases: SwapCase[], chain: SwapAnswer[], label: (c: SwapCase) => string): { mismatches: string[]; multiTick: number } {
  const mismatches: string[] = []
  let multiTick = 0
  cases.forEach((c, i) => {
    const local = localClAnswer(states(c), c)
    if (local.ticksCrossed >= 2) multiTick++
    if (show(local.answer) !== show(chain[i]!)) mismatches.push(`${label(c)} ${c.zeroForOne ? '0→1' : '1→0'} ${c.exactIn ? 'in' : 'out'} ${c.amount}: local ${show(local.answer)} chain ${show(chain[i]!)}`)
  })
  return { mismatches, multiTick }
}

/** Router02's computed amount, or null where it reverts. */
export function localV2Answer(pairs: V2Pair[], c: V2Case): bigint | null {
  const pair = pairs[c.pair]!
  const [tokenIn, tokenOut] = c.aToB ? [pair.a, pair.b] : [pair.b, pair.a]
  try {
    return c.exactIn
      ? getAmountOut(c.amount, pair.reserves.get(tokenIn)!, pair.reserves.get(tokenOut)!)
      : getAmountIn(c.amount, pair.reserves.get(tokenIn)!, pair.reserves.get(tokenOut)!)
  } catch {
    return null
  }
}

export function show(answer: SwapAnswer): string {
  return answer === null ? 'revert' : `in ${answer.amountIn} out ${answer.amountOut} price ${answer.sqrtPriceX96After}`
}
