import type { QuoteFailed, QuoteRequest, Quoter } from '../scan/types.ts'

/**
 * A swap that stopped at its price limit before filling `size`: the pool ran out of
 * liquidity. The quoters answer with the partial amounts; ARBY rejects it with them (never a
 * quote). V3's QuoterV2 reports only one side of a partial swap: the other is null.
 */
export function partialFill(request: QuoteRequest, quoter: Quoter, filled: { amountIn: bigint | null; amountOut: bigint | null }): QuoteFailed {
  const { pair, side, size } = request
  const figures = [
    filled.amountIn === null ? null : `taking ${filled.amountIn} ${(side === 'sell' ? pair.base : pair.quote).symbol} units`,
    filled.amountOut === null ? null : `paying out ${filled.amountOut} ${(side === 'sell' ? pair.quote : pair.base).symbol} units`,
  ].filter(Boolean)
  const reason = `the pool runs out of liquidity ${side === 'sell' ? 'selling' : 'buying'} ${size} ${pair.base.symbol} units: its price reaches the limit after ${figures.join(' and ')}`
  return { request, quoter, ok: false, code: 'POOL_NO_LIQUIDITY', reason }
}
