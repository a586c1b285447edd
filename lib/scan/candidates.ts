import type { Config, Pair } from '../config/resolve.ts'
import type { OpportunityCore, Reject } from '../contract/parts.ts'
import type { ExecutionBlocker } from '../contract/primitives.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import type { SpreadSignal } from '../contract/truthReport.ts'
import { formatPrice } from '../math/ratio.ts'
import { makeReject } from './reject.ts'
import { quoteId, type QuoteOk } from './types.ts'
import type { Valuation } from './valuation.ts'

/**
 * One candidate route at one size, whatever its verdict: both legs, exact gross, gas and
 * net (quote-token units), the verdict (`code` null = an opportunity), and its USD values in
 * micro-dollars where a USD numeraire is reachable at this block.
 */
export type Spread = {
  id: string
  pair: Pair
  size: bigint
  buy: QuoteOk
  sell: QuoteOk
  gross: bigint
  gasCost: bigint | null
  net: bigint | null
  code: RejectCode | null
  netUsdMicro: bigint | null
}

export type CandidateResult = {
  total: number
  spreads: Spread[]
  opportunities: OpportunityCore[]
  signals: SpreadSignal[]
  rejects: Reject[]
  costModelAvailable: boolean
}

type Context = {
  config: Config
  passed: Map<string, QuoteOk>
  slippageBps: Map<string, number>
  gasPriceWei: bigint | null
  valuation: Valuation
  blocker: ExecutionBlocker
  memo?: CandidateMemo
}

/** What one candidate adds to the cycle's result. */
type Outcome = Pick<CandidateResult, 'spreads' | 'opportunities' | 'signals' | 'rejects' | 'costModelAvailable'>

/**
 * Candidates kept between cycles, by their two leg objects (a synced run hands back the same
 * quote objects for pools a block did not touch), with every other figure a verdict reads —
 * gas price, the pair's rates to gas and to USD, both legs' slippage, the blocker — as a key:
 * a candidate is evaluated again only when one of them changed.
 */
export type CandidateMemo = WeakMap<QuoteOk, WeakMap<QuoteOk, { key: string; outcome: Outcome }>>

/**
 * Every (pair, size, buy venue, sell venue) with both legs quoted: buy `size` base
 * on one venue (exact output), sell the same `size` on another (exact input).
 * Gross and net profit are exact bigints in quote-token units.
 */
export function evaluateCandidates(ctx: Context): CandidateResult {
  const out: CandidateResult = { total: 0, spreads: [], opportunities: [], signals: [], rejects: [], costModelAvailable: ctx.gasPriceWei !== null }
  for (const pair of ctx.config.pairs) {
    const venues = ctx.config.venues.map((venue) => venue.key)
    const pairKey = ctx.memo ? pairFigures(ctx, pair) : ''
    for (const size of pair.sizes) {
      // Each venue's two legs looked up once (not once per venue pair).
      const buys = venues.map((venue) => ctx.passed.get(quoteId(pair.name, venue, 'buy', size)))
      const sells = venues.map((venue) => ctx.passed.get(quoteId(pair.name, venue, 'sell', size)))
      buys.forEach((buy, i) => {
        if (!buy) return
        sells.forEach((sell, j) => {
          if (!sell || i === j) return
          out.total++
          if (ctx.memo) merge(out, remembered(ctx, ctx.memo, pairKey, pair, size, buy, sell))
          else evaluateOne(ctx, out, pair, size, buy, sell)
        })
      })
    }
  }
  // Different pairs profit in different tokens: rank by USD value (display ratio), then by id.
  out.opportunities.sort((a, b) => (b.net_profit_usd ?? -Infinity) - (a.net_profit_usd ?? -Infinity) || a.id.localeCompare(b.id))
  out.signals.sort((a, b) => (b.estimated_profit_usd ?? 0) - (a.estimated_profit_usd ?? 0) || b.spread_bps - a.spread_bps)
  return out
}

/** Everything a pair's verdicts read besides the legs: gas price, the rates to gas and to USD, the blocker. */
function pairFigures(ctx: Context, pair: Pair): string {
  const rate = (r: { num: bigint; den: bigint } | null) => (r ? `${r.num}/${r.den}` : '-')
  return `${ctx.gasPriceWei}|${rate(ctx.valuation.rate(ctx.config.tokens.get('WETH')!, pair.quote))}|${rate(ctx.valuation.usdMicroRate(pair.quote))}|${ctx.blocker}`
}

function remembered(ctx: Context, memo: CandidateMemo, pairKey: string, pair: Pair, size: bigint, buy: QuoteOk, sell: QuoteOk): Outcome {
  const key = `${pairKey}|${ctx.slippageBps.get(buy.request.id)}|${ctx.slippageBps.get(sell.request.id)}`
  let bySell = memo.get(buy)
  if (!bySell) memo.set(buy, bySell = new WeakMap())
  const known = bySell.get(sell)
  if (known?.key === key) return known.outcome
  const outcome: Outcome = { spreads: [], opportunities: [], signals: [], rejects: [], costModelAvailable: true }
  evaluateOne(ctx, outcome, pair, size, buy, sell)
  bySell.set(sell, { key, outcome })
  return outcome
}

function merge(out: CandidateResult, outcome: Outcome): void {
  out.spreads.push(...outcome.spreads)
  out.opportunities.push(...outcome.opportunities)
  out.signals.push(...outcome.signals)
  out.rejects.push(...outcome.rejects)
  if (!outcome.costModelAvailable) out.costModelAvailable = false
}

function evaluateOne(ctx: Context, out: Outcome, pair: Pair, size: bigint, buy: QuoteOk, sell: QuoteOk): void {
  const { config } = ctx
  const id = `${pair.name}|${buy.request.venue.key}>${sell.request.venue.key}|${size}`
  const where = { pair: pair.name, buy_venue: buy.request.venue.key, sell_venue: sell.request.venue.key, size: size.toString() }
  const cost = buy.amountIn
  const gross = sell.amountOut - cost
  const spreadBps = (Number(gross * 1_000_000n / cost) / 1_000_000) * 10_000

  const gasUnits = gasOf(buy, config) + gasOf(sell, config) + BigInt(config.gas.overhead_units)
  const gasCostWei = ctx.gasPriceWei === null ? null : gasUnits * ctx.gasPriceWei
  const gasCost = gasCostWei === null ? null : ctx.valuation.gasCost(gasCostWei, pair.quote)
  const net = gasCost === null ? null : gross - gasCost
  const threshold = thresholdOf(pair, cost, config)
  const netUsd = net === null ? null : ctx.valuation.usd(net, pair.quote)
  const slippage = Math.max(ctx.slippageBps.get(buy.request.id) ?? 0, ctx.slippageBps.get(sell.request.id) ?? 0)
  const profitableNet = net !== null && net >= threshold && gross > 0n
  const label = !profitableNet ? 'low' : net >= 2n * threshold && slippage < config.gates.max_slippage_bps / 2 ? 'high' : 'medium'
  const spread = (code: RejectCode | null): Spread => ({ id, pair, size, buy, sell, gross, gasCost, net, code, netUsdMicro: net === null ? null : ctx.valuation.usdMicro(net, pair.quote) })

  if (gross > 0n) {
    out.signals.push({
      pair: pair.name,
      size: size.toString(),
      buy_dex: buy.request.venue.key,
      sell_dex: sell.request.venue.key,
      buy_price: formatPrice(buy.amountIn, buy.amountOut, pair.base.decimals, pair.quote.decimals),
      sell_price: formatPrice(sell.amountOut, sell.amountIn, pair.base.decimals, pair.quote.decimals),
      spread_bps: spreadBps,
      is_profitable: true,
      is_profitable_net: profitableNet,
      estimated_profit_usd: netUsd,
      confidence: label,
      buy_pool_address: buy.request.pool,
      sell_pool_address: sell.request.pool,
      buy_fee: buy.request.fee,
      sell_fee: sell.request.fee,
    })
  }

  const reject = (code: RejectCode, message: string) => {
    out.rejects.push(makeReject(code, 'candidate', message, where))
    out.spreads.push(spread(code))
  }
  if (gross <= 0n) return reject('PNL_NEGATIVE', `sell returns ${sell.amountOut}, buy costs ${cost} (${spreadBps.toFixed(1)} bps)`)
  if (gasCost === null || net === null || gasCostWei === null) {
    out.costModelAvailable = false
    return reject('PREFLIGHT_VALIDATION_FAILED', `no gas price or no WETH→${pair.quote.symbol} rate at this block`)
  }
  if (net < threshold) return reject('PNL_BELOW_THRESHOLD', `net ${net} < threshold ${threshold} ${pair.quote.symbol} units (gross ${gross}, gas ${gasCost})`)
  out.spreads.push(spread(null))
  out.opportunities.push({
    id,
    pair: pair.name,
    base: pair.base.symbol,
    quote: pair.quote.symbol,
    size: size.toString(),
    buy: leg(buy, { amount_in: cost.toString() }),
    sell: leg(sell, { amount_out: sell.amountOut.toString() }),
    gross_profit: gross.toString(),
    gas_units: gasUnits.toString(),
    gas_cost_wei: gasCostWei.toString(),
    gas_cost: gasCost.toString(),
    gas_cost_usd: ctx.valuation.usd(gasCost, pair.quote),
    net_profit: net.toString(),
    net_profit_usd: netUsd,
    spread_bps: spreadBps,
    gas_source: 'model',
    simulation: null,
    confidence_label: label,
    is_execution_ready: false,
    execution_blockers: [ctx.blocker],
  })
}

function leg<T>(quote: QuoteOk, amount: T) {
  const { venue, pool, id, fee } = quote.request
  return { venue: venue.key, dex: venue.dex, pool, fee, quote_id: id, ...amount }
}

/** The venue's own gas estimate where it gives one (QuoterV2, Algebra), else the configured V2 figure. */
function gasOf(quote: QuoteOk, config: Config): bigint {
  return quote.gasEstimate ?? BigInt(config.gas.v2_swap_units)
}

/** The least net profit worth executing: the pair's minimum, or min_net_profit_bps of the cost, whichever is more. */
export function thresholdOf(pair: Pair, cost: bigint, config: Config): bigint {
  const bps = (cost * BigInt(Math.round(config.gates.min_net_profit_bps * 100))) / 1_000_000n
  return pair.minNetProfit > bps ? pair.minNetProfit : bps
}
