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
 * One venue's run of a pair's quotes, judged: the items, the passed legs by size and the counts.
 * A pair's verdicts are made of these; a run whose quotes are the same objects, judged against
 * the same anchor quote, is kept as it is (its pool did not change).
 */
export class VenueGates {
  /** The passed quotes by size (the pair's sizes' order), and side, with their slippage vs the venue's smallest size (bps). */
  readonly legs: PassedLegs[] = []
  passed = 0
  fetched = 0
  sanityPassed = 0
  sanityFailed = 0
  readonly tally = new RejectTally()
  /** Its price failed sanity or had no anchor: no size makes its routes true. */
  insane = false
  /** A quote returned something; one passed every gate. */
  active = false
  passedAny = false
  /** Quotes counted by quoter and status. */
  readonly statuses = new Map<string, { ok: number; rejected: number }>()

  constructor(readonly venue: string, readonly items: GateItem[], pair: Pair) {
    let quoter: string | null = null
    let counts = { ok: 0, rejected: 0 }
    for (const item of items) {
      const { quote } = item
      if (quote.ok && quote.amountIn > 0n && quote.amountOut > 0n) this.fetched++
      if (quote.ok && quote.amountOut > 0n) this.active = true
      if (item.code) this.tally.add('quote', item.code)
      if (item.code === 'PRICE_SANITY_FAILED' || item.code === 'PRICE_ANCHOR_MISSING') this.insane = true
      if (item.code === 'PRICE_SANITY_FAILED') this.sanityFailed++
      else if (quote.ok && item.code !== 'QUOTE_ZERO_OUTPUT' && item.code !== 'PRICE_ANCHOR_MISSING') this.sanityPassed++
      if (!item.code && quote.ok) {
        const { request } = quote
        this.passed++
        this.passedAny = true
        const legs = (this.legs[sizeIndex(pair, request.size)] ??= {})
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

  /** Its items' quotes are the very objects of `quotes[from, to)`. */
  holds(quotes: QuoteResult[], from: number, to: number): boolean {
    if (this.items.length !== to - from) return false
    for (let i = from; i < to; i++) if (this.items[i - from]!.quote !== quotes[i]) return false
    return true
  }
}

/** A size's place among the pair's sizes (a few; compared by value). */
function sizeIndex(pair: Pair, size: bigint): number {
  const sizes = pair.sizes
  for (let i = 0; i < sizes.length; i++) if (sizes[i] === size) return i
  return -1
}

/**
 * One pair's gate verdicts, in the order of its quotes (every figure a verdict reads is the
 * pair's own): its venues' runs, with what the candidates and the counts need summed over them;
 * its rejects are built on demand.
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
  /** Each venue's run, when every venue's quotes come in one run (what a later cycle keeps from). */
  readonly byVenue: Map<string, VenueGates> | null
  private list: GateItem[] | null = null
  private marks: string | null = null

  /** `anchor`: the anchor venue's smallest-size quote the prices were held against (undefined: none passed). */
  constructor(readonly pair: Pair, readonly parts: VenueGates[], readonly config: Config, readonly anchor?: QuoteOk) {
    const byVenue = new Map<string, VenueGates>()
    for (const part of parts) {
      const dex = part.items[0]?.quote.request.venue.dex
      this.fetched += part.fetched
      this.passed += part.passed
      this.sanityPassed += part.sanityPassed
      this.sanityFailed += part.sanityFailed
      this.tally.merge(part.tally)
      if (part.insane) this.insane.add(part.venue)
      if (part.active && dex) this.dexes.add(dex)
      if (part.passedAny && dex) this.passedDexes.add(dex)
      for (const [quoter, n] of part.statuses) {
        const sum = this.statuses.get(quoter)
        if (sum) {
          sum.ok += n.ok
          sum.rejected += n.rejected
        } else this.statuses.set(quoter, { ...n })
      }
      const earlier = this.legs.get(part.venue)
      // A venue in two runs (quotes out of order): its legs overlaid in order, as one run would set them.
      if (earlier) this.legs.set(part.venue, overlay(earlier, part.legs))
      else if (part.legs.length) this.legs.set(part.venue, part.legs)
      byVenue.set(part.venue, part)
    }
    this.byVenue = byVenue.size === parts.length ? byVenue : null
  }

  /** Every quote's verdict, in the pair's order. */
  get items(): GateItem[] {
    return (this.list ??= this.parts.length === 1 ? this.parts[0]!.items : this.parts.flatMap((part) => part.items))
  }

  /** Every quote's verdict, one character each in the pair's order: equal marks, equal verdicts. */
  get verdicts(): string {
    return (this.marks ??= verdictMarks(this.items.map((item) => item.code)))
  }

  /** A failed item's reject, made once (a venue's verdicts outlive the cycles that keep them). */
  reject(item: GateItem): Reject {
    let reject = made.get(item)
    if (!reject) {
      const { request } = item.quote
      made.set(item, reject = makeReject(item.code!, 'quote', this.reason(item)!, { pair: this.pair.name, venue: request.venue.key, size: request.size.toString(), quote_id: request.id }))
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

/** Each failed item's reject (an item is the pair's and venue's alone). */
const made = new WeakMap<GateItem, Reject>()

/** `later`'s legs over `earlier`'s, size by size and side by side. */
function overlay(earlier: PassedLegs[], later: PassedLegs[]): PassedLegs[] {
  const out = earlier.map((legs) => (legs ? { ...legs } : legs))
  later.forEach((legs, at) => {
    if (!legs) return
    const into = (out[at] ??= {})
    if (legs.sell) {
      into.sell = legs.sell
      into.sellSlippage = legs.sellSlippage
    }
    if (legs.buy) {
      into.buy = legs.buy
      into.buySlippage = legs.buySlippage
    }
  })
  return out
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
 * are all the same objects keeps its verdicts (its pool did not change) — only the venues a
 * block touched are judged again.
 */
function gatePair(quotes: QuoteResult[], pair: Pair, config: Config, previous?: PairGates): PairGates {
  // The quotes as runs of one venue each (a pool's quotes come together).
  const runs: { venue: string; from: number; to: number }[] = []
  for (let i = 0; i < quotes.length; i++) {
    const venue = quotes[i]!.request.venue.key
    const last = runs[runs.length - 1]
    if (last?.venue === venue) last.to = i + 1
    else runs.push({ venue, from: i, to: i + 1 })
  }
  const smallest = pair.sizes[0]!
  // Each venue's fetched quotes at the smallest size, by side, found when first asked (no id is built per quote).
  const smallestOf = new Map<string, { sell?: QuoteOk; buy?: QuoteOk }>()
  const referencesOf = (venueKey: string): { sell?: QuoteOk; buy?: QuoteOk } => {
    let venue = smallestOf.get(venueKey)
    if (!venue) {
      venue = {}
      for (const run of runs) {
        if (run.venue !== venueKey) continue
        for (let i = run.from; i < run.to; i++) {
          const q = quotes[i]!
          if (q.ok && q.amountIn > 0n && q.amountOut > 0n && q.request.size === smallest) venue[q.request.side] = q
        }
      }
      smallestOf.set(venueKey, venue)
    }
    return venue
  }
  // The venue's price used for sanity: its smallest-size sell quote, else its smallest-size buy quote.
  const venueReference = (venueKey: string): QuoteOk | undefined => {
    const venue = referencesOf(venueKey)
    return venue.sell ?? venue.buy
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
  // Kept only where every venue's quotes come in one run (its smallest-size references are then its run's own).
  const single = new Set(runs.map((run) => run.venue)).size === runs.length
  const kept = single && previous && previous.anchor === anchor && previous.config === config ? previous.byVenue : null
  const parts = runs.map(({ venue, from, to }) => {
    const part = kept?.get(venue)
    if (part && part.holds(quotes, from, to)) return part
    const items: GateItem[] = []
    for (let i = from; i < to; i++) items.push(judge(quotes[i]!))
    return new VenueGates(venue, items, pair)
  })
  return new PairGates(pair, parts, config, anchor)

  /** The first gate a quote fails, or its slippage (bps, vs its venue's smallest size) when it passes them all. */
  function judge(quote: QuoteResult): GateItem {
    const fail = (code: RejectCode, deviationBps: number | null = null): GateItem => ({ quote, code, deviationBps, slippageBps: null })
    if (!quote.ok) return fail(quote.code)
    if (quote.amountOut === 0n || quote.amountIn === 0n) return fail('QUOTE_ZERO_OUTPUT')
    if (!anchor) return fail('PRICE_ANCHOR_MISSING')
    const deviation = deviationOf(quote.request.venue.key)
    if (deviation !== null && deviation > config.gates.max_price_deviation_bps) return fail('PRICE_SANITY_FAILED', deviation)
    const sameSide = referencesOf(quote.request.venue.key)[quote.request.side]
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
