import type { Config, Pair } from '../config/resolve.ts'
import type { OpportunityCore, Reject } from '../contract/parts.ts'
import type { ExecutionBlocker } from '../contract/primitives.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import type { SpreadSignal } from '../contract/truthReport.ts'
import { formatPrice } from '../math/ratio.ts'
import type { PairGates } from './gateVerdicts.ts'
import { makeReject } from './reject.ts'
import { RejectTally, verdictMarks } from './tally.ts'
import type { QuoteOk } from './types.ts'
import { costIn, usdAt, usdMicroAt, type Rate, type UsdRoute, type Valuation } from './valuation.ts'

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
 * A verdict holds figures only, never the cycle's valuation: a verdict kept for days must not
 * keep its first cycle's quotes alive.
 */
export type Judged = {
  pair: Pair
  size: bigint
  buy: QuoteOk
  sell: QuoteOk
  buySlippage: number | undefined
  sellSlippage: number | undefined
  /** The exact gross (`grossOf`, computed when first read). */
  gross?: bigint
  code: RejectCode | null
  /** The opportunity (code null), else null. */
  opportunity: OpportunityCore | null
  /** The figures the verdict was priced with. */
  pricing: Pricing
  /** Its costs: priced when judged where the gross is positive (the verdict reads them), else when a spread or reject first asks (`pricedOf`). */
  priced?: Priced
}

/** A verdict's costs and net in quote-token units, its display figures, and its net in micro-USD (exact, truncated) where a USD numeraire is reachable. */
type Priced = { gasCost: bigint | null; net: bigint | null; threshold: bigint; profitableNet: boolean; spreadBps: number; netUsd: number | null; netUsdMicro: bigint | null; label: SpreadSignal['confidence'] }

/** What a pair's verdicts are priced with at a cycle: gas price, the rate from wei to the quote token, the quote token's way to USD, the gates' figures. */
type Pricing = { gasPriceWei: bigint | null; gasRate: Rate | null; usd: UsdRoute | null; maxSlippageBps: number; minNetProfitCentiBps: bigint; v2SwapUnits: bigint; overheadUnits: bigint }

/**
 * A candidate whose sell returns no more than its buy costs (nine in ten): its verdict reads
 * nothing but its two legs, so it is held as this mark, not an object, and kept whatever the
 * cycle's figures; its figures are made from the legs when an artifact asks (`negativeAt`).
 */
const NEGATIVE = 0
/** A grid cell: no candidate (a leg missing), a negative one, or a verdict with a positive gross. */
type Cell = Judged | typeof NEGATIVE | undefined

/** What a pair's negative candidates are made from when asked: its legs and figures at this cycle. */
type Source = { pair: Pair; gates: PairGates; pricing: Pricing; venues: string[] }

/**
 * One pair's candidates in order (size, buy venue, sell venue), as a grid at
 * (size · venues + buy venue) · venues + sell venue: verdicts, their counts, and what is built
 * from them on demand.
 */
export class PairCandidates {
  readonly tally = new RejectTally()
  readonly opportunities: OpportunityCore[] = []
  /** The candidates with a positive gross, in candidate order. */
  readonly positives: Judged[] = []
  /** Candidates (cells with one). */
  readonly count: number = 0
  signalsProfitable = 0
  costModelAvailable = true
  private built: { spreads: Spread[]; rejects: Reject[] } | null = null
  private ranked: Judged[] | null = null
  private rankedOpen: OpportunityCore[] | null = null
  private marks: string | null = null
  private opened: { at: number; spread: Spread }[] | null = null

  constructor(readonly grid: Cell[], private readonly source: Source) {
    // Negatives are counted here, added to the tally once.
    let negative = 0
    let count = 0
    for (let at = 0; at < grid.length; at++) {
      const j = grid[at]
      if (j === undefined) continue
      count++
      if (j === NEGATIVE) {
        negative++
        continue
      }
      if (j.code) this.tally.add('candidate', j.code)
      if (j.code === 'PREFLIGHT_VALIDATION_FAILED') this.costModelAvailable = false
      if (j.opportunity) this.opportunities.push(j.opportunity)
      this.positives.push(j)
      if (isProfitableNet(j)) this.signalsProfitable++
    }
    this.count = count
    if (negative) this.tally.add('candidate', 'PNL_NEGATIVE', negative)
  }

  /** Signals: the candidates with a positive gross. */
  get signals(): number {
    return this.positives.length
  }

  /** Every candidate's verdict, in candidate order (a negative one made from its legs). */
  private get judged(): Judged[] {
    const out: Judged[] = []
    for (let at = 0; at < this.grid.length; at++) {
      const j = this.grid[at]
      if (j !== undefined) out.push(j === NEGATIVE ? this.negativeAt(at) : j)
    }
    return out
  }

  /** Every candidate's verdict, one character each at its grid place ('-' where no candidate): equal marks, equal verdicts. */
  get verdicts(): string {
    if (this.marks === null) {
      const codes: (RejectCode | null | undefined)[] = []
      for (let i = 0; i < this.grid.length; i++) {
        const j = this.grid[i]
        codes.push(j === NEGATIVE ? 'PNL_NEGATIVE' : j?.code)
      }
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
      if (this.opportunities.length) {
        let k = 0
        for (let at = 0; at < this.grid.length; at++) {
          const j = this.grid[at]
          if (j === undefined) continue
          if (j !== NEGATIVE && j.code === null) this.opened.push({ at: k, spread: spreadOf(j) })
          k++
        }
      }
    }
    return this.opened
  }

  /** The opportunities in the cycle's order (`byOpportunity`), sorted once per verdict set. */
  get rankedOpportunities(): OpportunityCore[] {
    return (this.rankedOpen ??= this.opportunities.slice().sort(byOpportunity))
  }

  /** The candidates with a positive gross, best first (estimated USD, then spread; ties in candidate order). */
  get signalOrder(): Judged[] {
    return (this.ranked ??= this.positives.slice().sort(bySignal))
  }

  private build(): { spreads: Spread[]; rejects: Reject[] } {
    const spreads: Spread[] = []
    const rejects: Reject[] = []
    for (const j of this.judged) {
      spreads.push(spreadOf(j))
      if (j.code) rejects.push(makeReject(j.code, 'candidate', rejectMessage(j), { pair: j.pair.name, buy_venue: j.buy.request.venue.key, sell_venue: j.sell.request.venue.key, size: j.size.toString() }))
    }
    return { spreads, rejects }
  }

  /** The negative candidate at a grid place, made from the legs it was judged from (the same objects: it was kept only while they were). */
  private negativeAt(at: number): Judged {
    const { pair, gates, pricing, venues } = this.source
    const n = venues.length
    const s = Math.floor(at / (n * n))
    const buyLegs = gates.legs.get(venues[Math.floor(at / n) % n]!)![s]!
    const sellLegs = gates.legs.get(venues[at % n]!)![s]!
    return { pair, size: pair.sizes[s]!, buy: buyLegs.buy!, sell: sellLegs.sell!, buySlippage: buyLegs.buySlippage, sellSlippage: sellLegs.sellSlippage, gross: undefined, code: 'PNL_NEGATIVE', opportunity: null, pricing, priced: undefined }
  }
}

/** The opportunities' order: net USD value, best first (different pairs profit in different tokens; a display ratio), then id. */
export function byOpportunity(a: OpportunityCore, b: OpportunityCore): number {
  return netUsd(b) - netUsd(a) || a.id.localeCompare(b.id)
}

/** Net USD value as a sort key, those without one last: the first key of the opportunities' and the optimal sizes' orders. */
export function netUsd(item: { net_profit_usd: number | null }): number {
  return item.net_profit_usd ?? -Infinity
}

/** The signals' order: estimated USD profit, then spread, best first. */
export function bySignal(a: Judged, b: Judged): number {
  const pa = pricedOf(a)
  const pb = pricedOf(b)
  return (pb.netUsd ?? 0) - (pa.netUsd ?? 0) || pb.spreadBps - pa.spreadBps
}

type Context = {
  config: Config
  gasPriceWei: bigint | null
  valuation: Valuation
  blocker: ExecutionBlocker
}

/**
 * A pair's verdicts kept between cycles, with the gate verdicts they were reached from (a synced
 * run hands back the same quote objects for pools a block did not touch) and every other figure
 * a verdict reads — gas price, the pair's rates to gas and to USD, the blocker — as a key: the
 * pair is judged again only when one of them changed; then a candidate whose two legs and their
 * slippage are the same objects and numbers keeps its verdict (a negative one whatever the figures).
 */
export type CandidateMemo = Map<string, { gates: PairGates; figures: string; outcome: PairCandidates }>

/**
 * Every (size, buy venue, sell venue) of a pair with both legs passed: buy `size` base on one
 * venue (exact output), sell the same `size` on another (exact input). Gross and net profit
 * are exact bigints in quote-token units.
 */
export function pairCandidates(ctx: Context, pair: Pair, gates: PairGates, { pricing, key: figures }: ReturnType<typeof pricingOf>, memo?: CandidateMemo): PairCandidates {
  const known = memo?.get(pair.name)
  if (known && known.gates === gates && known.figures === figures) return known.outcome
  const venues = venueKeys(ctx.config)
  const n = venues.length
  const cells = pair.sizes.length * n * n
  // Kept by grid place: sizes and venues are the config's (a grid of another shape keeps nothing).
  const kept = known?.outcome.grid.length === cells ? known.outcome.grid : undefined
  const samePricing = known?.figures === figures
  // With the same figures every verdict whose two legs are what they were stands: the last grid
  // is copied and only the rows and columns of venues whose legs changed are judged again.
  const copied = kept !== undefined && samePricing
  const grid = copied ? kept.slice() : new Array<Cell>(cells)
  // Whether each venue's buy and sell legs at a size are what they were (same quote, same slippage).
  const buySame = new Array<boolean>(n).fill(false)
  const sellSame = new Array<boolean>(n).fill(false)
  for (let s = 0; s < pair.sizes.length; s++) {
    const size = pair.sizes[s]!
    // Each venue's two legs looked up once per size (not once per venue pair).
    const legs = venues.map((venue) => gates.legs.get(venue)?.[s])
    if (kept) {
      for (let v = 0; v < n; v++) {
        const was = known!.gates.legs.get(venues[v]!)?.[s]
        const now = legs[v]
        buySame[v] = !!was && was.buy === now?.buy && was.buySlippage === now?.buySlippage
        sellSame[v] = !!was && was.sell === now?.sell && was.sellSlippage === now?.sellSlippage
      }
    }
    for (let i = 0; i < n; i++) {
      const mine = legs[i]
      const buy = mine?.buy
      const buySlippage = mine?.buySlippage
      for (let j = 0; j < n; j++) {
        const same = buySame[i]! && sellSame[j]!
        if (i === j || (copied && same)) continue
        const sell = legs[j]?.sell
        const at = (s * n + i) * n + j
        const old = same ? kept![at] : undefined
        // Compared, not subtracted: a bigint difference is an allocation, and nine in ten lose here.
        grid[at] = !buy || !sell ? undefined
          : old === NEGATIVE || (old !== undefined && samePricing) ? old
          : sell.amountOut > buy.amountIn ? judge(ctx, pricing, pair, size, buy, sell, buySlippage, legs[j]!.sellSlippage, venues, at) : NEGATIVE
      }
    }
  }
  const outcome = new PairCandidates(grid, { pair, gates, pricing, venues })
  memo?.set(pair.name, { gates, figures, outcome })
  return outcome
}

/** The config's venue keys, in its order, listed once per config. */
const keys = new WeakMap<Config, string[]>()
function venueKeys(config: Config): string[] {
  let known = keys.get(config)
  if (!known) keys.set(config, known = config.venues.map((venue) => venue.key))
  return known
}

/**
 * What the verdicts of pairs quoted in `quote` are priced with this cycle (plain values: a kept
 * verdict keeps them, not the valuation), and as `key` everything a verdict reads besides its
 * legs — these and the blocker. The same for every pair of one quote token: found once per token.
 */
export function pricingOf(ctx: Context, quote: Pair['quote']): { pricing: Pricing; key: string } {
  const pricing: Pricing = {
    gasPriceWei: ctx.gasPriceWei,
    gasRate: ctx.valuation.rate(ctx.config.tokens.get('WETH')!, quote),
    usd: ctx.valuation.usdRoute(quote),
    maxSlippageBps: ctx.config.gates.max_slippage_bps,
    minNetProfitCentiBps: unitsOf(ctx.config).minNetProfitCentiBps,
    v2SwapUnits: unitsOf(ctx.config).v2Swap,
    overheadUnits: unitsOf(ctx.config).overhead,
  }
  const rate = (r: Rate | null | undefined) => (r ? `${r.num}/${r.den}` : '-')
  return { pricing, key: `${pricing.gasPriceWei}|${rate(pricing.gasRate)}|${rate(pricing.usd?.rate)}@${pricing.usd?.decimals}|${ctx.blocker}` }
}

/** The verdict of a candidate whose sell returns more than its buy costs (at grid place `at` of `venues`): priced at once (its verdict reads its costs). */
function judge(ctx: Context, pricing: Pricing, pair: Pair, size: bigint, buy: QuoteOk, sell: QuoteOk, buySlippage: number | undefined, sellSlippage: number | undefined, venues: string[], at: number): Judged {
  // The gross set here, not through `grossOf`: JavaScriptCore, inlining its `??=`, could leave the
  // optimized code there on every call for good (measured: ~100 exits a block, each verdict then
  // built in the baseline tier, some runs and not others).
  const gross = sell.amountOut - buy.amountIn
  const judged: Judged = { pair, size, buy, sell, buySlippage, sellSlippage, gross, code: null, opportunity: null, pricing, priced: undefined }
  const priced = pricedOf(judged)
  judged.code = priced.gasCost === null || priced.net === null ? 'PREFLIGHT_VALIDATION_FAILED' : priced.net < priced.threshold ? 'PNL_BELOW_THRESHOLD' : null
  if (judged.code === null) {
    const gasUnits = gasUnitsOf(judged)
    const gasCostWei = gasUnits * pricing.gasPriceWei!
    const cell = cellText(pair, venues, at)
    judged.opportunity = {
      id: cell.id,
      pair: pair.name,
      base: pair.base.symbol,
      quote: pair.quote.symbol,
      size: cell.size,
      buy: { ...leg(buy), amount_in: amountText(buy) },
      sell: { ...leg(sell), amount_out: amountText(sell) },
      gross_profit: gross.toString(),
      gas_units: gasUnits.toString(),
      gas_cost_wei: gasCostWei.toString(),
      gas_cost: priced.gasCost!.toString(),
      gas_cost_usd: pricing.usd && usdAt(priced.gasCost!, pricing.usd),
      net_profit: priced.net!.toString(),
      net_profit_usd: priced.netUsd,
      spread_bps: priced.spreadBps,
      gas_source: 'model',
      simulation: null,
      confidence_label: priced.label,
      is_execution_ready: false,
      execution_blockers: [ctx.blocker],
    }
  }
  return judged
}

/** A verdict's exact gross (quote-token units): what the sell returns less what the buy costs. */
export function grossOf(j: Judged): bigint {
  return (j.gross ??= j.sell.amountOut - j.buy.amountIn)
}

/** A candidate's gas: each leg's own estimate where the venue gives one (QuoterV2, Algebra), else the configured V2 figure, plus the overhead. */
function gasUnitsOf(j: Judged): bigint {
  const { v2SwapUnits, overheadUnits } = j.pricing
  return (j.buy.gasEstimate ?? v2SwapUnits) + (j.sell.gasEstimate ?? v2SwapUnits) + overheadUnits
}

/** A verdict's costs, priced once from the figures it was judged with. */
export function pricedOf(j: Judged): Priced {
  if (j.priced) return j.priced
  const { pricing } = j
  const gross = grossOf(j)
  const cost = j.buy.amountIn
  const gasCost = pricing.gasPriceWei === null || !pricing.gasRate ? null : costIn(gasUnitsOf(j) * pricing.gasPriceWei, pricing.gasRate)
  const net = gasCost === null ? null : gross - gasCost
  const threshold = floorOf(j.pair, cost, pricing.minNetProfitCentiBps)
  const slippage = Math.max(j.buySlippage ?? 0, j.sellSlippage ?? 0)
  const profitableNet = net !== null && net >= threshold && gross > 0n
  return (j.priced = {
    gasCost,
    net,
    threshold,
    profitableNet,
    spreadBps: (Number(gross * 1_000_000n / cost) / 1_000_000) * 10_000,
    netUsd: net === null || !pricing.usd ? null : usdAt(net, pricing.usd),
    netUsdMicro: net === null || !pricing.usd ? null : usdMicroAt(net, pricing.usd),
    label: !profitableNet ? 'low' : net >= 2n * threshold && slippage < pricing.maxSlippageBps / 2 ? 'high' : 'medium',
  })
}

function isProfitableNet(j: Judged): boolean {
  return pricedOf(j).profitableNet
}

/** `pair|buy venue>sell venue|size`: a spread's and its opportunity's id. */
function spreadKey(j: Pick<Judged, 'pair' | 'buy' | 'sell' | 'size'>): string {
  return spreadId(j.pair.name, j.buy.request.venue.key, j.sell.request.venue.key, j.size)
}

/** A route as an id, `pair|buy venue>sell venue`: cooldowns, quarantines, episodes and alerts follow a route whatever its size. */
export function routeId(pair: string, buyVenue: string, sellVenue: string): string {
  return `${pair}|${buyVenue}>${sellVenue}`
}

/** An opportunity's route id (`routeId`). */
export function opportunityRoute(o: { pair: string; buy: { venue: string }; sell: { venue: string } }): string {
  return routeId(o.pair, o.buy.venue, o.sell.venue)
}

/** A route at a size as an id, `pair|buy venue>sell venue|size`: a spread's, its opportunity's, an optimal size's. */
export function spreadId(pair: string, buyVenue: string, sellVenue: string, size: string | bigint): string {
  return `${routeId(pair, buyVenue, sellVenue)}|${size}`
}

/** A verdict's spread, one object per verdict: a kept verdict keeps its spread (and what artifacts made from it). */
const spreads = new WeakMap<Judged, Spread>()
export function spreadOf(j: Judged): Spread {
  let spread = spreads.get(j)
  if (!spread) {
    const { gasCost, net, netUsdMicro } = pricedOf(j)
    spreads.set(j, spread = { id: j.opportunity?.id ?? spreadKey(j), pair: j.pair, size: j.size, buy: j.buy, sell: j.sell, gross: grossOf(j), gasCost, net, code: j.code, netUsdMicro })
  }
  return spread
}

/** A verdict's signal, made once (a kept verdict among the first signals is not formatted again every block). */
const signals = new WeakMap<Judged, SpreadSignal>()
export function signalOf(j: Judged): SpreadSignal {
  let signal = signals.get(j)
  if (!signal) signals.set(j, signal = makeSignal(j))
  return signal
}

function makeSignal(j: Judged): SpreadSignal {
  const { pair, buy, sell } = j
  const priced = pricedOf(j)
  return {
    pair: pair.name,
    size: j.size.toString(),
    buy_dex: buy.request.venue.key,
    sell_dex: sell.request.venue.key,
    buy_price: formatPrice(buy.amountIn, buy.amountOut, pair.base.decimals, pair.quote.decimals),
    sell_price: formatPrice(sell.amountOut, sell.amountIn, pair.base.decimals, pair.quote.decimals),
    spread_bps: priced.spreadBps,
    is_profitable: true,
    is_profitable_net: isProfitableNet(j),
    estimated_profit_usd: priced.netUsd,
    confidence: priced.label,
    buy_pool_address: buy.request.pool,
    sell_pool_address: sell.request.pool,
    buy_fee: buy.request.fee,
    sell_fee: sell.request.fee,
  }
}

function rejectMessage(j: Judged): string {
  const { spreadBps, net, threshold, gasCost } = pricedOf(j)
  if (j.code === 'PNL_NEGATIVE') return `sell returns ${j.sell.amountOut}, buy costs ${j.buy.amountIn} (${spreadBps.toFixed(1)} bps)`
  if (j.code === 'PREFLIGHT_VALIDATION_FAILED') return `no gas price or no WETH→${j.pair.quote.symbol} rate at this block`
  return `net ${net} < threshold ${threshold} ${j.pair.quote.symbol} units (gross ${grossOf(j)}, gas ${gasCost})`
}

function leg(quote: QuoteOk) {
  const { venue, pool, id, fee } = quote.request
  return { venue: venue.key, dex: venue.dex, pool, fee, quote_id: id }
}

/** A cell's id (`spreadKey` of its verdicts) and size as text: the same at every block, made once per pair and venue list. */
type CellText = { id: string; size: string }
const cellTexts = new WeakMap<Pair, { venues: string[]; cells: CellText[] }>()
function cellText(pair: Pair, venues: string[], at: number): CellText {
  let known = cellTexts.get(pair)
  if (known?.venues !== venues) cellTexts.set(pair, known = { venues, cells: [] })
  let cell = known.cells[at]
  if (!cell) {
    const n = venues.length
    const size = pair.sizes[Math.floor(at / (n * n))]!.toString()
    cell = known.cells[at] = { id: spreadId(pair.name, venues[Math.floor(at / n) % n]!, venues[at % n]!, size), size }
  }
  return cell
}

/** What a leg's quote was asked for the amount of as text — the buy's input, the sell's output — made once per quote (a leg's quote is in many cells). */
const amountTexts = new WeakMap<QuoteOk, string>()
function amountText(quote: QuoteOk): string {
  let text = amountTexts.get(quote)
  if (text === undefined) amountTexts.set(quote, text = (quote.request.side === 'buy' ? quote.amountIn : quote.amountOut).toString())
  return text
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
  return floorOf(pair, cost, unitsOf(config).minNetProfitCentiBps)
}

function floorOf(pair: Pair, cost: bigint, minNetProfitCentiBps: bigint): bigint {
  const bps = (cost * minNetProfitCentiBps) / 1_000_000n
  return pair.minNetProfit > bps ? pair.minNetProfit : bps
}
