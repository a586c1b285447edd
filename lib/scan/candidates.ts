import type { Config, Pair } from '../config/resolve.ts'
import type { OpportunityCore, Reject } from '../contract/parts.ts'
import type { ExecutionBlocker } from '../contract/primitives.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import type { SpreadSignal } from '../contract/truthReport.ts'
import { formatPrice } from '../math/ratio.ts'
import { makeReject } from './reject.ts'
import { quoteId, type QuoteOk } from './types.ts'
import type { Valuation } from './valuation.ts'
import type { PairGates } from './quoteGates.ts'

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
  /**
   * What a run keeps: the verdicts, each pair's figures this cycle (`pairFigures`), and its gate
   * verdicts (the same object while the pair's quotes did not change).
   */
  memo?: { candidates: CandidateMemo; figures: Map<string, string>; pairGates: Map<string, PairGates> }
}

/**
 * A pair's verdicts kept between cycles, with its leg objects (a synced run hands back the
 * same quote objects for pools a block did not touch) and every other figure a verdict reads —
 * gas price, the pair's rates to gas and to USD, the legs' slippage, the blocker — as a key:
 * the pair is judged again only when one of them changed.
 */
export type CandidateMemo = Map<string, { gates: PairGates | undefined; legs: (QuoteOk | undefined)[]; figures: string; slippage: string; outcome: CandidateResult; each: Judged[] }>

/**
 * One candidate's verdict with the legs and their slippage it was reached from (kept when its
 * pair is judged again), at index (size · venues + buy venue) · venues + sell venue.
 */
type Judged = { buy: QuoteOk; sell: QuoteOk; buySlippage: number | undefined; sellSlippage: number | undefined; outcome: CandidateResult }

/**
 * Every (pair, size, buy venue, sell venue) with both legs quoted: buy `size` base
 * on one venue (exact output), sell the same `size` on another (exact input).
 * Gross and net profit are exact bigints in quote-token units.
 */
export function evaluateCandidates(ctx: Context): CandidateResult {
  const out: CandidateResult = { total: 0, spreads: [], opportunities: [], signals: [], rejects: [], costModelAvailable: ctx.gasPriceWei !== null }
  const venues = ctx.config.venues.map((venue) => venue.key)
  for (const pair of ctx.config.pairs) {
    const figures = ctx.memo?.figures.get(pair.name) ?? ''
    const gates = ctx.memo?.pairGates.get(pair.name)
    let known = ctx.memo?.candidates.get(pair.name)
    // The same gate verdicts (its legs and their slippage) and the same figures: the same outcome, nothing looked up.
    if (known && gates && known.gates === gates && known.figures === figures) {
      merge(out, known.outcome)
      continue
    }
    // Each venue's two legs looked up once per size (not once per venue pair).
    const sizes = pair.sizes.map((size) => ({
      size,
      buys: venues.map((venue) => ctx.passed.get(quoteId(pair.name, venue, 'buy', size))),
      sells: venues.map((venue) => ctx.passed.get(quoteId(pair.name, venue, 'sell', size))),
    }))
    if (!ctx.memo) {
      evaluatePair(ctx, out, pair, sizes)
      continue
    }
    const legs = sizes.flatMap((s) => [...s.buys, ...s.sells])
    const slippage = legs.map((q) => (q ? ctx.slippageBps.get(q.request.id) : '')).join(',')
    if (!known || known.figures !== figures || known.slippage !== slippage || known.legs.some((q, i) => q !== legs[i])) {
      // Judged again: candidates whose two legs (and their slippage) did not change keep their
      // verdicts when the pair's figures did not change either.
      const outcome: CandidateResult = { total: 0, spreads: [], opportunities: [], signals: [], rejects: [], costModelAvailable: true }
      const each: Judged[] = []
      evaluatePair(ctx, outcome, pair, sizes, { kept: known?.figures === figures ? known.each : null, each })
      known = { gates, legs, figures, slippage, outcome, each }
    } else known = { ...known, gates }
    ctx.memo.candidates.set(pair.name, known)
    merge(out, known.outcome)
  }
  // Different pairs profit in different tokens: rank by USD value (display ratio), then by id.
  out.opportunities.sort((a, b) => (b.net_profit_usd ?? -Infinity) - (a.net_profit_usd ?? -Infinity) || a.id.localeCompare(b.id))
  out.signals.sort((a, b) => (b.estimated_profit_usd ?? 0) - (a.estimated_profit_usd ?? 0) || b.spread_bps - a.spread_bps)
  return out
}

function evaluatePair(ctx: Context, out: CandidateResult, pair: Pair, sizes: { size: bigint; buys: (QuoteOk | undefined)[]; sells: (QuoteOk | undefined)[] }[], memo?: { kept: Judged[] | null; each: Judged[] }): void {
  sizes.forEach(({ size, buys, sells }, k) => {
    buys.forEach((buy, i) => {
      if (!buy) return
      sells.forEach((sell, j) => {
        if (!sell || i === j) return
        out.total++
        if (!memo) return evaluateOne(ctx, out, pair, size, buy, sell)
        const at = (k * buys.length + i) * sells.length + j
        const [buySlippage, sellSlippage] = [ctx.slippageBps.get(buy.request.id), ctx.slippageBps.get(sell.request.id)]
        let judged = memo.kept?.[at]
        if (judged?.buy !== buy || judged.sell !== sell || judged.buySlippage !== buySlippage || judged.sellSlippage !== sellSlippage) {
          const outcome: CandidateResult = { total: 0, spreads: [], opportunities: [], signals: [], rejects: [], costModelAvailable: true }
          evaluateOne(ctx, outcome, pair, size, buy, sell)
          judged = { buy, sell, buySlippage, sellSlippage, outcome }
        }
        memo.each[at] = judged
        merge(out, judged.outcome)
      })
    })
  })
}

/** Everything a pair's verdicts read besides the legs: gas price, the rates to gas and to USD, the blocker. */
export function pairFigures(ctx: Pick<Context, 'config' | 'gasPriceWei' | 'valuation' | 'blocker'>, pair: Pair): string {
  const rate = (r: { num: bigint; den: bigint } | null) => (r ? `${r.num}/${r.den}` : '-')
  return `${ctx.gasPriceWei}|${rate(ctx.valuation.rate(ctx.config.tokens.get('WETH')!, pair.quote))}|${rate(ctx.valuation.usdMicroRate(pair.quote))}|${ctx.blocker}`
}

function merge(out: CandidateResult, outcome: CandidateResult): void {
  out.total += outcome.total
  for (const x of outcome.spreads) out.spreads.push(x)
  for (const x of outcome.opportunities) out.opportunities.push(x)
  for (const x of outcome.signals) out.signals.push(x)
  for (const x of outcome.rejects) out.rejects.push(x)
  if (!outcome.costModelAvailable) out.costModelAvailable = false
}

function evaluateOne(ctx: Context, out: CandidateResult, pair: Pair, size: bigint, buy: QuoteOk, sell: QuoteOk): void {
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
