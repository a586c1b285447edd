/** Hand-made cycle inputs for the pure evaluation: exact quotes at chosen prices, no chain. */
import type { Config } from '../../lib/config/resolve.ts'
import type { CycleInput, QuoteResult, Side } from '../../lib/scan/types.ts'
import { quoteId } from '../../lib/scan/types.ts'

export const POOL = '0x00000000000000000000000000000000000000aa' as const

export function quoteOf(config: Config, pairName: string, venueKey: string, side: Side, size: bigint, amount: bigint, gas: bigint | null = 100_000n): QuoteResult {
  const pair = config.pairs.find((p) => p.name === pairName)!
  const venue = config.venues.find((v) => v.key === venueKey)!
  const request = { id: quoteId(pair.name, venueKey, side, size), pair, venue, pool: POOL as `0x${string}`, fee: venue.fee ?? 0, side, size }
  return side === 'sell'
    ? { request, quoter: 'onchain', ok: true, amountIn: size, amountOut: amount, gasEstimate: gas, ticksCrossed: 0 }
    : { request, quoter: 'onchain', ok: true, amountIn: amount, amountOut: size, gasEstimate: gas, ticksCrossed: 0 }
}

export function failedQuote(config: Config, pairName: string, venueKey: string, side: Side, size: bigint, code: 'QUOTE_REVERT' | 'POOL_NO_LIQUIDITY' | 'INFRA_RPC_ERROR', reason: string): QuoteResult {
  const ok = quoteOf(config, pairName, venueKey, side, size, 1n)
  return { request: ok.request, quoter: 'onchain', ok: false, code, reason }
}

export function cycleInput(quotes: QuoteResult[], overrides: Partial<CycleInput> = {}): CycleInput {
  return {
    runMode: 'REGISTRY_REAL', quoteSource: 'onchain', quoter: 'onchain', synthetic: false, cycle: 1, chainId: 42_161,
    block: 1000, pinError: null, blockTimestamp: 1, gasPriceWei: 10_000_000n, pools: [], dropped: [], quotes, sizings: [],
    rpc: { total_requests: 0, successful_requests: 0, failed_requests: 0, timeout_requests: 0, avg_latency_ms: 0, max_latency_ms: 0, success_rate: null, endpoints_healthy: 0, endpoints_total: 0, endpoints: [] },
    ...overrides,
  }
}
