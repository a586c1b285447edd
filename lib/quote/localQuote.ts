import type { Config } from '../config/resolve.ts'
import type { RegisteredPool } from '../chain/registry.ts'
import { TickDataMissing } from '../math/tickBitmap.ts'
import { getAmountIn, getAmountOut } from '../math/v2.ts'
import { clSwap, type ClPoolState } from '../math/clSwap.ts'
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
  const sell = request.side === 'sell'
  const size = request.size
  const base = { request, quoter: 'local' } as const

  if (pool.venue.type === 'uniswap_v2' && pool.reserves) {
    const [reserveBase, reserveQuote] = pool.baseIsToken0 ? pool.reserves : [pool.reserves[1], pool.reserves[0]]
    const fee = BigInt(pool.fee)
    try {
      return sell
        ? { ...base, ok: true, amountIn: size, amountOut: getAmountOut(size, reserveBase, reserveQuote, fee), gasEstimate: null, ticksCrossed: null }
        : { ...base, ok: true, amountIn: getAmountIn(size, reserveQuote, reserveBase, fee), amountOut: size, gasEstimate: null, ticksCrossed: null }
    } catch (error) {
      return { ...base, ok: false, code: 'QUOTE_REVERT', reason: `V2 math: ${(error as Error).message}` }
    }
  }

  const v3 = pool.venue.type === 'uniswap_v3' ? states.v3.get(pool.address) : undefined
  const algebra = pool.venue.type === 'algebra' ? states.algebra.get(pool.address) : undefined
  if (v3 || algebra) {
    // sell: base in (exact); buy: quote in for exactly `size` base out.
    const zeroForOne = sell === pool.baseIsToken0
    try {
      const result = v3 ? v3Swap(v3, zeroForOne, sell ? size : -size) : clSwap(algebra!, zeroForOne, sell ? size : -size)
      const inAmount = zeroForOne ? result.amount0 : result.amount1
      const outAmount = -(zeroForOne ? result.amount1 : result.amount0)
      const gasEstimate = BigInt(gas.v3_swap_units + gas.tick_cross_units * result.ticksCrossed)
      if (result.partial) return partialFill(request, 'local', { amountIn: inAmount, amountOut: outAmount })
      return { ...base, ok: true, amountIn: inAmount, amountOut: outAmount, gasEstimate, ticksCrossed: result.ticksCrossed }
    } catch (error) {
      if (error instanceof TickDataMissing) return null
      return { ...base, ok: false, code: 'QUOTE_REVERT', reason: `${pool.venue.type} math: ${(error as Error).message}` }
    }
  }
  return null
}
