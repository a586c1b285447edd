import type { Config } from '../config/resolve.ts'
import type { OptimalSize, Opportunity, Quote, Reject, Stats } from '../contract/parts.ts'
import type { SpreadSignal } from '../contract/truthReport.ts'
import { evaluateCandidates } from './candidates.ts'
import { gateQuotes } from './quoteGates.ts'
import { makeReject } from './reject.ts'
import type { CycleInput } from './types.ts'
import { Valuation } from './valuation.ts'

export type CycleResult = {
  quotes: Quote[]
  rejects: Reject[]
  opportunities: Opportunity[]
  signals: SpreadSignal[]
  optimal: OptimalSize[]
  stats: Stats
  dexesActive: number
  sanityPassed: number
  sanityFailed: number
  costModelAvailable: boolean
}

/** The pure verdict of one cycle: same input, same output. */
export function evaluateCycle(input: CycleInput, config: Config): CycleResult {
  if (input.block <= 0) {
    const reject = makeReject('INFRA_BLOCK_PIN_FAILED', 'block', input.pinError ?? 'no block could be pinned')
    return {
      quotes: [], rejects: [reject], opportunities: [], signals: [], optimal: [],
      stats: stats({ rejects: 1, dropped: input.dropped.length }),
      dexesActive: 0, sanityPassed: 0, sanityFailed: 0, costModelAvailable: false,
    }
  }
  const gated = gateQuotes(input.quotes, config, input.block)
  const valuation = new Valuation(config, gated.passed)
  const candidates = evaluateCandidates({
    config,
    passed: gated.passed,
    slippageBps: gated.slippageBps,
    gasPriceWei: input.gasPriceWei,
    valuation,
  })
  // A pool we failed to read is an infra failure to observe, not a fact about the market.
  const registryRejects = input.dropped
    .filter((drop) => drop.code === 'INFRA_RPC_ERROR')
    .map((drop) => makeReject('INFRA_RPC_ERROR', 'registry', drop.reason, { pair: drop.pair, venue: drop.fee === null ? drop.dex : `${drop.dex}:${drop.fee}` }))
  const rejects = [...registryRejects, ...gated.rejects, ...candidates.rejects]
  const dexes = new Set(input.quotes.filter((q) => q.ok && q.amountOut > 0n).map((q) => q.request.venue.dex))
  return {
    quotes: gated.records,
    rejects,
    opportunities: candidates.opportunities,
    signals: candidates.signals,
    optimal: valueSizings(input, config, valuation, insaneVenues(gated.rejects)),
    stats: stats({
      pools: input.pools.length,
      dropped: input.dropped.length,
      quotesTotal: input.quotes.length,
      fetched: gated.fetched,
      quotesRejected: gated.rejects.length,
      candidates: candidates.total,
      candidatesRejected: candidates.rejects.length,
      opportunities: candidates.opportunities.length,
      rejects: rejects.length,
    }),
    dexesActive: dexes.size,
    sanityPassed: gated.sanityPassed,
    sanityFailed: gated.sanityFailed,
    costModelAvailable: candidates.costModelAvailable && input.gasPriceWei !== null,
  }
}

/** `pair|venue` keys whose price failed the sanity gate (or had no anchor) this cycle. */
function insaneVenues(rejects: Reject[]): Set<string> {
  return new Set(rejects.filter((r) => r.code === 'PRICE_SANITY_FAILED' || r.code === 'PRICE_ANCHOR_MISSING').map((r) => `${r.pair}|${r.venue}`))
}

/**
 * Optimal sizes with gas and net profit priced like the grid's candidates, best first.
 * Routes through a venue that failed price sanity are left out: no size makes them true.
 */
function valueSizings(input: CycleInput, config: Config, valuation: Valuation, insane: Set<string>): OptimalSize[] {
  return input.sizings.filter((s) => !insane.has(`${s.pair}|${s.buyVenue}`) && !insane.has(`${s.pair}|${s.sellVenue}`)).map((sizing) => {
    const pair = config.pairs.find((p) => p.name === sizing.pair)!
    const gross = sizing.sellOut - sizing.buyIn
    const gasCost = input.gasPriceWei === null ? null : valuation.gasCost(sizing.gasUnits * input.gasPriceWei, pair.quote)
    const net = gasCost === null ? null : gross - gasCost
    return {
      pair: sizing.pair, buy_venue: sizing.buyVenue, sell_venue: sizing.sellVenue, size: sizing.size.toString(),
      amount_in: sizing.buyIn.toString(), amount_out: sizing.sellOut.toString(), gross_profit: gross.toString(),
      gas_cost: gasCost === null ? null : gasCost.toString(), net_profit: net === null ? null : net.toString(),
      net_profit_usd: net === null ? null : valuation.usd(net, pair.quote), evaluations: sizing.evaluations,
    }
  }).sort((a, b) => (b.net_profit_usd ?? -Infinity) - (a.net_profit_usd ?? -Infinity))
}

function stats(n: Partial<Record<'pools' | 'dropped' | 'quotesTotal' | 'fetched' | 'quotesRejected' | 'candidates' | 'candidatesRejected' | 'opportunities' | 'rejects', number>>): Stats {
  return {
    pools_registered: n.pools ?? 0,
    pools_dropped: n.dropped ?? 0,
    quotes_total: n.quotesTotal ?? 0,
    quotes_fetched: n.fetched ?? 0,
    quotes_rejected: n.quotesRejected ?? 0,
    candidates_total: n.candidates ?? 0,
    candidates_rejected: n.candidatesRejected ?? 0,
    gates_passed: n.opportunities ?? 0,
    opportunities: n.opportunities ?? 0,
    rejects_total: n.rejects ?? 0,
    // Execution is disabled: nothing is ever execution-ready.
    execution_ready_count: 0,
  }
}
