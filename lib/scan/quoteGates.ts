import type { Config, Pair } from '../config/resolve.ts'
import type { Quote, Reject } from '../contract/parts.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import { priceDiffBps } from '../math/ratio.ts'
import { addStatuses, PairGates, VenueGates, type GateItem, type StatusCounts } from './gateVerdicts.ts'
import { groupsOf, runsOf, sameObjects, type RunsMemo } from '../runs.ts'
import { RejectTally } from './tally.ts'
import type { QuoteOk, QuoteResult } from './types.ts'

export type QuoteGateResult = {
  /** Each pair's verdicts, in the order the quotes name the pairs: the same object as last cycle's when the pair was not judged again. */
  pairGates: Map<string, PairGates>
  fetched: number
  passed: number
  sanityPassed: number
  sanityFailed: number
  tally: RejectTally
  /** Quotes counted by quoter and status. */
  statuses: StatusCounts
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
 * objects is not judged again. And each quote's pair, by the quote object (`keptRunsOf`).
 */
export type GateMemo = { pairs: Map<string, { quotes: QuoteResult[]; gates: PairGates }>; runs: RunsMemo<QuoteResult, Pair> }

export function gateMemo(): GateMemo {
  return { pairs: new Map(), runs: {} }
}

/**
 * Quote-level gates, in order: the fetch itself (revert / infra / liquidity), zero
 * output, price sanity against the pair's anchor venue, slippage against the same
 * venue's smallest size. A quote failing one gate is one reject.
 */
export function gateQuotes(quotes: QuoteResult[], config: Config, block: number, memo?: GateMemo): QuoteGateResult {
  // Quotes come grouped by pair (the configured order): a pair's are a range of the quotes given
  // (nothing copied for a pair a block did not touch); in several runs, gathered into one, in order.
  const groups = groupsOf(quotes, (quote) => quote.request.pair, memo?.runs)
  const pairGates = new Map<string, PairGates>()
  const out = { fetched: 0, passed: 0, sanityPassed: 0, sanityFailed: 0, tally: new RejectTally(), statuses: new Map() as StatusCounts, dexes: { active: new Set<string>(), passed: new Set<string>() } }
  for (const { key: pair, items: source, from, to } of groups) {
    let known = memo?.pairs.get(pair.name)
    if (!known || !sameObjects(known.quotes, source, from, to)) {
      const group = source.slice(from, to)
      known = { quotes: group, gates: gatePair(group, pair, config, known?.gates) }
      memo?.pairs.set(pair.name, known)
    }
    const gates = known.gates
    pairGates.set(pair.name, gates)
    out.fetched += gates.fetched
    out.passed += gates.passed
    out.sanityPassed += gates.sanityPassed
    out.sanityFailed += gates.sanityFailed
    out.tally.merge(gates.tally)
    addStatuses(out.statuses, gates.statuses)
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
 * One pair's gate verdicts. A quote's verdict reads the quote, its venue's smallest-size quotes
 * and the anchor's: with `previous` judged against the same anchor quote, a venue whose quotes
 * are all the same objects keeps its verdicts (its pool did not change) — only the venues a
 * block touched are judged again.
 */
function gatePair(quotes: QuoteResult[], pair: Pair, config: Config, previous?: PairGates): PairGates {
  // The quotes as runs of one venue each (a pool's quotes come together).
  const runs = runsOf(quotes, (quote) => quote.request.venue.key)
  const smallest = pair.sizes[0]!
  // Each venue's fetched quotes at the smallest size, by side, found when first asked (no id is built per quote).
  const smallestOf = new Map<string, { sell?: QuoteOk; buy?: QuoteOk }>()
  const referencesOf = (venueKey: string): { sell?: QuoteOk; buy?: QuoteOk } => {
    let venue = smallestOf.get(venueKey)
    if (!venue) {
      venue = {}
      for (const run of runs) {
        if (run.key !== venueKey) continue
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
  const single = new Set(runs.map((run) => run.key)).size === runs.length
  const kept = single && previous && previous.anchor === anchor && previous.config === config ? previous.byVenue : null
  const parts = runs.map(({ key: venue, from, to }) => {
    const part = kept?.get(venue)
    if (part && sameObjects(part.quotes, quotes, from, to)) return part
    const mine = quotes.slice(from, to)
    return new VenueGates(venue, mine, mine.map(judge), pair)
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
