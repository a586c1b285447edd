import type { Config, Pair } from '../config/resolve.ts'
import type { Quote, Reject } from '../contract/parts.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import { priceDiffBps } from '../math/ratio.ts'
import { makeReject } from './reject.ts'
import { RejectTally, verdictMarks } from './tally.ts'
import type { QuoteOk, QuoteResult } from './types.ts'

/** A venue's passed quotes at one size, by side, with their slippage vs the venue's smallest size (bps). */
export type PassedLegs = { sell?: QuoteOk; buy?: QuoteOk; sellSlippage?: number; buySlippage?: number }

/** One quote's verdict in figures: the gate it failed (null: passed all) and the number that failed it. */
export type GateItem = { quote: QuoteResult; code: RejectCode | null; deviationBps: number | null; slippageBps: number | null }

/**
 * One pair's gate verdicts, in the order of its quotes (every figure a verdict reads is the
 * pair's own), with what the candidates and the counts need; its rejects are built on demand.
 */
export class PairGates {
  /**
   * The quotes that passed every gate by venue, then size (the pair's sizes' order), and side,
   * with their slippage vs their venue's smallest size (bps): the candidates' legs.
   */
  readonly legs = new Map<string, PassedLegs[]>()
  /** Quotes that passed every gate. */
  passed = 0
  readonly tally = new RejectTally()
  /** Venue keys whose price failed sanity or had no anchor: no size makes their routes true. */
  readonly insane = new Set<string>()
  /** DEX names with a quote that returned something, and with one that passed every gate. */
  readonly dexes = new Set<string>()
  readonly passedDexes = new Set<string>()
  /** Quotes counted by quoter and status. */
  readonly statuses = new Map<string, { ok: number; rejected: number }>()
  fetched = 0
  sanityPassed = 0
  sanityFailed = 0
  private readonly made = new Map<GateItem, Reject>()
  private marks: string | null = null

  /** `anchor`: the anchor venue's smallest-size quote the prices were held against (undefined: none passed). */
  constructor(readonly pair: Pair, readonly items: GateItem[], readonly config: Config, readonly anchor?: QuoteOk) {
    // Items come by venue, then side and size: a venue's legs and a quoter's counts are found once per run of them.
    let venue: string | null = null
    let bySize: PassedLegs[] = []
    let quoter: string | null = null
    let counts = { ok: 0, rejected: 0 }
    for (const item of items) {
      const { quote } = item
      if (quote.ok && quote.amountIn > 0n && quote.amountOut > 0n) this.fetched++
      if (quote.ok && quote.amountOut > 0n) this.dexes.add(quote.request.venue.dex)
      if (item.code) this.tally.add('quote', item.code)
      if (item.code === 'PRICE_SANITY_FAILED' || item.code === 'PRICE_ANCHOR_MISSING') this.insane.add(quote.request.venue.key)
      if (item.code === 'PRICE_SANITY_FAILED') this.sanityFailed++
      else if (quote.ok && item.code !== 'QUOTE_ZERO_OUTPUT' && item.code !== 'PRICE_ANCHOR_MISSING') this.sanityPassed++
      if (!item.code && quote.ok) {
        const { request } = quote
        this.passed++
        this.passedDexes.add(request.venue.dex)
        if (request.venue.key !== venue) {
          venue = request.venue.key
          bySize = this.legs.get(venue) ?? []
          this.legs.set(venue, bySize)
        }
        const at = pair.sizes.indexOf(request.size)
        const legs = (bySize[at] ??= {})
        const slippage = item.slippageBps ?? undefined
        if (request.side === 'sell') {
          legs.sell = quote
          legs.sellSlippage = slippage
        } else {
          legs.buy = quote
          legs.buySlippage = slippage
        }
      }
      if (quote.quoter !== quoter) {
        quoter = quote.quoter
        counts = this.statuses.get(quoter) ?? { ok: 0, rejected: 0 }
        this.statuses.set(quoter, counts)
      }
      counts[item.code ? 'rejected' : 'ok']++
    }
  }

  /** Every quote's verdict, one character each in the pair's order: equal marks, equal verdicts. */
  get verdicts(): string {
    return (this.marks ??= verdictMarks(this.items.map((item) => item.code)))
  }

  /** A failed item's reject, made once (a pair's verdicts outlive the cycles that keep them). */
  reject(item: GateItem): Reject {
    let reject = this.made.get(item)
    if (!reject) {
      const { request } = item.quote
      this.made.set(item, reject = makeReject(item.code!, 'quote', this.reason(item)!, { pair: this.pair.name, venue: request.venue.key, size: request.size.toString(), quote_id: request.id }))
    }
    return reject
  }

  /** The quote as the snapshot records it at `block`. */
  record(item: GateItem, block: number): Quote {
    const { quote } = item
    const r = quote.request
    return {
      id: r.id,
      pair: r.pair.name,
      venue: r.venue.key,
      pool: r.pool,
      side: r.side,
      kind: r.side === 'sell' ? 'exact_input' : 'exact_output',
      size: r.size.toString(),
      amount_in: quote.ok ? quote.amountIn.toString() : null,
      amount_out: quote.ok ? quote.amountOut.toString() : null,
      gas_estimate: quote.ok && quote.gasEstimate !== null ? quote.gasEstimate.toString() : null,
      ticks_crossed: quote.ok ? quote.ticksCrossed : null,
      block,
      quoter: quote.quoter,
      status: item.code ? 'rejected' : 'ok',
      reject_code: item.code,
      reason: this.reason(item),
    }
  }

  private reason(item: GateItem): string | null {
    const { gates } = this.config
    if (!item.quote.ok) return item.quote.reason
    switch (item.code) {
      case null: return null
      case 'QUOTE_ZERO_OUTPUT': return 'quote returned 0'
      case 'PRICE_ANCHOR_MISSING': return `anchor ${this.pair.anchor} has no quote at the smallest size`
      case 'PRICE_SANITY_FAILED': return `venue price deviates ${item.deviationBps!.toFixed(1)} bps from anchor ${this.pair.anchor} (max ${gates.max_price_deviation_bps})`
      case 'SLIPPAGE_TOO_HIGH': return `price at this size is ${item.slippageBps!.toFixed(1)} bps worse than at the smallest size (max ${gates.max_slippage_bps})`
      default: return null
    }
  }
}

export type QuoteGateResult = {
  /** Each pair's verdicts, in the order the quotes name the pairs: the same object as last cycle's when the pair was not judged again. */
  pairGates: Map<string, PairGates>
  fetched: number
  passed: number
  sanityPassed: number
  sanityFailed: number
  tally: RejectTally
  /** Quotes counted by quoter and status. */
  statuses: Map<string, { ok: number; rejected: number }>
  dexes: { active: Set<string>; passed: Set<string> }
  /** A pair's anchor quote at its smallest size, selling, if it passed every gate (what the valuation reads). */
  anchorQuote(pair: Pair): QuoteOk | undefined
  /** The snapshot's quote records and the quote rejects, in the order of the quotes given (built when asked for). */
  records(): Quote[]
  rejects(): Reject[]
}

/**
 * Each pair's verdicts kept between cycles with its quote objects: a synced run hands back the
 * same objects for pools a block did not touch, and a pair whose quotes are all the same
 * objects is not judged again.
 */
export type GateMemo = Map<string, { quotes: QuoteResult[]; gates: PairGates }>

/**
 * Quote-level gates, in order: the fetch itself (revert / infra / liquidity), zero
 * output, price sanity against the pair's anchor venue, slippage against the same
 * venue's smallest size. A quote failing one gate is one reject.
 */
export function gateQuotes(quotes: QuoteResult[], config: Config, block: number, memo?: GateMemo): QuoteGateResult {
  const groups = pairRuns(quotes)
  const pairGates = new Map<string, PairGates>()
  const out = { fetched: 0, passed: 0, sanityPassed: 0, sanityFailed: 0, tally: new RejectTally(), statuses: new Map<string, { ok: number; rejected: number }>(), dexes: { active: new Set<string>(), passed: new Set<string>() } }
  for (const { pair, quotes: source, from, to } of groups) {
    let known = memo?.get(pair.name)
    if (!known || !sameRun(known.quotes, source, from, to)) {
      const group = source.slice(from, to)
      known = { quotes: group, gates: gatePair(group, pair, config, known?.gates) }
      memo?.set(pair.name, known)
    }
    const gates = known.gates
    pairGates.set(pair.name, gates)
    out.fetched += gates.fetched
    out.passed += gates.passed
    out.sanityPassed += gates.sanityPassed
    out.sanityFailed += gates.sanityFailed
    out.tally.merge(gates.tally)
    for (const [quoter, n] of gates.statuses) {
      const sum = out.statuses.get(quoter) ?? { ok: 0, rejected: 0 }
      out.statuses.set(quoter, { ok: sum.ok + n.ok, rejected: sum.rejected + n.rejected })
    }
    for (const dex of gates.dexes) out.dexes.active.add(dex)
    for (const dex of gates.passedDexes) out.dexes.passed.add(dex)
  }
  // In the order of the quotes given: each pair's items are in its quotes' order.
  const inOrder = <T>(each: (gates: PairGates, item: GateItem) => T | null): T[] => {
    const next = new Map<PairGates, number>()
    const all: T[] = []
    for (const quote of quotes) {
      const gates = pairGates.get(quote.request.pair.name)!
      const i = next.get(gates) ?? 0
      next.set(gates, i + 1)
      const value = each(gates, gates.items[i]!)
      if (value !== null) all.push(value)
    }
    return all
  }
  let records: Quote[] | null = null
  let rejects: Reject[] | null = null
  return {
    ...out,
    pairGates,
    anchorQuote: (pair) => pairGates.get(pair.name)?.legs.get(pair.anchor)?.[0]?.sell,
    records: () => (records ??= inOrder((gates, item) => gates.record(item, block))),
    rejects: () => (rejects ??= inOrder((gates, item) => (item.code ? gates.reject(item) : null))),
  }
}

/**
 * Each pair's quotes as a run of an array: quotes come grouped by pair (the configured order),
 * so the runs are slices of the quotes given (nothing copied for a pair a block did not touch);
 * a pair whose quotes come in several runs is gathered into one, in order.
 */
function pairRuns(quotes: QuoteResult[]): { pair: Pair; quotes: QuoteResult[]; from: number; to: number }[] {
  const runs: { pair: Pair; quotes: QuoteResult[]; from: number; to: number }[] = []
  const seen = new Set<Pair>()
  for (let i = 0; i < quotes.length; i++) {
    const pair = quotes[i]!.request.pair
    const last = runs[runs.length - 1]
    if (last?.pair === pair) last.to = i + 1
    else if (seen.has(pair)) return gathered(quotes)
    else {
      seen.add(pair)
      runs.push({ pair, quotes, from: i, to: i + 1 })
    }
  }
  return runs
}

function gathered(quotes: QuoteResult[]): { pair: Pair; quotes: QuoteResult[]; from: number; to: number }[] {
  const groups = new Map<Pair, QuoteResult[]>()
  for (const quote of quotes) {
    const group = groups.get(quote.request.pair)
    if (group) group.push(quote)
    else groups.set(quote.request.pair, [quote])
  }
  return [...groups].map(([pair, group]) => ({ pair, quotes: group, from: 0, to: group.length }))
}

/** `known` holds the very quote objects of `source[from, to)`. */
function sameRun(known: QuoteResult[], source: QuoteResult[], from: number, to: number): boolean {
  if (known.length !== to - from) return false
  for (let i = from; i < to; i++) if (known[i - from] !== source[i]) return false
  return true
}

/**
 * One pair's gate verdicts. A quote's verdict reads the quote, its venue's smallest-size quotes
 * and the anchor's: with `previous` judged against the same anchor quote, a venue whose quotes
 * are all the same objects at the same places keeps its verdicts (its pool did not change).
 */
function gatePair(quotes: QuoteResult[], pair: Pair, config: Config, previous?: PairGates): PairGates {
  const smallest = pair.sizes[0]!
  // Each venue's fetched quotes at the smallest size, by side (no id is built per quote).
  const smallestOf = new Map<string, { sell?: QuoteOk; buy?: QuoteOk }>()
  for (const q of quotes) {
    if (!q.ok || q.amountIn <= 0n || q.amountOut <= 0n || q.request.size !== smallest) continue
    const venue = smallestOf.get(q.request.venue.key) ?? {}
    venue[q.request.side] = q
    smallestOf.set(q.request.venue.key, venue)
  }
  // The venue's price used for sanity: its smallest-size sell quote, else its smallest-size buy quote.
  const venueReference = (venueKey: string): QuoteOk | undefined => {
    const venue = smallestOf.get(venueKey)
    return venue?.sell ?? venue?.buy
  }
  const anchor = venueReference(pair.anchor)
  // A venue's deviation from the anchor is the same for each of its quotes: found once.
  const deviations = new Map<string, number | null>()
  const deviationOf = (venueKey: string): number | null => {
    if (!deviations.has(venueKey)) {
      const reference = venueReference(venueKey)
      const [here, there] = reference && anchor ? [price(reference), price(anchor)] : [null, null]
      deviations.set(venueKey, here && there ? Math.abs(priceDiffBps(here.num, here.den, there.num, there.den)) : null)
    }
    return deviations.get(venueKey)!
  }
  const kept = previous && previous.anchor === anchor && previous.config === config && previous.items.length === quotes.length ? previous.items : null
  // A venue keeps its verdicts only when every one of its quotes is the same object at the same place.
  const changed = new Set<string>()
  if (kept) for (let i = 0; i < quotes.length; i++) if (kept[i]!.quote !== quotes[i]) changed.add(quotes[i]!.request.venue.key)
  return new PairGates(pair, quotes.map((quote, i) => (kept && !changed.has(quote.request.venue.key) ? kept[i]! : judge(quote))), config, anchor)

  /** The first gate a quote fails, or its slippage (bps, vs its venue's smallest size) when it passes them all. */
  function judge(quote: QuoteResult): GateItem {
    const fail = (code: RejectCode, deviationBps: number | null = null): GateItem => ({ quote, code, deviationBps, slippageBps: null })
    if (!quote.ok) return fail(quote.code)
    if (quote.amountOut === 0n || quote.amountIn === 0n) return fail('QUOTE_ZERO_OUTPUT')
    if (!anchor) return fail('PRICE_ANCHOR_MISSING')
    const deviation = deviationOf(quote.request.venue.key)
    if (deviation !== null && deviation > config.gates.max_price_deviation_bps) return fail('PRICE_SANITY_FAILED', deviation)
    const sameSide = smallestOf.get(quote.request.venue.key)?.[quote.request.side]
    if (!sameSide || sameSide === quote) return { quote, code: null, deviationBps: null, slippageBps: 0 }
    const here = price(quote)
    const base = price(sameSide)
    // Selling: a lower price is worse. Buying: a higher price is worse.
    const diff = priceDiffBps(here.num, here.den, base.num, base.den)
    const slippage = quote.request.side === 'sell' ? -diff : diff
    if (slippage > config.gates.max_slippage_bps) return { quote, code: 'SLIPPAGE_TOO_HIGH', deviationBps: null, slippageBps: slippage }
    return { quote, code: null, deviationBps: null, slippageBps: Math.max(0, slippage) }
  }
}

/** Quote-token amount per base-token amount, as a fraction. */
function price(quote: QuoteOk): { num: bigint; den: bigint } {
  return quote.request.side === 'sell'
    ? { num: quote.amountOut, den: quote.amountIn }
    : { num: quote.amountIn, den: quote.amountOut }
}
