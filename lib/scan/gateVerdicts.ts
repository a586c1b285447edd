import type { Config, Pair } from '../config/resolve.ts'
import type { Quote, Reject } from '../contract/parts.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import { makeReject } from './reject.ts'
import { RejectTally, verdictMarks } from './tally.ts'
import type { QuoteOk, QuoteResult } from './types.ts'

/** A venue's passed quotes at one size, by side, with their slippage vs the venue's smallest size (bps). */
export type PassedLegs = { sell?: QuoteOk; buy?: QuoteOk; sellSlippage?: number; buySlippage?: number }

/**
 * A size's legs with all four fields in one order, whichever side passes first: one object shape
 * for the grid's loop (two shapes there left JavaScriptCore's optimized code exiting on every
 * pair it judged, a dozen times a block, never recompiled).
 */
function noLegs(): PassedLegs {
  return { sell: undefined, buy: undefined, sellSlippage: undefined, buySlippage: undefined }
}

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
  readonly statuses: StatusCounts = new Map()

  /** `items`: the verdicts of `quotes`, one each. */
  constructor(readonly venue: string, readonly quotes: QuoteResult[], readonly items: GateItem[], pair: Pair) {
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
        const legs = (this.legs[sizeIndex(pair, request.size)] ??= noLegs())
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
}

/** Quotes counted by quoter and status. */
export type StatusCounts = Map<string, { ok: number; rejected: number }>

/** Adds `from`'s counts into `into` (`into` owns its count objects: `from`'s are never shared). */
export function addStatuses(into: StatusCounts, from: StatusCounts): void {
  for (const [quoter, n] of from) {
    const sum = into.get(quoter)
    if (sum) {
      sum.ok += n.ok
      sum.rejected += n.rejected
    } else into.set(quoter, { ...n })
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
  readonly statuses: StatusCounts = new Map()
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
      addStatuses(this.statuses, part.statuses)
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
    const into = (out[at] ??= noLegs())
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
