import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../lib/config/load.ts'
import { evaluateCycle, evaluationMemo } from '../../lib/scan/evaluate.ts'
import { quoteId, type CycleInput, type QuoteResult, type Side } from '../../lib/scan/types.ts'
import { mulberry32 } from '../helpers/random.ts'
import { cycleInput, quoteOf } from './fixtures.ts'

const config = loadConfig(new URL('../../config/real_minimal.yaml', import.meta.url).pathname)
const pair = config.pairs[0]! // WETH/USDC, sizes 0.1 and 1 WETH, anchor uniswap_v3:500
const [SMALL, ONE] = pair.sizes as [bigint, bigint]
const USDC = 10n ** 6n
const POOL = '0x00000000000000000000000000000000000000aa'

/** A quote of `size` WETH at `price` USDC per WETH (exact integers). */
function quote(venueKey: string, side: Side, size: bigint, usdc: bigint, gas = 100_000n): QuoteResult {
  const venue = config.venues.find((v) => v.key === venueKey)!
  const request = { id: quoteId(pair.name, venueKey, side, size), pair, venue, pool: POOL as `0x${string}`, fee: venue.fee ?? 0, side, size }
  return side === 'sell'
    ? { request, quoter: 'onchain', ok: true, amountIn: size, amountOut: usdc, gasEstimate: gas, ticksCrossed: 0 }
    : { request, quoter: 'onchain', ok: true, amountIn: usdc, amountOut: size, gasEstimate: gas, ticksCrossed: 0 }
}

/** Both sides at both sizes for a venue priced at `sell`/`buy` USDC per WETH (no slippage). */
function venue(key: string, sell: bigint, buy: bigint): QuoteResult[] {
  return [SMALL, ONE].flatMap((size) => [
    quote(key, 'sell', size, (sell * USDC * size) / 10n ** 18n),
    quote(key, 'buy', size, (buy * USDC * size) / 10n ** 18n),
  ])
}

function input(quotes: QuoteResult[], overrides: Partial<CycleInput> = {}): CycleInput {
  return {
    runMode: 'REGISTRY_REAL', quoteSource: 'onchain', quoter: 'onchain', synthetic: false, cycle: 1, chainId: 42_161,
    block: 1000, pinError: null, blockTimestamp: 1, gasPriceWei: 10_000_000n, pools: [], dropped: [], quotes, sizings: [],
    rpc: { total_requests: 0, successful_requests: 0, failed_requests: 0, timeout_requests: 0, avg_latency_ms: 0, max_latency_ms: 0, success_rate: null, endpoints_healthy: 0, endpoints_total: 0, endpoints: [] },
    ...overrides,
  }
}

describe('evaluateCycle', () => {
  test('default: buy low on one venue, sell high on another, exact bigint profit net of gas', () => {
    const result = evaluateCycle(input([...venue('uniswap_v3:500', 2998n, 3002n), ...venue('sushiswap_v3:3000', 3040n, 3050n)]), config)
    const best = result.opportunities.find((o) => o.size === ONE.toString())!
    expect(best.buy.venue).toBe('uniswap_v3:500')
    expect(best.sell.venue).toBe('sushiswap_v3:3000')
    expect(best.gross_profit).toBe(((3040n - 3002n) * USDC).toString())
    // gas: (100k + 100k + 60k overhead) × 0.01 gwei = 2.6e-6 ETH, at the anchor's 2998 USDC/ETH, rounded up
    expect(best.gas_units).toBe('260000')
    expect(best.gas_cost).toBe(((260_000n * 10_000_000n * 2998n * USDC) / 10n ** 18n + 1n).toString())
    expect(BigInt(best.net_profit)).toBe(BigInt(best.gross_profit) - BigInt(best.gas_cost))
    expect(best.execution_blockers).toEqual(['EXECUTION_DISABLED_M4'])
    expect(result.stats.execution_ready_count).toBe(0)
  })

  test('behavior: the reverse direction is PNL_NEGATIVE; below-threshold is PNL_BELOW_THRESHOLD', () => {
    // 0.1 WETH × 3 USDC edge = 0.3 USDC < min_net_profit 0.5 USDC
    const result = evaluateCycle(input([...venue('uniswap_v3:500', 2998n, 3000n), ...venue('uniswap_v3:3000', 3003n, 3005n)]), config)
    const codes = result.rejects.map((r) => `${r.code}:${r.buy_venue}>${r.sell_venue}:${r.size}`)
    expect(codes).toContain(`PNL_NEGATIVE:uniswap_v3:3000>uniswap_v3:500:${SMALL}`)
    expect(codes).toContain(`PNL_BELOW_THRESHOLD:uniswap_v3:500>uniswap_v3:3000:${SMALL}`)
    expect(result.opportunities.map((o) => o.size)).toEqual([ONE.toString()])
    expect(result.stats.candidates_total).toBe(4)
    expect(result.stats.candidates_rejected + result.stats.opportunities).toBe(4)
  })

  test('behavior: a venue far from the anchor is PRICE_SANITY_FAILED on every quote', () => {
    // The upstream bug: ~8.6 USDC for 1 WETH.
    const result = evaluateCycle(input([...venue('uniswap_v3:500', 2998n, 3002n), ...venue('sushiswap_v3:3000', 8n, 9n)]), config)
    const sanity = result.rejects.filter((r) => r.code === 'PRICE_SANITY_FAILED')
    expect(sanity).toHaveLength(4)
    expect(sanity.every((r) => r.venue === 'sushiswap_v3:3000' && r.bucket === 'other')).toBe(true)
    expect(result.sanityFailed).toBe(4)
    expect(result.opportunities).toHaveLength(0)
  })

  test('behavior: slippage beyond max_slippage_bps at a size is SLIPPAGE_TOO_HIGH', () => {
    const quotes = [
      ...venue('uniswap_v3:500', 2998n, 3002n),
      quote('sushiswap_v3:3000', 'sell', SMALL, 304n * USDC),
      quote('sushiswap_v3:3000', 'sell', ONE, 2900n * USDC), // 4.6% worse than at 0.1
    ]
    const result = evaluateCycle(input(quotes), config)
    const slip = result.rejects.find((r) => r.code === 'SLIPPAGE_TOO_HIGH')!
    expect(slip.quote_id).toBe(quoteId(pair.name, 'sushiswap_v3:3000', 'sell', ONE))
    expect(slip.bucket).toBe('slippage')
  })

  test('behavior: failed and zero quotes are rejects with their codes, never crashes', () => {
    const venueDef = config.venues.find((v) => v.key === 'uniswap_v3:3000')!
    const failed: QuoteResult = {
      request: { id: quoteId(pair.name, 'uniswap_v3:3000', 'sell', ONE), pair, venue: venueDef, pool: POOL as `0x${string}`, fee: 3000, side: 'sell', size: ONE },
      quoter: 'onchain', ok: false, code: 'QUOTE_REVERT', reason: 'reverted: SPL',
    }
    const zero = quote('uniswap_v3:3000', 'buy', ONE, 0n)
    const result = evaluateCycle(input([...venue('uniswap_v3:500', 2998n, 3002n), failed, zero]), config)
    expect(result.rejects.map((r) => r.code).sort()).toEqual(['QUOTE_REVERT', 'QUOTE_ZERO_OUTPUT'])
    expect(result.stats.quotes_fetched).toBe(4)
  })

  test('behavior: without the anchor every quote is PRICE_ANCHOR_MISSING', () => {
    const result = evaluateCycle(input(venue('sushiswap_v3:3000', 3040n, 3050n)), config)
    expect(new Set(result.rejects.map((r) => r.code))).toEqual(new Set(['PRICE_ANCHOR_MISSING']))
  })

  test('error: no pinned block voids the cycle with INFRA_BLOCK_PIN_FAILED', () => {
    const result = evaluateCycle(input(venue('uniswap_v3:500', 2998n, 3002n), { block: 0, pinError: 'timeout' }), config)
    expect(result.rejects).toHaveLength(1)
    expect(result.rejects[0]!.code).toBe('INFRA_BLOCK_PIN_FAILED')
    expect(result.rejects[0]!.bucket).toBe('infra')
    expect(result.quotes).toHaveLength(0)
  })

  test('behavior: no gas price means no net profit claim (PREFLIGHT_VALIDATION_FAILED)', () => {
    const result = evaluateCycle(input([...venue('uniswap_v3:500', 2998n, 3002n), ...venue('sushiswap_v3:3000', 3040n, 3050n)], { gasPriceWei: null }), config)
    expect(result.opportunities).toHaveLength(0)
    expect(result.costModelAvailable).toBe(false)
    expect(result.rejects.some((r) => r.code === 'PREFLIGHT_VALIDATION_FAILED')).toBe(true)
  })

  test('behavior: verdicts kept between cycles are those reached afresh — and are reached again when the gas price, the anchor (rates) or a leg changes', () => {
    const memo = evaluationMemo()
    const anchor = venue('uniswap_v3:500', 2998n, 3002n)
    const other = [...venue('uniswap_v3:3000', 3010n, 3012n), ...venue('sushiswap_v3:3000', 3040n, 3050n)]
    const same = (cycle: CycleInput) => {
      const { valuation: _a, ...kept } = evaluateCycle(cycle, config, memo)
      const { valuation: _b, ...fresh } = evaluateCycle(cycle, config)
      expect(kept).toEqual(fresh)
      return kept
    }
    const first = same(input([...anchor, ...other]))
    // Same legs, a 1,000× gas price: net and verdicts follow the gas price, not the memo.
    const dearGas = same(input([...anchor, ...other], { gasPriceWei: 10_000_000_000_000n }))
    expect(dearGas.opportunities.length).toBeLessThan(first.opportunities.length)
    // The anchor moves (its legs are new objects): the gas rate changes for every candidate,
    // also those between the two other venues, whose legs are the same objects as before.
    const moved = same(input([...venue('uniswap_v3:500', 2900n, 2904n), ...other]))
    const between = (r: typeof first) => r.opportunities.filter((o) => o.buy.venue !== 'uniswap_v3:500' && o.sell.venue !== 'uniswap_v3:500').map((o) => o.gas_cost)
    expect(between(moved).length).toBeGreaterThan(0)
    expect(between(moved)).not.toEqual(between(first))
    // And back: the first cycle's verdicts again.
    expect(same(input([...anchor, ...other]))).toEqual(first)
    // The same quote objects at the next block: kept gate verdicts, records of the new block.
    const next = same(input([...anchor, ...other], { block: 1001 }))
    expect(next.quotes.map((q) => q.block)).toEqual(first.quotes.map(() => 1001))
    expect(next.quotes.map(({ block: _, ...q }) => q)).toEqual(first.quotes.map(({ block: _, ...q }) => q))
    // A venue's prices move and nothing else does (no slippage, same rates): its new legs are judged.
    const richer = same(input([...anchor, ...venue('uniswap_v3:3000', 3010n, 3012n), ...venue('sushiswap_v3:3000', 3080n, 3090n)]))
    expect(richer.opportunities.map((o) => o.gross_profit)).not.toEqual(first.opportunities.map((o) => o.gross_profit))
    // A venue's quotes fail (its legs go) while the others' stand: its candidates go with them.
    const reverted = venue('sushiswap_v3:3000', 3080n, 3090n).map(({ request }): QuoteResult => ({ request, quoter: 'onchain', ok: false, code: 'QUOTE_REVERT', reason: 'reverted' }))
    const gone = same(input([...anchor, ...other.slice(0, 4), ...reverted]))
    expect(gone.opportunities.filter((o) => o.sell.venue === 'sushiswap_v3:3000' || o.buy.venue === 'sushiswap_v3:3000')).toEqual([])
    expect(same(input([...anchor, ...other])).opportunities.length).toBe(first.opportunities.length)
  })

  test('behavior: a leg whose own quote did not change but whose slippage did (its smallest-size price moved) is judged again', () => {
    const memo = evaluationMemo()
    const anchor = venue('uniswap_v3:500', 2998n, 3002n)
    const rich = venue('sushiswap_v3:3000', 3040n, 3050n)
    const run = (quotes: QuoteResult[]) => {
      const { valuation: _a, ...kept } = evaluateCycle(input(quotes), config, memo)
      const { valuation: _b, ...fresh } = evaluateCycle(input(quotes), config)
      expect(kept).toEqual(fresh)
      return kept.opportunities.filter((o) => o.sell.venue === 'sushiswap_v3:3000' && o.size === ONE.toString()).map((o) => o.confidence_label)
    }
    const before = run([...anchor, ...rich])
    // The smallest sell 2% richer: selling ONE there is now ~200 bps of slippage (same quote object).
    const after = run([...anchor, quote('sushiswap_v3:3000', 'sell', SMALL, (3100n * USDC * SMALL) / 10n ** 18n), ...rich.slice(1)])
    expect(before).toEqual(['high'])
    expect(after).toEqual(['medium'])
  })

  test('behavior: kept verdicts of a pair quoted in WETH follow the WETH/USDC anchor (its USD values), though its own legs did not change', () => {
    const smoke = loadConfig(new URL('../../config/smoke.yaml', import.meta.url).pathname)
    const legs = (name: string, venueKey: string, price: bigint, quoteDecimals: bigint): QuoteResult[] => {
      const p = smoke.pairs.find((x) => x.name === name)!
      const v = smoke.venues.find((x) => x.key === venueKey)!
      return p.sizes.flatMap((size) => (['sell', 'buy'] as const).map((side): QuoteResult => {
        const request = { id: quoteId(p.name, venueKey, side, size), pair: p, venue: v, pool: POOL as `0x${string}`, fee: v.fee ?? 0, side, size }
        const amount = (price * size * 10n ** quoteDecimals) / (1000n * 10n ** BigInt(p.base.decimals)) + (side === 'buy' ? 10n ** (quoteDecimals - 3n) : 0n)
        return side === 'sell'
          ? { request, quoter: 'onchain', ok: true, amountIn: size, amountOut: amount, gasEstimate: 100_000n, ticksCrossed: 0 }
          : { request, quoter: 'onchain', ok: true, amountIn: amount, amountOut: size, gasEstimate: 100_000n, ticksCrossed: 0 }
      }))
    }
    // WBTC/WETH at 20 WETH per WBTC (prices in thousandths), one venue 2% richer; WETH/USDC's anchor at 3000 or 1500 USDC.
    const wbtc = [...legs('WBTC/WETH', 'uniswap_v3:500', 20_000n, 18n), ...legs('WBTC/WETH', 'sushiswap_v3:3000', 20_400n, 18n)]
    const memo = evaluationMemo()
    const usd = (anchorUsdc: bigint) => {
      const cycle = input([...legs('WETH/USDC', 'uniswap_v3:500', anchorUsdc * 1000n, 6n), ...wbtc])
      const { valuation: _a, ...kept } = evaluateCycle(cycle, smoke, memo)
      const { valuation: _b, ...fresh } = evaluateCycle(cycle, smoke)
      expect(kept).toEqual(fresh)
      return kept.opportunities.filter((o) => o.pair === 'WBTC/WETH').map((o) => o.net_profit_usd)
    }
    const at3000 = usd(3000n)
    expect(at3000.length).toBeGreaterThan(0)
    expect(usd(1500n)).not.toEqual(at3000)
  })
})

describe('the first signals of many pairs', () => {
  test('behavior: the truth report\'s signals are the first of all signals sorted (pair order among equals), and the opportunities all of them sorted, over random markets with ties within and across pairs', () => {
    const smoke = loadConfig(new URL('../../config/smoke.yaml', import.meta.url).pathname)
    const random = mulberry32(5)
    for (const gasPriceWei of [10_000_000n, null]) {
      for (let round = 0; round < 20; round++) {
        // WETH/USDC and WETH/USDT get the same prices (both USD, both 6 decimals): ties across pairs.
        const prices = smoke.venues.map(() => 2990n + BigInt(Math.floor(random() * 6)) * 5n)
        const quotes = smoke.pairs.flatMap((pair) => smoke.venues.flatMap((venue, k) => pair.sizes.flatMap((size) => {
          const usd = pair.quote.usd
          const unit = 10n ** BigInt(pair.base.decimals)
          const per = usd ? prices[k]! * 10n ** BigInt(pair.quote.decimals) : (prices[k]! * 10n ** BigInt(pair.quote.decimals)) / 3000n / 50n
          return (['sell', 'buy'] as const).map((side) => quoteOf(smoke, pair.name, venue.key, side, size, (per * size * (side === 'buy' ? 1001n : 1000n)) / 1000n / unit))
        })))
        const result = evaluateCycle(cycleInput(quotes, { gasPriceWei }), smoke)
        expect(result.signals.length).toBeGreaterThan(50)
        expect(result.topSignals).toEqual(result.signals.slice(0, 50))
        if (gasPriceWei !== null) expect(new Set(result.opportunities.map((o) => o.pair)).size).toBeGreaterThan(1)
        // The opportunities, merged from each pair's sorted list: all of them sorted at once (ties in USD across pairs; null USD without gas).
        expect(result.opportunities).toEqual([...result.opportunities].sort((a, b) => (b.net_profit_usd ?? -Infinity) - (a.net_profit_usd ?? -Infinity) || a.id.localeCompare(b.id)))
        // An opportunity's id and figures are its route's, and its spread's (the same id).
        const spreads = new Map(result.spreads.map((spread) => [spread.id, spread]))
        for (const o of result.opportunities) {
          expect(o.id).toBe(`${o.pair}|${o.buy.venue}>${o.sell.venue}|${o.size}`)
          const spread = spreads.get(o.id)!
          expect([spread.buy.request.venue.key, spread.sell.request.venue.key, spread.size.toString(), spread.buy.amountIn.toString(), spread.sell.amountOut.toString()]).toEqual([o.buy.venue, o.sell.venue, o.size, o.buy.amount_in, o.sell.amount_out])
        }
      }
    }
  })
})

describe('optimal sizes of many pairs', () => {
  test('behavior: the optimal sizes are ranked by net USD, best first, ties (and those without a USD value) in the order given; kept pair by pair between cycles, the same as valued afresh', () => {
    const smoke = loadConfig(new URL('../../config/smoke.yaml', import.meta.url).pathname)
    const random = mulberry32(9)
    const usdc = 10n ** 6n
    // WETH/USDC's anchor prices gas in USDC; WBTC/WETH's sizes are valued through it too.
    const anchor = (['sell', 'buy'] as const).flatMap((side) => smoke.pairs.find((p) => p.name === 'WETH/USDC')!.sizes.map((size) => quoteOf(smoke, 'WETH/USDC', 'uniswap_v3:500', side, size, (3000n * usdc * size) / 10n ** 18n)))
    const venues = smoke.venues.map((v) => v.key)
    const names = smoke.pairs.map((p) => p.name)
    const sizing = (pair: string) => {
      const [buyVenue, sellVenue] = [venues[Math.floor(random() * venues.length)]!, venues[Math.floor(random() * venues.length)]!]
      const buyIn = 10n ** 6n * BigInt(1 + Math.floor(random() * 1000))
      // Some gains repeat (ties), some lose after gas.
      return { pair, buyVenue, sellVenue, size: 10n ** 15n, buyIn, sellOut: buyIn + BigInt(Math.floor(random() * 4)) * 10n ** 4n, gasUnits: 300_000n, evaluations: 3 }
    }
    const memo = evaluationMemo()
    let sizings = names.flatMap((name) => Array.from({ length: 6 }, () => sizing(name)))
    for (let round = 0; round < 6; round++) {
      const kept = evaluateCycle(cycleInput(anchor, { sizings }), smoke, memo).optimal
      const fresh = evaluateCycle(cycleInput(anchor, { sizings }), smoke).optimal
      expect(kept).toEqual(fresh)
      expect(kept.length).toBe(sizings.length)
      // Best first; among equals (and among those without a USD value) in the order given.
      const place = (o: (typeof kept)[number]) => sizings.findIndex((s) => s.pair === o.pair && s.buyVenue === o.buy_venue && s.sellVenue === o.sell_venue && s.buyIn.toString() === o.amount_in)
      for (let i = 1; i < kept.length; i++) {
        const [a, b] = [kept[i - 1]!, kept[i]!]
        const [ua, ub] = [a.net_profit_usd ?? -Infinity, b.net_profit_usd ?? -Infinity]
        expect(ua >= ub).toBe(true)
        if (ua === ub) expect(place(a)).toBeLessThanOrEqual(place(b))
      }
      expect(new Set(kept.map((o) => o.net_profit_usd)).size).toBeLessThan(kept.length)
      // The next cycle: one pair's sizes move, the others are the same objects.
      const moved = names[round % names.length]!
      sizings = sizings.map((s) => (s.pair === moved ? sizing(moved) : s))
    }
  })
})
