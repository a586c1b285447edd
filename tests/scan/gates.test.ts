import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../lib/config/load.ts'
import { ContractError } from '../../lib/errors.ts'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildArtifacts } from '../../lib/report/build.ts'
import { writeArtifacts } from '../../lib/report/write.ts'
import { evaluateCycle } from '../../lib/scan/evaluate.ts'
import { quoteId } from '../../lib/scan/types.ts'
import { cycleInput, failedQuote, quoteOf, wethUsdcMarket } from './fixtures.ts'

/** config/arbitrum.yaml: max deviation 1000 bps, max slippage 300 bps, min net 5 bps, WETH/USDC min 0.5 USDC. */
const config = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
/** The anchor (uniswap_v3:500) at exactly 3000 USDC per WETH on both sides and every size. */
const { WETH, TENTH, USDC, q, anchor } = wethUsdcMarket(config)
const verdict = (result: ReturnType<typeof evaluateCycle>, id: string) => result.quotes.find((quote) => quote.id === id)!

describe('quote gates at their limits', () => {
  test.each([
    ['exactly +1000 bps passes', 330_000_000n, 'ok'],
    ['one unit above +1000 bps fails', 330_000_001n, 'PRICE_SANITY_FAILED'],
    ['exactly −1000 bps passes', 270_000_000n, 'ok'],
    ['one unit below −1000 bps fails', 269_999_999n, 'PRICE_SANITY_FAILED'],
  ])('behavior: price sanity: %s', (_, proceeds, expected) => {
    const result = evaluateCycle(cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, proceeds)]), config)
    const record = verdict(result, quoteId('WETH/USDC', 'sushiswap_v3:3000', 'sell', TENTH))
    expect(record.reject_code ?? 'ok').toBe(expected)
    expect(result.sanityFailed).toBe(expected === 'ok' ? 0 : 1)
    expect(result.sanityPassed).toBe(anchor.length + (expected === 'ok' ? 1 : 0))
    if (expected !== 'ok') expect(record.reason).toContain('bps from anchor uniswap_v3:500 (max 1000)')
  })

  test('behavior: a venue with no sell quote is judged by its smallest buy; every quote of an insane venue fails', () => {
    const result = evaluateCycle(cycleInput([...anchor, q('uniswap_v2', 'buy', TENTH, 400n * USDC), q('uniswap_v2', 'buy', WETH, 4000n * USDC)]), config)
    expect(result.rejects.filter((r) => r.code === 'PRICE_SANITY_FAILED').map((r) => r.size)).toEqual([TENTH.toString(), WETH.toString()])
  })

  test.each([
    ['sell, exactly 300 bps worse', 'sell', 2910n * USDC, 'ok'],
    ['sell, one unit worse than 300 bps', 'sell', 2910n * USDC - 1n, 'SLIPPAGE_TOO_HIGH'],
    ['buy, exactly 300 bps dearer', 'buy', 3090n * USDC, 'ok'],
    ['buy, one unit dearer than 300 bps', 'buy', 3090n * USDC + 1n, 'SLIPPAGE_TOO_HIGH'],
    ['buy, cheaper at size (negative slippage)', 'buy', 2900n * USDC, 'ok'],
  ] as const)('behavior: slippage: %s', (_, side, amount, expected) => {
    const quotes = [...anchor, q('sushiswap_v3:3000', side, TENTH, 300n * USDC), q('sushiswap_v3:3000', side, WETH, amount)]
    const result = evaluateCycle(cycleInput(quotes), config)
    const record = verdict(result, quoteId('WETH/USDC', 'sushiswap_v3:3000', side, WETH))
    expect(record.reject_code ?? 'ok').toBe(expected)
    if (expected !== 'ok') {
      expect(record.reason).toMatch(/^price at this size is 300\.0 bps worse than at the smallest size \(max 300\)$/)
      expect(result.rejects.find((r) => r.quote_id === record.id)!.bucket).toBe('slippage')
    }
  })

  test('behavior: a zero amount is QUOTE_ZERO_OUTPUT (bucket revert), not fetched', () => {
    const result = evaluateCycle(cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 0n)]), config)
    expect(verdict(result, quoteId('WETH/USDC', 'sushiswap_v3:3000', 'sell', TENTH)).reject_code).toBe('QUOTE_ZERO_OUTPUT')
    expect(result.stats.quotes_fetched).toBe(anchor.length)
    expect(result.rejects.map((r) => [r.code, r.bucket, r.stage])).toEqual([['QUOTE_ZERO_OUTPUT', 'revert', 'quote']])
  })
})

describe('candidates: exact profit, gas, thresholds', () => {
  // Gas: (100k + 100k + 60k overhead) × 0.01 gwei = 2.6e12 wei; at the anchor's 0.1 WETH = 300 USDC: exactly 7,800 USDC units.
  const GAS_USDC = 7_800n

  test.each([
    ['1 WETH: net exactly at 5 bps of 3000 USDC (1.5 USDC) is an opportunity', WETH, 1_500_000n, 'opportunity'],
    ['1 WETH: one unit below is PNL_BELOW_THRESHOLD', WETH, 1_499_999n, 'PNL_BELOW_THRESHOLD'],
    ['0.1 WETH: net exactly min_net_profit 0.5 USDC (above 5 bps of 300) is an opportunity', TENTH, 500_000n, 'opportunity'],
    ['0.1 WETH: one unit below is PNL_BELOW_THRESHOLD', TENTH, 499_999n, 'PNL_BELOW_THRESHOLD'],
  ])('behavior: %s', (_, size, net, expected) => {
    const cost = (3000n * USDC * size) / WETH
    const proceeds = cost + net + GAS_USDC
    const quotes = [...anchor, q('sushiswap_v3:3000', 'sell', TENTH, (proceeds * TENTH) / size), q('sushiswap_v3:3000', 'sell', size, proceeds)]
    const result = evaluateCycle(cycleInput(quotes), config)
    const id = `WETH/USDC|uniswap_v3:500>sushiswap_v3:3000|${size}`
    const opportunity = result.opportunities.find((o) => o.id === id)
    if (expected === 'opportunity') {
      expect(opportunity).toBeDefined()
      expect(opportunity!.gross_profit).toBe((net + GAS_USDC).toString())
      expect(opportunity!.gas_units).toBe('260000')
      expect(opportunity!.gas_cost_wei).toBe('2600000000000')
      expect(opportunity!.gas_cost).toBe(GAS_USDC.toString())
      expect(opportunity!.net_profit).toBe(net.toString())
      expect(opportunity!.net_profit_usd).toBe(Number(net) / 1e6)
      expect(opportunity!.gas_cost_usd).toBe(0.0078)
      expect(opportunity!.buy).toEqual({ venue: 'uniswap_v3:500', dex: 'uniswap_v3', pool: '0x00000000000000000000000000000000000000aa', fee: 500, quote_id: quoteId('WETH/USDC', 'uniswap_v3:500', 'buy', size), amount_in: cost.toString() })
      expect(opportunity!.sell).toEqual({ venue: 'sushiswap_v3:3000', dex: 'sushiswap_v3', pool: '0x00000000000000000000000000000000000000aa', fee: 3000, quote_id: quoteId('WETH/USDC', 'sushiswap_v3:3000', 'sell', size), amount_out: proceeds.toString() })
      // A display ratio: the exact ratio to 1e-6, in bps.
      expect(opportunity!.spread_bps).toBe((Number(((net + GAS_USDC) * 1_000_000n) / cost) / 1_000_000) * 10_000)
      expect(opportunity!.execution_blockers).toEqual(['EXECUTION_DISABLED_M4'])
    } else {
      expect(opportunity).toBeUndefined()
      const reject = result.rejects.find((r) => r.code === 'PNL_BELOW_THRESHOLD' && r.size === size.toString())!
      expect(reject.message).toBe(`net ${net} < threshold ${net + 1n} USDC units (gross ${net + GAS_USDC}, gas ${GAS_USDC})`)
      expect([reject.buy_venue, reject.sell_venue, reject.stage, reject.bucket]).toEqual(['uniswap_v3:500', 'sushiswap_v3:3000', 'candidate', 'other'])
    }
  })

  test('behavior: gas converted to the quote token is rounded up, never understated', () => {
    // 0.1 WETH sells for 300.000001 USDC on the anchor: 2.6e12 wei × 300000001 / 1e17 = 7800.000026 → 7801.
    const quotes = [q('uniswap_v3:500', 'sell', TENTH, 300_000_001n), q('uniswap_v3:500', 'buy', WETH, 3000n * USDC), q('sushiswap_v3:3000', 'sell', TENTH, 310n * USDC), q('sushiswap_v3:3000', 'sell', WETH, 3100n * USDC)]
    const result = evaluateCycle(cycleInput(quotes), config)
    expect(result.opportunities.find((o) => o.size === WETH.toString())!.gas_cost).toBe('7801')
  })

  test('behavior: the reverse route is PNL_NEGATIVE; gross exactly 0 is negative too (nothing to gain)', () => {
    const quotes = [...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 300n * USDC), q('sushiswap_v3:3000', 'buy', TENTH, 300n * USDC)]
    const result = evaluateCycle(cycleInput(quotes), config)
    const negatives = result.rejects.filter((r) => r.code === 'PNL_NEGATIVE').map((r) => `${r.buy_venue}>${r.sell_venue}`)
    expect(negatives.sort()).toEqual(['sushiswap_v3:3000>uniswap_v3:500', 'uniswap_v3:500>sushiswap_v3:3000'])
    expect(result.rejects.find((r) => r.code === 'PNL_NEGATIVE')!.message).toBe('sell returns 300000000, buy costs 300000000 (0.0 bps)')
    expect(result.signals).toEqual([])
  })

  test('behavior: confidence is high only at ≥ 2× the threshold with slippage under half the maximum', () => {
    const quotes = (oneWethProceeds: bigint, tenthProceeds: bigint) => [...anchor, q('sushiswap_v3:3000', 'sell', TENTH, tenthProceeds), q('sushiswap_v3:3000', 'sell', WETH, oneWethProceeds)]
    const confidence = (one: bigint, tenth: bigint) => evaluateCycle(cycleInput(quotes(one, tenth)), config).opportunities.find((o) => o.size === WETH.toString())?.confidence_label
    // threshold 1.5 USDC; net 3 USDC = 2× → high (no slippage); just under → medium
    expect(confidence(3000n * USDC + 3_000_000n + 7_800n, 300_300_780n)).toBe('high')
    expect(confidence(3000n * USDC + 2_999_999n + 7_800n, 300_299_979n)).toBe('medium')
    // big net but 200 bps of slippage on the sell (≥ 150 = half of 300) → medium
    expect(confidence(3100n * USDC, 3163n * USDC / 10n)).toBe('medium')
  })

  test('behavior: opportunities rank by USD value, then by id; signals carry both prices and the estimate', () => {
    const quotes = [...anchor,
      q('sushiswap_v3:3000', 'sell', TENTH, 310n * USDC), q('sushiswap_v3:3000', 'sell', WETH, 3100n * USDC),
      q('uniswap_v3:3000', 'sell', TENTH, 305n * USDC), q('uniswap_v3:3000', 'sell', WETH, 3050n * USDC),
    ]
    const result = evaluateCycle(cycleInput(quotes), config)
    expect(result.opportunities.map((o) => o.id)).toEqual([
      `WETH/USDC|uniswap_v3:500>sushiswap_v3:3000|${WETH}`,
      `WETH/USDC|uniswap_v3:500>uniswap_v3:3000|${WETH}`,
      `WETH/USDC|uniswap_v3:500>sushiswap_v3:3000|${TENTH}`,
      `WETH/USDC|uniswap_v3:500>uniswap_v3:3000|${TENTH}`,
    ])
    const signal = result.signals.find((s) => s.sell_dex === 'sushiswap_v3:3000' && s.size === WETH.toString())!
    expect(signal).toEqual({
      pair: 'WETH/USDC', size: WETH.toString(), buy_dex: 'uniswap_v3:500', sell_dex: 'sushiswap_v3:3000',
      buy_price: '3000', sell_price: '3100', spread_bps: (33_333 / 1_000_000) * 10_000, is_profitable: true, is_profitable_net: true,
      estimated_profit_usd: 99.9922, confidence: 'high', buy_pool_address: '0x00000000000000000000000000000000000000aa',
      sell_pool_address: '0x00000000000000000000000000000000000000aa', buy_fee: 500, sell_fee: 3000,
    })
    expect(result.signals[0]!.estimated_profit_usd).toBeGreaterThanOrEqual(result.signals[result.signals.length - 1]!.estimated_profit_usd!)
  })

  test('behavior: a quote token with no WETH price at this block makes no net claim (PREFLIGHT_VALIDATION_FAILED)', () => {
    const usdt = (venue: string, side: 'sell' | 'buy', size: bigint, amount: bigint) => quoteOf(config, 'WETH/USDT', venue, side, size, amount)
    // WETH/USDT has quotes but its anchor lacks the smallest sell (the rate's source).
    const quotes = [usdt('uniswap_v3:500', 'buy', TENTH, 300n * USDC), usdt('uniswap_v3:500', 'buy', WETH, 3000n * USDC), usdt('sushiswap_v3:3000', 'sell', WETH, 3100n * USDC), usdt('sushiswap_v3:3000', 'sell', TENTH, 310n * USDC)]
    const result = evaluateCycle(cycleInput(quotes), config)
    const preflight = result.rejects.filter((r) => r.code === 'PREFLIGHT_VALIDATION_FAILED')
    expect(preflight.length).toBeGreaterThan(0)
    expect(preflight[0]!.message).toBe('no gas price or no WETH→USDT rate at this block')
    expect(result.costModelAvailable).toBe(false)
    expect(result.opportunities).toEqual([])
  })

  test('behavior: profits in WETH are valued in USD through the cycle\'s own WETH/USDC anchor', () => {
    const arb = (venue: string, side: 'sell' | 'buy', size: bigint, weth: bigint) => quoteOf(config, 'ARB/WETH', venue, side, size, weth)
    const ARB = 10n ** 18n
    const quotes = [...anchor,
      arb('uniswap_v3:500', 'sell', 100n * ARB, 25n * WETH / 1000n), arb('uniswap_v3:500', 'buy', 1000n * ARB, 25n * WETH / 100n),
      arb('sushiswap_v3:3000', 'sell', 100n * ARB, 26n * WETH / 1000n), arb('sushiswap_v3:3000', 'sell', 1000n * ARB, 26n * WETH / 100n),
    ]
    const result = evaluateCycle(cycleInput(quotes), config)
    const opportunity = result.opportunities.find((o) => o.pair === 'ARB/WETH')!
    // gross 0.01 WETH; gas 2.6e12 wei in WETH is itself (rate 1:1)
    expect(opportunity.gross_profit).toBe((WETH / 100n).toString())
    expect(opportunity.gas_cost).toBe('2600000000000')
    expect(opportunity.net_profit).toBe((WETH / 100n - 2_600_000_000_000n).toString())
    // at 3000 USDC per WETH
    expect(opportunity.net_profit_usd).toBeCloseTo((0.01 - 0.0000026) * 3000, 6)
  })
})

describe('the cycle as a whole', () => {
  test('behavior: failed quotes keep their codes; registry read failures are infra rejects; counts add up', () => {
    const quotes = [...anchor, failedQuote(config, 'WETH/USDC', 'sushiswap_v3:3000', 'sell', WETH, 'QUOTE_REVERT', 'reverted: SPL'), failedQuote(config, 'WETH/USDC', 'uniswap_v2', 'buy', WETH, 'POOL_NO_LIQUIDITY', 'runs dry')]
    const dropped = [
      { dex: 'sushiswap_v3', pair: 'WETH/USDC', fee: 500, address: null, code: 'INFRA_RPC_ERROR' as const, reason: 'factory lookup failed: timeout' },
      { dex: 'uniswap_v2', pair: 'WBTC/WETH', fee: null, address: null, code: 'POOL_NOT_FOUND' as const, reason: 'no pool' },
    ]
    const result = evaluateCycle(cycleInput(quotes, { dropped }), config)
    expect(result.rejects.map((r) => [r.code, r.stage, r.venue])).toEqual([
      ['INFRA_RPC_ERROR', 'registry', 'sushiswap_v3:500'],
      ['QUOTE_REVERT', 'quote', 'sushiswap_v3:3000'],
      ['POOL_NO_LIQUIDITY', 'quote', 'uniswap_v2'],
    ])
    expect(result.stats).toEqual({
      pools_registered: 0, pools_dropped: 2, quotes_total: 6, quotes_fetched: 4, quotes_rejected: 2,
      candidates_total: 0, candidates_rejected: 0, gates_passed: 4, opportunities: 0, rejects_total: 3, execution_ready_count: 0,
      simulated: 0, sim_passed: 0, sim_mismatches: 0,
      spread_ids_total: 0, spread_ids_profitable: 0, spread_ids_executable: 0, paper_executable_spreads: 0, signals_total: 0, signals_profitable: 0,
      signals_executable: 0, paper_executable_count: 0, blocked_spreads: 0, dexes_active: 1, pairs_covered: 4, pools_scanned: 0, quote_fetch_rate: 0.667, quote_gate_pass_rate: 1,
    })
    expect(result.dexesActive).toBe(1)
  })

  test('behavior: optimal sizes are priced like the grid, best first; routes through an insane venue are left out', () => {
    const sizings = [
      { pair: 'WETH/USDC', buyVenue: 'uniswap_v3:500', sellVenue: 'sushiswap_v3:3000', size: 5n * TENTH, buyIn: 1500n * USDC, sellOut: 1510n * USDC, gasUnits: 260_000n, evaluations: 42 },
      { pair: 'WETH/USDC', buyVenue: 'uniswap_v3:500', sellVenue: 'uniswap_v3:3000', size: TENTH, buyIn: 300n * USDC, sellOut: 301n * USDC, gasUnits: 260_000n, evaluations: 5 },
      { pair: 'WETH/USDC', buyVenue: 'uniswap_v3:500', sellVenue: 'uniswap_v2', size: TENTH, buyIn: 300n * USDC, sellOut: 400n * USDC, gasUnits: 260_000n, evaluations: 5 },
    ]
    const quotes = [...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 302n * USDC), q('uniswap_v3:3000', 'sell', TENTH, 301n * USDC), q('uniswap_v2', 'sell', TENTH, 400n * USDC)]
    const result = evaluateCycle(cycleInput(quotes, { sizings }), config)
    expect(result.optimal).toEqual([
      { pair: 'WETH/USDC', buy_venue: 'uniswap_v3:500', sell_venue: 'sushiswap_v3:3000', size: (5n * TENTH).toString(), amount_in: '1500000000', amount_out: '1510000000', gross_profit: '10000000', gas_cost: '7800', net_profit: '9992200', net_profit_usd: 9.9922, evaluations: 42, simulation: null },
      { pair: 'WETH/USDC', buy_venue: 'uniswap_v3:500', sell_venue: 'uniswap_v3:3000', size: TENTH.toString(), amount_in: '300000000', amount_out: '301000000', gross_profit: '1000000', gas_cost: '7800', net_profit: '992200', net_profit_usd: 0.9922, evaluations: 5, simulation: null },
    ])
  })

  test('error: a void cycle has exactly one reject and nothing else', () => {
    const result = evaluateCycle(cycleInput(anchor, { block: 0, pinError: 'no endpoint answered' }), config)
    expect(result.rejects).toEqual([{ code: 'INFRA_BLOCK_PIN_FAILED', bucket: 'infra', stage: 'block', pair: null, venue: null, buy_venue: null, sell_venue: null, size: null, quote_id: null, message: 'no endpoint answered' }])
    expect(result.stats.rejects_total).toBe(1)
    expect([result.quotes, result.opportunities, result.signals, result.optimal]).toEqual([[], [], [], []])
    expect(evaluateCycle(cycleInput([], { block: 0, pinError: null }), config).rejects[0]!.message).toBe('no block could be pinned')
  })
})

describe('artifacts of a cycle', () => {
  const quotes = [...anchor, failedQuote(config, 'WETH/USDC', 'sushiswap_v3:3000', 'sell', WETH, 'QUOTE_REVERT', 'reverted: SPL'), failedQuote(config, 'WETH/USDC', 'uniswap_v2', 'buy', WETH, 'INFRA_RPC_ERROR', 'timeout')]
  const dropped = [
    { dex: 'uniswap_v2', pair: 'WBTC/WETH', fee: null, address: null, code: 'POOL_NOT_FOUND' as const, reason: 'no pool' },
    { dex: 'sushiswap_v3', pair: 'WETH/USDC', fee: 500, address: null, code: 'INFRA_RPC_ERROR' as const, reason: 'factory lookup failed: timeout' },
  ]

  test('behavior: a pool that does not exist is not a reject; the histogram counts every reject by code, by stage and by gate bucket, and the totals agree', () => {
    const input = cycleInput(quotes, { dropped })
    const { histogram, truth } = buildArtifacts(input, evaluateCycle(input, config), config, '2026-01-01T00:00:00.000Z')
    expect(histogram.total).toBe(3)
    expect(histogram.by_stage).toEqual({ block: 0, registry: 1, quote: 2, candidate: 0, simulation: 0, execution: 0 })
    expect(histogram.by_code).toEqual({ QUOTE_REVERT: 1, INFRA_RPC_ERROR: 2 })
    expect(histogram.gate_breakdown).toMatchObject({ revert: 1, infra: 2 })
    expect(Object.values(histogram.gate_breakdown).reduce((a, b) => a + b, 0)).toBe(3)
    expect(truth.health.gate_breakdown).toEqual(histogram.gate_breakdown)
  })

  test('error: an artifact that breaks its own schema is a contract violation (exit 4), never written', () => {
    const input = cycleInput(anchor)
    const result = evaluateCycle(input, config)
    const broken = { ...result, quotes: result.quotes.map((quote, i) => (i === 0 ? { ...quote, amount_out: '-1' } : quote)) }
    // The snapshot is built and checked when it is written.
    const dir = mkdtempSync(join(tmpdir(), 'arby-broken-'))
    let error: unknown
    try {
      writeArtifacts(dir, 'c1', buildArtifacts(input, broken, config, '2026-01-01T00:00:00.000Z'))
    } catch (caught) {
      error = caught
    }
    expect(readdirSync(dir)).toEqual([])
    rmSync(dir, { recursive: true, force: true })
    expect(error).toBeInstanceOf(ContractError)
    expect((error as ContractError).code).toBe('ARTIFACT_SCHEMA_VIOLATION')
    expect((error as ContractError).exitCode).toBe(4)
    expect((error as ContractError).details.some((d) => d.startsWith('quotes.0.amount_out'))).toBe(true)
  })
})
