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

/**
 * The market most pure tests stand on: config/arbitrum.yaml's WETH/USDC with its anchor
 * (uniswap_v3:500) at exactly 3000 USDC per WETH on both sides at 0.1 and 1 WETH; `q` makes any
 * other quote of the pair, `gapAt` a block where sushiswap_v3:3000 pays `usdc` for 0.1 WETH.
 */
export function wethUsdcMarket(config: Config) {
  const WETH = 10n ** 18n
  const TENTH = WETH / 10n
  const USDC = 10n ** 6n
  const q = (venue: string, side: Side, size: bigint, units: bigint, gas: bigint | null = 100_000n) => quoteOf(config, 'WETH/USDC', venue, side, size, units, gas)
  const anchor = [TENTH, WETH].flatMap((size) => [q('uniswap_v3:500', 'sell', size, (3000n * USDC * size) / WETH), q('uniswap_v3:500', 'buy', size, (3000n * USDC * size) / WETH)])
  const gapAt = (block: number, usdc: bigint): CycleInput => cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, usdc)], { block })
  return { WETH, TENTH, USDC, q, anchor, gapAt }
}
