import type { Config } from '../config/resolve.ts'
import type { OptimalSize, OpportunityCore, Quote, Reject, Stats } from '../contract/parts.ts'
import type { ExecutionBlocker } from '../contract/primitives.ts'
import type { SimulationRecord } from '../contract/simulation.ts'
import type { SpreadSignal } from '../contract/truthReport.ts'
import { evaluateCandidates, pairFigures, type CandidateMemo, type Spread } from './candidates.ts'
import type { Sizing } from '../sizing/optimalSizes.ts'
import { gateQuotes, type GateMemo } from './quoteGates.ts'
import { makeReject } from './reject.ts'
import type { CycleInput } from './types.ts'
import { Valuation } from './valuation.ts'

export type CycleResult = {
  quotes: Quote[]
  rejects: Reject[]
  opportunities: OpportunityCore[]
  /** Every candidate route at every size, with its verdict. */
  spreads: Spread[]
  signals: SpreadSignal[]
  optimal: OptimalSize[]
  stats: Stats
  dexesActive: number
  /** DEX names with a fetched quote, and with a quote that passed every quote gate. */
  dexes: { active: string[]; passedGates: string[] }
  sanityPassed: number
  sanityFailed: number
  costModelAvailable: boolean
  /** Why nothing is executed this cycle (the mode's blocker); null in live mode once the simulation made opportunities ready. */
  blocker: ExecutionBlocker | null
  valuation: Valuation | null
  /** The cycle's simulations (Phase 3), when execution.mode simulates. */
  simulations: SimulationRecord[]
}

/**
 * The mode's blocker: the original's smoke blocker in SMOKE runs, the seed's M4 blocker in REAL
 * runs with execution off or simulating; paper and dry-run never send; live needs the
 * simulation first (the simulation gate lifts it from the opportunities that pass).
 */
export function blockerOf(runMode: CycleInput['runMode'], mode: Config['execution']['mode']): ExecutionBlocker {
  if (runMode === 'SMOKE_SIMULATOR') return 'SMOKE_MODE_NO_EXECUTION'
  return ({ off: 'EXECUTION_DISABLED_M4', simulate: 'EXECUTION_DISABLED_M4', paper: 'PAPER_MODE_NO_EXECUTION', 'dry-run': 'DRY_RUN_NO_SEND', live: 'SIMULATION_REQUIRED' } as const)[mode]
}

/**
 * What a run keeps between cycles: each pair's quote gates and candidate verdicts with the
 * quote objects they were reached from (a synced run re-judges only the pairs a block touched).
 */
export type EvaluationMemo = { gates: GateMemo; candidates: CandidateMemo; optimal: OptimalMemo }

/** Each sizing's valuation, with the pair's figures it was priced at (a synced run keeps the sizing objects of routes a block did not touch). */
type OptimalMemo = WeakMap<Sizing, { figures: string; value: OptimalSize }>

export function evaluationMemo(): EvaluationMemo {
  return { gates: new Map(), candidates: new Map(), optimal: new WeakMap() }
}

/** The pure verdict of one cycle: same input, same output (with or without a memo). */
export function evaluateCycle(input: CycleInput, config: Config, memo?: EvaluationMemo): CycleResult {
  if (input.block <= 0) {
    const reject = makeReject('INFRA_BLOCK_PIN_FAILED', 'block', input.pinError ?? 'no block could be pinned')
    return {
      quotes: [], rejects: [reject], opportunities: [], spreads: [], signals: [], optimal: [],
      stats: stats({ rejects: 1, dropped: input.dropped.length, pairs: config.pairs.length }),
      dexesActive: 0, dexes: { active: [], passedGates: [] }, sanityPassed: 0, sanityFailed: 0, costModelAvailable: false,
      blocker: blockerOf(input.runMode, config.execution.mode), valuation: null, simulations: [],
    }
  }
  const gated = gateQuotes(input.quotes, config, input.block, memo?.gates)
  const valuation = new Valuation(config, gated.passed)
  const blocker = blockerOf(input.runMode, config.execution.mode)
  // What a kept verdict or valued size was reached with besides its legs, per pair, once a cycle.
  const figures = memo && new Map(config.pairs.map((pair) => [pair.name, pairFigures({ config, gasPriceWei: input.gasPriceWei, valuation, blocker }, pair)]))
  const candidates = evaluateCandidates({
    config,
    passed: gated.passed,
    slippageBps: gated.slippageBps,
    gasPriceWei: input.gasPriceWei,
    valuation,
    blocker,
    memo: memo && { candidates: memo.candidates, figures: figures!, pairGates: gated.pairGates },
  })
  // A pool we failed to read is an infra failure to observe, not a fact about the market.
  const registryRejects = input.dropped
    .filter((drop) => drop.code === 'INFRA_RPC_ERROR')
    .map((drop) => makeReject('INFRA_RPC_ERROR', 'registry', drop.reason, { pair: drop.pair, venue: drop.fee === null ? drop.dex : `${drop.dex}:${drop.fee}` }))
  const rejects = [...registryRejects, ...gated.rejects, ...candidates.rejects]
  const dexes = new Set(input.quotes.filter((q) => q.ok && q.amountOut > 0n).map((q) => q.request.venue.dex))
  const passedDexes = new Set([...gated.passed.values()].map((q) => q.request.venue.dex))
  return {
    quotes: gated.records,
    rejects,
    opportunities: candidates.opportunities,
    spreads: candidates.spreads,
    signals: candidates.signals,
    optimal: valueSizings(input, config, valuation, insaneVenues(gated.rejects), memo && { optimal: memo.optimal, figures: figures! }),
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
      passed: gated.passed.size,
      signals: candidates.signals.length,
      signalsProfitable: candidates.signals.filter((s) => s.is_profitable_net).length,
      dexes: dexes.size,
      pairs: config.pairs.length,
    }),
    dexesActive: dexes.size,
    dexes: { active: [...dexes].sort(), passedGates: [...passedDexes].sort() },
    blocker: blockerOf(input.runMode, config.execution.mode),
    valuation,
    simulations: [],
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
function valueSizings(input: CycleInput, config: Config, valuation: Valuation, insane: Set<string>, memo?: { optimal: OptimalMemo; figures: Map<string, string> }): OptimalSize[] {
  const pairs = new Map(config.pairs.map((pair) => [pair.name, pair]))
  const sane = insane.size ? input.sizings.filter((s) => !insane.has(`${s.pair}|${s.buyVenue}`) && !insane.has(`${s.pair}|${s.sellVenue}`)) : input.sizings
  return sane.map((sizing) => {
    const pair = pairs.get(sizing.pair)!
    const figures = memo?.figures.get(pair.name)
    const known = memo?.optimal.get(sizing)
    if (known && known.figures === figures) return known.value
    const gross = sizing.sellOut - sizing.buyIn
    const gasCost = input.gasPriceWei === null ? null : valuation.gasCost(sizing.gasUnits * input.gasPriceWei, pair.quote)
    const net = gasCost === null ? null : gross - gasCost
    const value: OptimalSize = {
      pair: sizing.pair, buy_venue: sizing.buyVenue, sell_venue: sizing.sellVenue, size: sizing.size.toString(),
      amount_in: sizing.buyIn.toString(), amount_out: sizing.sellOut.toString(), gross_profit: gross.toString(),
      gas_cost: gasCost === null ? null : gasCost.toString(), net_profit: net === null ? null : net.toString(),
      net_profit_usd: net === null ? null : valuation.usd(net, pair.quote), evaluations: sizing.evaluations, simulation: null,
    }
    if (memo) memo.optimal.set(sizing, { figures: figures!, value })
    return value
  }).sort((a, b) => (b.net_profit_usd ?? -Infinity) - (a.net_profit_usd ?? -Infinity))
}

type Counts = 'pools' | 'dropped' | 'quotesTotal' | 'fetched' | 'quotesRejected' | 'candidates' | 'candidatesRejected' | 'opportunities' | 'rejects' | 'passed' | 'signals' | 'signalsProfitable' | 'dexes' | 'pairs'

/** The cycle's counters: ARBY's, and the original's names for the same counts (README: "Coming from arbybot"). */
function stats(n: Partial<Record<Counts, number>>): Stats {
  const count = (key: Counts) => n[key] ?? 0
  return {
    pools_registered: count('pools'),
    pools_dropped: count('dropped'),
    quotes_total: count('quotesTotal'),
    quotes_fetched: count('fetched'),
    quotes_rejected: count('quotesRejected'),
    candidates_total: count('candidates'),
    candidates_rejected: count('candidatesRejected'),
    gates_passed: count('passed'),
    opportunities: count('opportunities'),
    rejects_total: count('rejects'),
    // Execution is disabled: nothing is ever execution-ready.
    execution_ready_count: 0,
    simulated: 0,
    sim_passed: 0,
    sim_mismatches: 0,
    spread_ids_total: count('candidates'),
    spread_ids_profitable: count('opportunities'),
    spread_ids_executable: 0,
    paper_executable_spreads: 0,
    signals_total: count('signals'),
    signals_profitable: count('signalsProfitable'),
    signals_executable: 0,
    paper_executable_count: 0,
    blocked_spreads: count('opportunities'),
    dexes_active: count('dexes'),
    pairs_covered: count('pairs'),
    pools_scanned: count('pools'),
    quote_fetch_rate: rate(count('fetched'), count('quotesTotal')),
    quote_gate_pass_rate: rate(count('passed'), count('fetched')),
  }
}

/** A 0–1 rate to 3 decimals (the original's rounding); 0 when there is nothing to count. */
function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000
}
