import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../lib/config/load.ts'
import { blockerOf, evaluateCycle } from '../../lib/scan/evaluate.ts'
import { cycleInput, failedQuote, quoteOf, wethUsdcMarket } from './fixtures.ts'

/**
 * The verdict's details the tables and dashboards show: signals' flags and labels at their
 * edges, counters by their names, DEX lists, the cost model's availability, the blockers.
 * config/arbitrum.yaml: WETH/USDC threshold max(0.5 USDC, 5 bps of cost); slippage max 300 bps.
 */
const config = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
const { WETH, TENTH, USDC, q, anchor } = wethUsdcMarket(config)
/** 260,000 gas (2 × 100,000 + 60,000 overhead) × 0.01 gwei at 3000 USDC/WETH. */
const GAS = 7_800n

describe('signals, labels and counters', () => {
  test('behavior: a signal is profitable-net exactly when net ≥ threshold (equality included); one unit below is not, and is low', () => {
    const at = evaluateCycle(cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 300n * USDC + 500_000n + GAS)]), config)
    const below = evaluateCycle(cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 300n * USDC + 500_000n + GAS - 1n)]), config)
    const signal = (r: typeof at) => r.signals.find((s) => s.sell_dex === 'sushiswap_v3:3000')!
    expect([signal(at).is_profitable, signal(at).is_profitable_net, signal(at).confidence]).toEqual([true, true, 'medium'])
    expect([signal(below).is_profitable, signal(below).is_profitable_net, signal(below).confidence]).toEqual([true, false, 'low'])
    expect(at.opportunities.map((o) => o.net_profit)).toEqual(['500000'])
    expect(below.opportunities).toEqual([])
    expect([at.stats.signals_total, at.stats.signals_profitable, below.stats.signals_profitable]).toEqual([1, 1, 0])
  })

  test('behavior: high confidence needs slippage strictly under half the maximum: exactly 150 bps is medium', () => {
    // Sushi at 3100/WETH for 0.1; at 1 WETH exactly 150 bps worse (3053.5), or 149.99 bps.
    const run = (sellOne: bigint) => evaluateCycle(cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 310n * USDC), q('sushiswap_v3:3000', 'sell', WETH, sellOne)]), config)
    const label = (r: ReturnType<typeof run>) => r.opportunities.find((o) => o.size === WETH.toString())!.confidence_label
    expect(label(run(3_053_500_000n))).toBe('medium')
    expect(label(run(3_053_503_101n))).toBe('high')
  })

  test('behavior: signals rank by estimated USD, then by spread; opportunities by USD, then id', () => {
    const r = evaluateCycle(cycleInput([...anchor,
      q('sushiswap_v3:3000', 'sell', TENTH, 301n * USDC), q('uniswap_v3:3000', 'sell', TENTH, 302n * USDC), q('uniswap_v2', 'sell', TENTH, 301n * USDC)]), config)
    expect(r.signals.map((s) => [s.sell_dex, s.estimated_profit_usd])).toEqual([['uniswap_v3:3000', 1.9922], ['sushiswap_v3:3000', 0.9922], ['uniswap_v2', 0.9922]])
    expect(r.opportunities.map((o) => o.sell.venue)).toEqual(['uniswap_v3:3000', 'sushiswap_v3:3000', 'uniswap_v2'])
  })

  test('behavior: the counters under their original names', () => {
    const r = evaluateCycle(cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 302n * USDC), q('uniswap_v2', 'buy', TENTH, 299n * USDC), q('uniswap_v3:3000', 'sell', TENTH, 300n * USDC + 5_000n)], { pools: [] }), config)
    // Candidates: every ordered venue pair with both legs at a size.
    expect(r.stats.spread_ids_total).toBe(r.spreads.length)
    expect(r.stats.candidates_total).toBe(r.spreads.length)
    expect(r.stats.spread_ids_profitable).toBe(r.opportunities.length)
    expect(r.stats.blocked_spreads).toBe(r.opportunities.length)
    expect(r.stats.signals_total).toBe(r.signals.length)
    expect(r.stats.signals_profitable).toBe(r.signals.filter((s) => s.is_profitable_net).length)
    expect(r.stats.signals_profitable).toBeLessThan(r.stats.signals_total)
    expect(r.stats.pools_scanned).toBe(0)
  })

  test('behavior: active DEXes are those with a non-zero quote; passed-gates DEXes those with a quote through every gate; both sorted', () => {
    const r = evaluateCycle(cycleInput([...anchor, q('uniswap_v2', 'sell', TENTH, 0n), q('sushiswap_v3:3000', 'sell', TENTH, 5_000n * USDC),
      failedQuote(config, 'WETH/USDC', 'uniswap_v3:3000', 'sell', TENTH, 'QUOTE_REVERT', 'SPL')]), config)
    // uniswap_v2 quoted 0 (not active); sushiswap is active but fails sanity (5000 vs 3000).
    expect(r.dexes).toEqual({ active: ['sushiswap_v3', 'uniswap_v3'], passedGates: ['uniswap_v3'] })
    expect(r.dexesActive).toBe(2)
  })

  test('behavior: without a gas price there is no cost model: no net claim anywhere (optimal sizes included)', () => {
    const sizings = [{ pair: 'WETH/USDC', buyVenue: 'uniswap_v3:500', sellVenue: 'sushiswap_v3:3000', size: TENTH, buyIn: 300n * USDC, sellOut: 302n * USDC, gasUnits: 260_000n, evaluations: 3 }]
    const r = evaluateCycle(cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 302n * USDC)], { gasPriceWei: null, sizings }), config)
    expect(r.costModelAvailable).toBe(false)
    expect(r.opportunities).toEqual([])
    expect(r.rejects.filter((x) => x.stage === 'candidate').map((x) => x.code)).toEqual(['PREFLIGHT_VALIDATION_FAILED'])
    expect(r.optimal.map((o) => [o.gross_profit, o.gas_cost, o.net_profit, o.net_profit_usd])).toEqual([['2000000', null, null, null]])
    expect(evaluateCycle(cycleInput(anchor), config).costModelAvailable).toBe(true)
  })

  test('behavior: optimal sizes through a venue whose price failed sanity, or with no anchor to judge it, are left out; the rest rank by USD', () => {
    const sizing = (sell: string, sellOut: bigint) => ({ pair: 'WETH/USDC', buyVenue: 'uniswap_v3:500', sellVenue: sell, size: TENTH, buyIn: 300n * USDC, sellOut, gasUnits: 260_000n, evaluations: 1 })
    const sizings = [sizing('uniswap_v2', 301n * USDC), sizing('uniswap_v3:3000', 303n * USDC), sizing('sushiswap_v3:3000', 400n * USDC)]
    const r = evaluateCycle(cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 5_000n * USDC), q('uniswap_v2', 'sell', TENTH, 301n * USDC), q('uniswap_v3:3000', 'sell', TENTH, 303n * USDC)], { sizings }), config)
    expect(r.optimal.map((o) => o.sell_venue)).toEqual(['uniswap_v3:3000', 'uniswap_v2'])
    // No anchor quote at all for WETH/USDT: every venue is unjudged, so its sizes are left out.
    const usdt = { pair: 'WETH/USDT', buyVenue: 'uniswap_v2', sellVenue: 'sushiswap_v3:3000', size: TENTH, buyIn: 300n * USDC, sellOut: 302n * USDC, gasUnits: 260_000n, evaluations: 1 }
    const noAnchor = evaluateCycle(cycleInput([...anchor, quoteOf(config, 'WETH/USDT', 'uniswap_v2', 'buy', TENTH, 300n * USDC), quoteOf(config, 'WETH/USDT', 'sushiswap_v3:3000', 'sell', TENTH, 302n * USDC)], { sizings: [usdt] }), config)
    expect(noAnchor.rejects.some((x) => x.code === 'PRICE_ANCHOR_MISSING')).toBe(true)
    expect(noAnchor.optimal).toEqual([])
  })

  test('behavior: a registry read failure names the venue as dex:fee, or the dex alone for fixed-fee pairs', () => {
    const dropped = [
      { dex: 'uniswap_v2', pair: 'WETH/USDC', fee: null, address: null, code: 'INFRA_RPC_ERROR' as const, reason: 'timeout' },
      { dex: 'sushiswap_v3', pair: 'WETH/USDC', fee: 500, address: null, code: 'INFRA_RPC_ERROR' as const, reason: 'timeout' },
    ]
    const r = evaluateCycle(cycleInput(anchor, { dropped }), config)
    expect(r.rejects.filter((x) => x.stage === 'registry').map((x) => x.venue)).toEqual(['uniswap_v2', 'sushiswap_v3:500'])
  })

  test('default: the blocker of each mode: the seed\'s M4 word in REAL off/simulate, the original\'s smoke word in SMOKE', () => {
    expect(blockerOf('SMOKE_SIMULATOR', 'off')).toBe('SMOKE_MODE_NO_EXECUTION')
    expect(blockerOf('SMOKE_SIMULATOR', 'live')).toBe('SMOKE_MODE_NO_EXECUTION')
    expect((['off', 'simulate', 'paper', 'dry-run', 'live'] as const).map((mode) => blockerOf('REGISTRY_REAL', mode)))
      .toEqual(['EXECUTION_DISABLED_M4', 'EXECUTION_DISABLED_M4', 'PAPER_MODE_NO_EXECUTION', 'DRY_RUN_NO_SEND', 'SIMULATION_REQUIRED'])
    const voided = evaluateCycle(cycleInput([], { block: 0, runMode: 'SMOKE_SIMULATOR' }), config)
    expect([voided.blocker, voided.costModelAvailable, voided.dexes, voided.dexesActive]).toEqual(['SMOKE_MODE_NO_EXECUTION', false, { active: [], passedGates: [] }, 0])
  })
})
