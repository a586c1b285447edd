import type { Config } from '../config/resolve.ts'
import type { OpportunityCore, OptimalSize, Stats } from '../contract/parts.ts'
import type { ExecutionBlocker } from '../contract/primitives.ts'
import type { Sizing } from '../sizing/optimalSizes.ts'
import { byOpportunity, bySignal, netUsd, pairCandidates, pricingOf, signalOf, type CandidateMemo, type PairCandidates } from './candidates.ts'
import { lazyResult, rejectsKey, type CycleResult } from './cycleResult.ts'
import { gateMemo, gateQuotes, type GateMemo } from './quoteGates.ts'
import { mergeFirst, mergeKept, type MergeMemo } from './merge.ts'
import { makeReject } from './reject.ts'
import { keptRunsOf, runsOf, sameObjects, type RunsMemo } from '../runs.ts'
import { RejectTally } from './tally.ts'
import type { CycleInput } from './types.ts'
import { Valuation } from './valuation.ts'

export type { CycleResult } from './cycleResult.ts'

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
 * quote objects they were reached from (a synced run re-judges only the pairs a block touched),
 * and the pairs' opportunities merged.
 */
export type EvaluationMemo = { gates: GateMemo; candidates: CandidateMemo; optimal: OptimalMemo; opportunities: { merged?: MergeMemo<OpportunityCore> } }

/**
 * Each sizing's valuation, with the pair's figures it was priced at (a synced run keeps the sizing
 * objects of routes a block did not touch); and each pair's valued sizes sorted, with what they were made from.
 */
type OptimalMemo = {
  values: WeakMap<Sizing, { figures: string; value: OptimalSize }>
  /** Each sizing's pair, by the sizing object (`keptRunsOf`). */
  runs: RunsMemo<Sizing, string>
  pairs: Map<string, { sizings: Sizing[]; figures: string | undefined; bad: Set<string> | undefined; insane: string; sorted: OptimalSize[] }>
  merged?: MergeMemo<OptimalSize>
}

export function evaluationMemo(): EvaluationMemo {
  return { gates: gateMemo(), candidates: new Map(), optimal: { values: new WeakMap(), runs: {}, pairs: new Map() }, opportunities: {} }
}

/**
 * The pure verdict of one cycle: same input, same output (with or without a memo). Every count
 * and every opportunity is decided here; the long lists (records, spreads, rejects, signals)
 * are built from the verdicts when an artifact reads them.
 */
export function evaluateCycle(input: CycleInput, config: Config, memo?: EvaluationMemo): CycleResult {
  const blocker = blockerOf(input.runMode, config.execution.mode)
  if (input.block <= 0) {
    const reject = makeReject('INFRA_BLOCK_PIN_FAILED', 'block', input.pinError ?? 'no block could be pinned')
    return lazyResult({
      opportunities: [], topSignals: [], tally: RejectTally.of([reject]), buildSteps: [], quoteStatuses: [], optimal: [],
      stats: stats({ rejects: 1, dropped: input.dropped.length, pairs: config.pairs.length }),
      dexesActive: 0, dexes: { active: [], passedGates: [] }, sanityPassed: 0, sanityFailed: 0, costModelAvailable: false,
      blocker, valuation: null, simulations: [],
    }, { quotes: () => [], rejects: () => [reject], spreads: () => [], signals: () => [], opportunitySpreads: () => [], verdictKey: () => rejectsKey([reject]) })
  }
  const gated = gateQuotes(input.quotes, config, input.block, memo?.gates)
  const valuation = new Valuation(config, gated.anchorQuote)
  const ctx = { config, gasPriceWei: input.gasPriceWei, valuation, blocker }
  // Each pair's candidates, in the config's order; its figures (what a kept verdict or valued size was reached with besides its legs) once a cycle.
  const byQuote = new Map<Config['pairs'][number]['quote'], ReturnType<typeof pricingOf>>()
  const pricing = new Map(config.pairs.map((pair) => {
    let figures = byQuote.get(pair.quote)
    if (!figures) byQuote.set(pair.quote, figures = pricingOf(ctx, pair.quote))
    return [pair.name, figures]
  }))
  const pairs: PairCandidates[] = []
  for (const pair of config.pairs) {
    const gates = gated.pairGates.get(pair.name)
    if (gates) pairs.push(pairCandidates(ctx, pair, gates, pricing.get(pair.name)!, memo?.candidates))
  }
  // A pool we failed to read is an infra failure to observe, not a fact about the market.
  const registryRejects = input.dropped
    .filter((drop) => drop.code === 'INFRA_RPC_ERROR')
    .map((drop) => makeReject('INFRA_RPC_ERROR', 'registry', drop.reason, { pair: drop.pair, venue: drop.fee === null ? drop.dex : `${drop.dex}:${drop.fee}` }))
  const tally = RejectTally.of(registryRejects).merge(gated.tally)
  const counts = { candidates: 0, candidatesRejected: 0, signals: 0, signalsProfitable: 0 }
  // Each pair's first candidate's place among the cycle's (its opportunities' spreads are placed from it when read).
  const firstAt: number[] = []
  let costModelAvailable = input.gasPriceWei !== null
  for (const outcome of pairs) {
    tally.merge(outcome.tally)
    firstAt.push(counts.candidates)
    counts.candidates += outcome.count
    counts.candidatesRejected += outcome.tally.total
    counts.signals += outcome.signals
    counts.signalsProfitable += outcome.signalsProfitable
    if (!outcome.costModelAvailable) costModelAvailable = false
  }
  // Different pairs profit in different tokens: by USD value (display ratio), then id — each pair's sorted once with its verdicts, merged.
  const ranked = pairs.map((outcome) => outcome.rankedOpportunities)
  const opportunities = memo ? mergeKept(ranked, byOpportunity, memo.opportunities, netUsd) : mergeFirst(ranked, Infinity, byOpportunity)
  // The first signals: each pair's best, in pair order (a stable sort keeps candidate order among equals).
  const signalsShown = Math.max(config.topN * 5, 50)
  const topSignals = mergeFirst(pairs.map((outcome) => outcome.signalOrder), signalsShown, bySignal).map(signalOf)
  const eager = {
    opportunities,
    topSignals,
    tally,
    buildSteps: [() => void gated.records(), () => void gated.rejects(), ...pairs.map((outcome) => () => void outcome.rejects)],
    quoteStatuses: [...gated.statuses].flatMap(([quoter, n]) => (['ok', 'rejected'] as const).filter((status) => n[status]).map((status) => ({ quoter, status, count: n[status] }))),
    optimal: valueSizings(input, config, valuation, insaneVenues(gated.pairGates), memo && { optimal: memo.optimal, figures: pricing }),
    stats: stats({
      pools: input.pools.length,
      dropped: input.dropped.length,
      quotesTotal: input.quotes.length,
      fetched: gated.fetched,
      quotesRejected: gated.tally.total,
      candidates: counts.candidates,
      candidatesRejected: counts.candidatesRejected,
      opportunities: opportunities.length,
      rejects: tally.total,
      passed: gated.passed,
      signals: counts.signals,
      signalsProfitable: counts.signalsProfitable,
      dexes: gated.dexes.active.size,
      pairs: config.pairs.length,
    }),
    dexesActive: gated.dexes.active.size,
    dexes: { active: [...gated.dexes.active].sort(), passedGates: [...gated.dexes.passed].sort() },
    blocker,
    valuation,
    simulations: [],
    sanityPassed: gated.sanityPassed,
    sanityFailed: gated.sanityFailed,
    costModelAvailable,
  }
  return lazyResult(eager, {
    quotes: gated.records,
    rejects: () => [...registryRejects, ...gated.rejects(), ...pairs.flatMap((outcome) => outcome.rejects)],
    spreads: () => pairs.flatMap((outcome) => outcome.spreads),
    opportunitySpreads: () => pairs.flatMap((outcome, k) => outcome.opportunitySpreads.map(({ at, spread }) => ({ index: firstAt[k]! + at, spread }))),
    signals: () => pairs.flatMap((outcome) => outcome.positives).sort(bySignal).map(signalOf),
    verdictKey: () => [rejectsKey(registryRejects), ...[...gated.pairGates].map(([name, gates]) => `${name}:${gates.verdicts}`), ...pairs.map((outcome) => outcome.verdicts)].join('|'),
  })
}

/** Each pair's venues whose price failed the sanity gate (or had no anchor) this cycle. */
function insaneVenues(pairGates: Map<string, { insane: Set<string> }>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const [pair, gates] of pairGates) if (gates.insane.size) out.set(pair, gates.insane)
  return out
}

/**
 * Optimal sizes with gas and net profit priced like the grid's candidates, best first.
 * Routes through a venue that failed price sanity are left out: no size makes them true.
 * Each pair's sizes are valued and sorted once while its sizing objects, figures and insane
 * venues hold (a synced run hands back the same objects for routes a block did not touch); the
 * pairs' lists are merged.
 */
function valueSizings(input: CycleInput, config: Config, valuation: Valuation, insane: Map<string, Set<string>>, memo?: { optimal: OptimalMemo; figures: Map<string, { key: string }> }): OptimalSize[] {
  const pairs = pairsByName(config)
  const value = (sizing: Sizing, figures: string | undefined): OptimalSize => {
    const known = memo?.optimal.values.get(sizing)
    if (known && known.figures === figures) return known.value
    const pair = pairs.get(sizing.pair)!
    const gross = sizing.sellOut - sizing.buyIn
    const gasCost = input.gasPriceWei === null ? null : valuation.gasCost(sizing.gasUnits * input.gasPriceWei, pair.quote)
    const net = gasCost === null ? null : gross - gasCost
    const made: OptimalSize = {
      pair: sizing.pair, buy_venue: sizing.buyVenue, sell_venue: sizing.sellVenue, size: sizing.size.toString(),
      amount_in: sizing.buyIn.toString(), amount_out: sizing.sellOut.toString(), gross_profit: gross.toString(),
      gas_cost: gasCost === null ? null : gasCost.toString(), net_profit: net === null ? null : net.toString(),
      net_profit_usd: net === null ? null : valuation.usd(net, pair.quote), evaluations: sizing.evaluations, simulation: null,
    }
    memo?.optimal.values.set(sizing, { figures: figures!, value: made })
    return made
  }
  // A pair's sizes come together (optimalSizes gives them pair by pair): one sorted list per run.
  const lists: OptimalSize[][] = []
  const seen = new Set<string>()
  const sizings = input.sizings
  const pairOf = (sizing: Sizing) => sizing.pair
  for (const { key: name, from, to } of memo ? keptRunsOf(sizings, pairOf, memo.optimal.runs) : runsOf(sizings, pairOf)) {
    const figures = memo?.figures.get(name)?.key
    const bad = insane.get(name)
    const venues = () => (bad ? [...bad].sort().join(',') : '')
    const kept = seen.has(name) ? undefined : memo?.optimal.pairs.get(name)
    // The same insane venues: the very set (the pair's gates were kept), else the same names.
    if (kept && kept.figures === figures && (kept.bad === bad || kept.insane === venues()) && sameObjects(kept.sizings, sizings, from, to)) {
      lists.push(kept.sorted)
    } else {
      const mine = sizings.slice(from, to)
      const sorted = (bad ? mine.filter((s) => !bad.has(s.buyVenue) && !bad.has(s.sellVenue)) : mine).map((s) => value(s, figures)).sort(byUsd)
      if (memo && !seen.has(name)) memo.optimal.pairs.set(name, { sizings: mine, figures, bad, insane: venues(), sorted })
      lists.push(sorted)
    }
    seen.add(name)
  }
  return memo ? mergeKept(lists, byUsd, memo.optimal, netUsd) : mergeFirst(lists, Infinity, byUsd)
}

/** The config's pairs by name, made once per list of pairs. */
const byName = new WeakMap<Config['pairs'], Map<string, Config['pairs'][number]>>()
function pairsByName(config: Config): Map<string, Config['pairs'][number]> {
  let known = byName.get(config.pairs)
  if (!known) byName.set(config.pairs, known = new Map(config.pairs.map((pair) => [pair.name, pair])))
  return known
}

/** Net USD value, best first; those without one last (a display ratio: ties keep their order). */
function byUsd(a: OptimalSize, b: OptimalSize): number {
  return netUsd(b) - netUsd(a) || 0
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
