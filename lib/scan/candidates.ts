import type { Config, Pair } from '../config/resolve.ts'
import type { OpportunityCore, Reject } from '../contract/parts.ts'
import type { ExecutionBlocker } from '../contract/primitives.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import type { SpreadSignal } from '../contract/truthReport.ts'
import { formatPrice } from '../math/ratio.ts'
import type { PairGates } from './quoteGates.ts'
import { makeReject } from './reject.ts'
import { RejectTally, verdictMarks } from './tally.ts'
import type { QuoteOk } from './types.ts'
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

/**
 * One candidate's verdict in figures only: what the cycle's counts and its opportunities need.
 * Its spread, reject and signal — strings and all — are built from it when an artifact asks.
 */
export type Judged = {
  pair: Pair
  size: bigint
  buy: QuoteOk
  sell: QuoteOk
  buySlippage: number | undefined
  sellSlippage: number | undefined
  gross: bigint
  gasCost: bigint | null
  net: bigint | null
  threshold: bigint
  spreadBps: number
  netUsd: number | null
  label: SpreadSignal['confidence']
  code: RejectCode | null
  /** The opportunity (code null), else null. */
  opportunity: OpportunityCore | null
  /** Net in micro-USD (exact, truncated), where a USD numeraire is reachable. A verdict holds figures only, never the cycle's valuation: a verdict kept for days must not keep its first cycle's quotes alive. */
  netUsdMicro: bigint | null
}

/** One pair's candidates, in order (size, buy venue, sell venue): verdicts, their counts, and what is built from them on demand. */
export class PairCandidates {
  readonly tally = new RejectTally()
  readonly opportunities: OpportunityCore[] = []
  signals = 0
  signalsProfitable = 0
  costModelAvailable = true
  private built: { spreads: Spread[]; rejects: Reject[] } | null = null
  private ranked: Judged[] | null = null
  private marks: string | null = null
  private opened: { at: number; spread: Spread }[] | null = null

  /** `judged` in candidate order; `grid` the same verdicts at (size · venues + buy venue) · venues + sell venue (what a later cycle keeps from). */
  constructor(readonly judged: Judged[], readonly grid: (Judged | undefined)[] = []) {
    for (const j of judged) {
      if (j.code) this.tally.add('candidate', j.code)
      if (j.code === 'PREFLIGHT_VALIDATION_FAILED') this.costModelAvailable = false
      if (j.opportunity) this.opportunities.push(j.opportunity)
      if (j.gross > 0n) {
        this.signals++
        if (isProfitableNet(j)) this.signalsProfitable++
      }
    }
  }

  /** Every candidate's verdict, one character each at its grid place ('-' where no candidate): equal marks, equal verdicts. */
  get verdicts(): string {
    if (this.marks === null) {
      const codes: (RejectCode | null | undefined)[] = []
      for (let i = 0; i < this.grid.length; i++) codes.push(this.grid[i]?.code)
      this.marks = verdictMarks(codes)
    }
    return this.marks
  }

  get spreads(): Spread[] {
    return (this.built ??= this.build()).spreads
  }

  get rejects(): Reject[] {
    return (this.built ??= this.build()).rejects
  }

  /** The spreads that are opportunities, with their place among the pair's candidates. */
  get opportunitySpreads(): { at: number; spread: Spread }[] {
    if (!this.opened) {
      this.opened = []
      for (let at = 0; at < this.judged.length; at++) if (this.judged[at]!.code === null) this.opened.push({ at, spread: spreadOf(this.judged[at]!) })
    }
    return this.opened
  }

  /** The candidates with a positive gross, best first (estimated USD, then spread; ties in candidate order). */
  get signalOrder(): Judged[] {
    return (this.ranked ??= this.judged.filter((j) => j.gross > 0n).sort(bySignal))
  }

  private build(): { spreads: Spread[]; rejects: Reject[] } {
    const spreads: Spread[] = []
    const rejects: Reject[] = []
    // An opportunity's spread is the one already made for it (one object per candidate).
    const opened = new Map(this.opportunitySpreads.map(({ at, spread }) => [at, spread]))
    for (const [at, j] of this.judged.entries()) {
      const spread = opened.get(at) ?? spreadOf(j)
      spreads.push(spread)
      if (j.code) rejects.push(makeReject(j.code, 'candidate', rejectMessage(j), { pair: j.pair.name, buy_venue: j.buy.request.venue.key, sell_venue: j.sell.request.venue.key, size: j.size.toString() }))
    }
    return { spreads, rejects }
  }
}

/** The signals' order: estimated USD profit, then spread, best first. */
export function bySignal(a: Judged, b: Judged): number {
  return (b.netUsd ?? 0) - (a.netUsd ?? 0) || b.spreadBps - a.spreadBps
}

type Context = {
  config: Config
  gasPriceWei: bigint | null
  valuation: Valuation
  blocker: ExecutionBlocker
}

/**
 * A pair's verdicts kept between cycles, with its leg objects (a synced run hands back the
 * same quote objects for pools a block did not touch) and every other figure a verdict reads —
 * gas price, the pair's rates to gas and to USD, the legs' slippage, the blocker — as a key:
 * the pair is judged again only when one of them changed; then each candidate whose two legs
 * and their slippage are the same objects and numbers keeps its verdict.
 */
export type CandidateMemo = Map<string, { gates: PairGates; figures: string; outcome: PairCandidates }>

/**
 * Every (size, buy venue, sell venue) of a pair with both legs passed: buy `size` base on one
 * venue (exact output), sell the same `size` on another (exact input). Gross and net profit
 * are exact bigints in quote-token units.
 */
export function pairCandidates(ctx: Context, pair: Pair, gates: PairGates, figures: string, memo?: CandidateMemo): PairCandidates {
  const known = memo?.get(pair.name)
  if (known && known.gates === gates && known.figures === figures) return known.outcome
  // Verdicts reached from the same legs and figures are kept (by position: sizes and venues are the config's).
  const kept = known?.figures === figures ? known.outcome.grid : null
  const venues = ctx.config.venues.map((venue) => venue.key)
  const n = venues.length
  const judged: Judged[] = []
  const grid: (Judged | undefined)[] = []
  for (let s = 0; s < pair.sizes.length; s++) {
    const size = pair.sizes[s]!
    // Each venue's two legs looked up once per size (not once per venue pair).
    const legs = venues.map((venue) => gates.legs.get(venue)?.get(size))
    const slippage = legs.map((leg) => ({ buy: leg?.buy && gates.slippageBps.get(leg.buy.request.id), sell: leg?.sell && gates.slippageBps.get(leg.sell.request.id) }))
    for (let i = 0; i < n; i++) {
      const buy = legs[i]?.buy
      if (!buy) continue
      const buySlippage = slippage[i]!.buy
      for (let j = 0; j < n; j++) {
        const sell = legs[j]?.sell
        if (!sell || i === j) continue
        const sellSlippage = slippage[j]!.sell
        const at = (s * n + i) * n + j
        const old = kept?.[at]
        const verdict = old && old.buy === buy && old.sell === sell && old.buySlippage === buySlippage && old.sellSlippage === sellSlippage
          ? old
          : judge(ctx, pair, size, buy, sell, buySlippage, sellSlippage)
        judged.push(verdict)
        grid[at] = verdict
      }
    }
  }
  const outcome = new PairCandidates(judged, grid)
  memo?.set(pair.name, { gates, figures, outcome })
  return outcome
}

/** Everything a pair's verdicts read besides the legs: gas price, the rates to gas and to USD, the blocker. */
export function pairFigures(ctx: Context, pair: Pair): string {
  const rate = (r: { num: bigint; den: bigint } | null) => (r ? `${r.num}/${r.den}` : '-')
  return `${ctx.gasPriceWei}|${rate(ctx.valuation.rate(ctx.config.tokens.get('WETH')!, pair.quote))}|${rate(ctx.valuation.usdMicroRate(pair.quote))}|${ctx.blocker}`
}

function judge(ctx: Context, pair: Pair, size: bigint, buy: QuoteOk, sell: QuoteOk, buySlippage: number | undefined, sellSlippage: number | undefined): Judged {
  const { config } = ctx
  const cost = buy.amountIn
  const gross = sell.amountOut - cost
  const spreadBps = (Number(gross * 1_000_000n / cost) / 1_000_000) * 10_000
  const units = unitsOf(config)
  const gasUnits = (buy.gasEstimate ?? units.v2Swap) + (sell.gasEstimate ?? units.v2Swap) + units.overhead
  const gasCostWei = ctx.gasPriceWei === null ? null : gasUnits * ctx.gasPriceWei
  const gasCost = gasCostWei === null ? null : ctx.valuation.gasCost(gasCostWei, pair.quote)
  const net = gasCost === null ? null : gross - gasCost
  const threshold = thresholdOf(pair, cost, config)
  const netUsd = net === null ? null : ctx.valuation.usd(net, pair.quote)
  const slippage = Math.max(buySlippage ?? 0, sellSlippage ?? 0)
  const profitableNet = net !== null && net >= threshold && gross > 0n
  const label = !profitableNet ? 'low' : net >= 2n * threshold && slippage < config.gates.max_slippage_bps / 2 ? 'high' : 'medium'
  const code: RejectCode | null = gross <= 0n ? 'PNL_NEGATIVE' : gasCost === null || net === null ? 'PREFLIGHT_VALIDATION_FAILED' : net < threshold ? 'PNL_BELOW_THRESHOLD' : null
  const netUsdMicro = net === null ? null : ctx.valuation.usdMicro(net, pair.quote)
  const judged: Judged = { pair, size, buy, sell, buySlippage, sellSlippage, gross, gasCost, net, threshold, spreadBps, netUsd, netUsdMicro, label, code, opportunity: null }
  if (code === null) {
    judged.opportunity = {
      id: spreadKey(judged),
      pair: pair.name,
      base: pair.base.symbol,
      quote: pair.quote.symbol,
      size: size.toString(),
      buy: leg(buy, { amount_in: cost.toString() }),
      sell: leg(sell, { amount_out: sell.amountOut.toString() }),
      gross_profit: gross.toString(),
      gas_units: gasUnits.toString(),
      gas_cost_wei: gasCostWei!.toString(),
      gas_cost: gasCost!.toString(),
      gas_cost_usd: ctx.valuation.usd(gasCost!, pair.quote),
      net_profit: net!.toString(),
      net_profit_usd: netUsd,
      spread_bps: spreadBps,
      gas_source: 'model',
      simulation: null,
      confidence_label: label,
      is_execution_ready: false,
      execution_blockers: [ctx.blocker],
    }
  }
  return judged
}

function isProfitableNet(j: Judged): boolean {
  return j.net !== null && j.net >= j.threshold && j.gross > 0n
}

/** `pair|buy venue>sell venue|size`: a spread's and its opportunity's id. */
function spreadKey(j: Pick<Judged, 'pair' | 'buy' | 'sell' | 'size'>): string {
  return `${j.pair.name}|${j.buy.request.venue.key}>${j.sell.request.venue.key}|${j.size}`
}

export function spreadOf(j: Judged): Spread {
  return {
    id: j.opportunity?.id ?? spreadKey(j), pair: j.pair, size: j.size, buy: j.buy, sell: j.sell, gross: j.gross, gasCost: j.gasCost, net: j.net, code: j.code,
    netUsdMicro: j.netUsdMicro,
  }
}

export function signalOf(j: Judged): SpreadSignal {
  const { pair, buy, sell } = j
  return {
    pair: pair.name,
    size: j.size.toString(),
    buy_dex: buy.request.venue.key,
    sell_dex: sell.request.venue.key,
    buy_price: formatPrice(buy.amountIn, buy.amountOut, pair.base.decimals, pair.quote.decimals),
    sell_price: formatPrice(sell.amountOut, sell.amountIn, pair.base.decimals, pair.quote.decimals),
    spread_bps: j.spreadBps,
    is_profitable: true,
    is_profitable_net: isProfitableNet(j),
    estimated_profit_usd: j.netUsd,
    confidence: j.label,
    buy_pool_address: buy.request.pool,
    sell_pool_address: sell.request.pool,
    buy_fee: buy.request.fee,
    sell_fee: sell.request.fee,
  }
}

function rejectMessage(j: Judged): string {
  const cost = j.buy.amountIn
  if (j.code === 'PNL_NEGATIVE') return `sell returns ${j.sell.amountOut}, buy costs ${cost} (${j.spreadBps.toFixed(1)} bps)`
  if (j.code === 'PREFLIGHT_VALIDATION_FAILED') return `no gas price or no WETH→${j.pair.quote.symbol} rate at this block`
  return `net ${j.net} < threshold ${j.threshold} ${j.pair.quote.symbol} units (gross ${j.gross}, gas ${j.gasCost})`
}

function leg<T>(quote: QuoteOk, amount: T) {
  const { venue, pool, id, fee } = quote.request
  return { venue: venue.key, dex: venue.dex, pool, fee, quote_id: id, ...amount }
}

/**
 * The config's gas figures and profit floor as bigints, made once per config: a leg's gas is the
 * venue's own estimate where it gives one (QuoterV2, Algebra), else the configured V2 figure.
 */
const units = new WeakMap<Config, { v2Swap: bigint; overhead: bigint; minNetProfitCentiBps: bigint }>()
function unitsOf(config: Config) {
  let known = units.get(config)
  if (!known) units.set(config, known = { v2Swap: BigInt(config.gas.v2_swap_units), overhead: BigInt(config.gas.overhead_units), minNetProfitCentiBps: BigInt(Math.round(config.gates.min_net_profit_bps * 100)) })
  return known
}

/** The least net profit worth executing: the pair's minimum, or min_net_profit_bps of the cost, whichever is more. */
export function thresholdOf(pair: Pair, cost: bigint, config: Config): bigint {
  const bps = (cost * unitsOf(config).minNetProfitCentiBps) / 1_000_000n
  return pair.minNetProfit > bps ? pair.minNetProfit : bps
}
