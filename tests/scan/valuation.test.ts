import { describe, expect, test } from 'bun:test'
import type { Config, Pair, Token } from '../../lib/config/resolve.ts'
import { loadConfig } from '../../lib/config/load.ts'
import type { QuoteOk } from '../../lib/scan/types.ts'
import { Valuation } from '../../lib/scan/valuation.ts'
import { quoteOf } from './fixtures.ts'

/** config/arbitrum.yaml: USDC and USDT are USD (6 decimals), WBTC 8, WETH and ARB 18; anchors uniswap_v3:500. */
const config = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
const token = (symbol: string) => config.tokens.get(symbol)!
const E18 = 10n ** 18n

/** The anchor's smallest-size sell quote of each pair (what Valuation reads): exact amounts given. */
function anchors(entries: [pair: string, amountOut: bigint][], cfg: Config = config): (pair: Pair) => QuoteOk | undefined {
  const out = new Map<string, QuoteOk>()
  for (const [name, amountOut] of entries) {
    const pair = cfg.pairs.find((p) => p.name === name)!
    out.set(name, quoteOf(cfg, name, pair.anchor, 'sell', pair.sizes[0]!, amountOut) as QuoteOk)
  }
  return (pair) => out.get(pair.name)
}

// 0.1 WETH → 300.123456 USDC; 0.01 WBTC → 0.2 WETH; 100 ARB → 0.025 WETH.
const market = anchors([['WETH/USDC', 300_123_456n], ['WBTC/WETH', E18 / 5n], ['ARB/WETH', E18 / 40n]])
const v = new Valuation(config, market)

describe('valuation at the cycle\'s own anchor quotes', () => {
  test('behavior: rates in both orientations of a configured pair are the quote\'s own amounts; same token is 1:1; an unconfigured pair is null', () => {
    expect(v.rate(token('WETH'), token('USDC'))).toEqual({ num: 300_123_456n, den: E18 / 10n })
    expect(v.rate(token('USDC'), token('WETH'))).toEqual({ num: E18 / 10n, den: 300_123_456n })
    expect(v.rate(token('WBTC'), token('WETH'))).toEqual({ num: E18 / 5n, den: 1_000_000n })
    expect(v.rate(token('WETH'), token('ARB'))).toEqual({ num: 100n * E18, den: E18 / 40n })
    expect(v.rate(token('ARB'), token('ARB'))).toEqual({ num: 1n, den: 1n })
    expect(v.rate(token('WBTC'), token('ARB'))).toBeNull()
    // WETH/USDT has no anchor quote this cycle.
    expect(v.rate(token('WETH'), token('USDT'))).toBeNull()
  })

  test('behavior: gas cost in a token is rounded up, never understated; null without a rate', () => {
    // 1 gwei × 200,000 gas = 2e14 wei at 3001.23456 USDC/WETH = 0.600246912 USDC → 600,247 units (rounded up).
    expect(v.gasCost(2n * 10n ** 14n, token('USDC'))).toBe(600_247n)
    expect(v.gasCost(10n ** 17n, token('USDC'))).toBe(300_123_456n)
    expect(v.gasCost(2n * 10n ** 14n, token('WETH'))).toBe(2n * 10n ** 14n)
    expect(v.gasCost(1n, token('ARB'))).toBe(4000n)
    expect(v.gasCost(2n * 10n ** 14n, token('USDT'))).toBeNull()
  })

  test('behavior: exact micro-USD: a stablecoin 1:1 by its decimals, others through WETH, truncated toward zero', () => {
    expect(v.usdMicro(1_234_567n, token('USDC'))).toBe(1_234_567n)
    expect(v.usdMicro(-5n, token('USDC'))).toBe(-5n)
    // 1 WETH = 3001.23456 USD.
    expect(v.usdMicro(E18, token('WETH'))).toBe(3_001_234_560n)
    expect(v.usdMicro(-E18 / 1000n, token('WETH'))).toBe(-3_001_234n)
    // 0.01 WBTC = 0.2 WETH = 600.246912 USD.
    expect(v.usdMicro(1_000_000n, token('WBTC'))).toBe(600_246_912n)
    // 100 ARB = 0.025 WETH = 75.030864 USD.
    expect(v.usdMicro(100n * E18, token('ARB'))).toBe(75_030_864n)
    expect(v.usd(100n * E18, token('ARB'))).toBeCloseTo(75.030864, 9)
    expect(v.usd(2_500_000n, token('USDT'))).toBe(2.5)
  })

  test('behavior: stablecoins of other decimals scale exactly (18 → divide, 4 → multiply)', () => {
    const tokens = new Map(config.tokens)
    const dai: Token = { symbol: 'DAI', address: '0xDA10009cBd5D07dd0CeCc66161FC93D7c9000da1', decimals: 18, usd: true, sizes: null, minNetProfit: null, minLiquidity: null }
    const tiny: Token = { symbol: 'TINY', address: '0x0000000000000000000000000000000000000bbb', decimals: 4, usd: true, sizes: null, minNetProfit: null, minLiquidity: null }
    tokens.set('DAI', dai)
    tokens.set('TINY', tiny)
    const w = new Valuation({ ...config, tokens }, market)
    expect(w.usdMicro(1_500_000_000_000_000_001n, dai)).toBe(1_500_000n)
    expect(w.usdMicro(12_345n, tiny)).toBe(1_234_500n)
    expect(w.usdMicroRate(dai)).toEqual({ num: 1n, den: 10n ** 12n })
    expect(w.usdMicroRate(tiny)).toEqual({ num: 100n, den: 1n })
  })

  test('behavior: the rate a trade keeps gives the same micro-USD as the direct valuation (within the one truncation)', () => {
    for (const [symbol, amount] of [['WETH', 123_456_789_012_345_678n], ['WBTC', 7_654_321n], ['ARB', 98_765n * E18], ['USDC', 42_000_001n]] as const) {
      const rate = v.usdMicroRate(token(symbol))!
      const viaRate = (amount * rate.num) / rate.den
      const direct = v.usdMicro(amount, token(symbol))!
      expect(viaRate - direct >= 0n && viaRate - direct <= 1n).toBe(true)
    }
  })

  test('error: no USD numeraire reachable (no stable anchor quote, or no route to WETH): null, never a guess', () => {
    const noStable = new Valuation(config, anchors([['WBTC/WETH', E18 / 5n]]))
    expect(noStable.usdMicro(E18, token('WETH'))).toBeNull()
    expect(noStable.usd(E18, token('WETH'))).toBeNull()
    expect(noStable.usdMicroRate(token('WETH'))).toBeNull()
    expect(noStable.usdMicro(5n, token('USDC'))).toBe(5n)
    const noArb = new Valuation(config, anchors([['WETH/USDC', 300_000_000n]]))
    expect(noArb.usdMicro(E18, token('ARB'))).toBeNull()
    expect(noArb.usd(E18, token('ARB'))).toBeNull()
    expect(noArb.usdMicroRate(token('ARB'))).toBeNull()
  })
})
