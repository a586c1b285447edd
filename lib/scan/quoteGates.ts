import type { Config, Pair } from '../config/resolve.ts'
import type { Quote, Reject } from '../contract/parts.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import { priceDiffBps } from '../math/ratio.ts'
import { makeReject } from './reject.ts'
import { quoteId, type QuoteOk, type QuoteResult } from './types.ts'

export type QuoteGateResult = {
  records: Quote[]
  rejects: Reject[]
  /** Quotes that passed every quote-level gate, by id. */
  passed: Map<string, QuoteOk>
  /** Slippage of each passed quote vs its venue's smallest size, bps. */
  slippageBps: Map<string, number>
  fetched: number
  sanityPassed: number
  sanityFailed: number
  /** Each pair's verdicts: the same object as last cycle's when the pair was not judged again. */
  pairGates: Map<string, PairGates>
}

/** One pair's gate verdicts, in the order of its quotes (every figure a verdict reads is the pair's own). */
export type PairGates = {
  items: { record: Quote; reject: Reject | null; passed: QuoteOk | null; slippageBps: number | null }[]
  fetched: number
  sanityPassed: number
  sanityFailed: number
}

/**
 * Each pair's verdicts kept between cycles with its quote objects: a synced run hands back the
 * same objects for pools a block did not touch, and a pair whose quotes are all the same
 * objects is not judged again (its records only take the new block number).
 */
export type GateMemo = Map<string, { quotes: QuoteResult[]; gates: PairGates }>

/**
 * Quote-level gates, in order: the fetch itself (revert / infra / liquidity), zero
 * output, price sanity against the pair's anchor venue, slippage against the same
 * venue's smallest size. A quote failing one gate is one reject.
 */
export function gateQuotes(quotes: QuoteResult[], config: Config, block: number, memo?: GateMemo): QuoteGateResult {
  const out: QuoteGateResult = {
    records: [], rejects: [], passed: new Map(), slippageBps: new Map(), fetched: 0, sanityPassed: 0, sanityFailed: 0, pairGates: new Map(),
  }
  const groups = new Map<Pair, QuoteResult[]>()
  for (const quote of quotes) {
    const group = groups.get(quote.request.pair)
    if (group) group.push(quote)
    else groups.set(quote.request.pair, [quote])
  }
  const verdicts = new Map<Pair, { gates: PairGates; next: number }>()
  for (const [pair, group] of groups) {
    let known = memo?.get(pair.name)
    if (!known || known.quotes.length !== group.length || known.quotes.some((q, i) => q !== group[i])) {
      known = { quotes: group, gates: gatePair(group, pair, config, block) }
      memo?.set(pair.name, known)
    }
    verdicts.set(pair, { gates: known.gates, next: 0 })
    out.pairGates.set(pair.name, known.gates)
    out.fetched += known.gates.fetched
    out.sanityPassed += known.gates.sanityPassed
    out.sanityFailed += known.gates.sanityFailed
  }
  // In the order of the quotes given.
  for (const quote of quotes) {
    const pair = verdicts.get(quote.request.pair)!
    const item = pair.gates.items[pair.next++]!
    out.records.push(item.record.block === block ? item.record : { ...item.record, block })
    if (item.reject) out.rejects.push(item.reject)
    if (item.passed) out.passed.set(item.passed.request.id, item.passed)
    if (item.slippageBps !== null) out.slippageBps.set(quote.request.id, item.slippageBps)
  }
  return out
}

function gatePair(quotes: QuoteResult[], pair: Pair, config: Config, block: number): PairGates {
  const out: PairGates = { items: [], fetched: 0, sanityPassed: 0, sanityFailed: 0 }
  const fetched = quotes.filter((q): q is QuoteOk => q.ok && q.amountIn > 0n && q.amountOut > 0n)
  out.fetched = fetched.length
  const byKey = new Map(fetched.map((q) => [q.request.id, q]))
  const smallest = pair.sizes[0]!
  const anchor = venueReference(pair.anchor)

  for (const quote of quotes) {
    const { request } = quote
    const { verdict, slippageBps } = judge(quote)
    out.items.push({
      record: toRecord(quote, block, verdict),
      reject: verdict && makeReject(verdict.code, 'quote', verdict.reason, {
        pair: request.pair.name, venue: request.venue.key, size: request.size.toString(), quote_id: request.id,
      }),
      passed: !verdict && quote.ok ? quote : null,
      slippageBps,
    })
  }
  return out

  /** The first gate a quote fails, or its slippage (bps, vs its venue's smallest size) when it passes them all. */
  function judge(quote: QuoteResult): { verdict: { code: RejectCode; reason: string } | null; slippageBps: number | null } {
    const fail = (code: RejectCode, reason: string) => ({ verdict: { code, reason }, slippageBps: null })
    if (!quote.ok) return fail(quote.code, quote.reason)
    if (quote.amountOut === 0n || quote.amountIn === 0n) return fail('QUOTE_ZERO_OUTPUT', 'quote returned 0')

    if (!anchor) return fail('PRICE_ANCHOR_MISSING', `anchor ${pair.anchor} has no quote at the smallest size`)
    const reference = venueReference(quote.request.venue.key)
    if (reference) {
      const [here, there] = [price(reference), price(anchor)]
      const deviation = Math.abs(priceDiffBps(here.num, here.den, there.num, there.den))
      if (deviation > config.gates.max_price_deviation_bps) {
        out.sanityFailed++
        return fail('PRICE_SANITY_FAILED', `venue price deviates ${deviation.toFixed(1)} bps from anchor ${pair.anchor} (max ${config.gates.max_price_deviation_bps})`)
      }
    }
    out.sanityPassed++

    const sameSide = byKey.get(quoteId(pair.name, quote.request.venue.key, quote.request.side, smallest))
    if (!sameSide || sameSide === quote) return { verdict: null, slippageBps: 0 }
    const here = price(quote)
    const base = price(sameSide)
    // Selling: a lower price is worse. Buying: a higher price is worse.
    const diff = priceDiffBps(here.num, here.den, base.num, base.den)
    const slippage = quote.request.side === 'sell' ? -diff : diff
    if (slippage > config.gates.max_slippage_bps) {
      return fail('SLIPPAGE_TOO_HIGH', `price at this size is ${slippage.toFixed(1)} bps worse than at the smallest size (max ${config.gates.max_slippage_bps})`)
    }
    return { verdict: null, slippageBps: Math.max(0, slippage) }
  }

  /** The venue's price used for sanity: its smallest-size sell quote, else its smallest-size buy quote. */
  function venueReference(venueKey: string): QuoteOk | undefined {
    return byKey.get(quoteId(pair.name, venueKey, 'sell', smallest)) ?? byKey.get(quoteId(pair.name, venueKey, 'buy', smallest))
  }
}

/** Quote-token amount per base-token amount, as a fraction. */
function price(quote: QuoteOk): { num: bigint; den: bigint } {
  return quote.request.side === 'sell'
    ? { num: quote.amountOut, den: quote.amountIn }
    : { num: quote.amountIn, den: quote.amountOut }
}

function toRecord(quote: QuoteResult, block: number, verdict: { code: RejectCode; reason: string } | null): Quote {
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
    status: verdict ? 'rejected' : 'ok',
    reject_code: verdict?.code ?? null,
    reason: verdict?.reason ?? null,
  }
}
