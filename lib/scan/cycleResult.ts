import type { OptimalSize, OpportunityCore, Quote, Reject, Stats } from '../contract/parts.ts'
import type { ExecutionBlocker } from '../contract/primitives.ts'
import type { SimulationRecord } from '../contract/simulation.ts'
import type { SpreadSignal } from '../contract/truthReport.ts'
import type { Spread } from './candidates.ts'
import { RejectTally } from './tally.ts'
import type { Valuation } from './valuation.ts'

export type CycleResult = {
  /** Every quote's record at the cycle's block (built when first read, like every list below). */
  quotes: Quote[]
  rejects: Reject[]
  opportunities: OpportunityCore[]
  /** Every candidate route at every size, with its verdict. */
  spreads: Spread[]
  /** Candidates with a positive gross, best first. */
  signals: SpreadSignal[]
  /** The first of `signals` (the truth report's), found without building the rest. */
  topSignals: SpreadSignal[]
  /** The spreads that are opportunities, with their place in `spreads`. */
  opportunitySpreads: { index: number; spread: Spread }[]
  /** The rejects counted by stage and code (what the histogram and the truth report need). */
  tally: RejectTally
  /**
   * The long lists' pieces, each built by one step (a pair's spreads and rejects, the quote
   * records), so a writer can spread the work between blocks; a step builds once, and the lists
   * then only join what was built.
   */
  buildSteps: (() => void)[]
  /** Quotes counted by who quoted them and their verdict. */
  quoteStatuses: { quoter: string; status: 'ok' | 'rejected'; count: number }[]
  /** Every verdict of the cycle (each quote's and each candidate's code, in order) as one string: equal keys, equal verdicts. */
  verdictKey: string
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
 * The long lists of a cycle — a record per quote, a spread per candidate, the rejects with
 * their messages, the signals, the opportunities' spreads, the verdicts as one key — are only what the artifacts show: at a thousand pools they are
 * tens of thousands of objects and strings, most the same as the block before. They are built
 * when first read (then kept), so a cycle decides without them.
 */
export const LAZY = ['quotes', 'rejects', 'spreads', 'signals', 'opportunitySpreads', 'verdictKey'] as const
type Lazy = (typeof LAZY)[number]
export type Eager = Omit<CycleResult, Lazy>

/** A cycle result whose long lists are built by `lazy` when first read (enumerable: a spread or an equality sees them). */
export function lazyResult(eager: Eager, lazy: { [K in Lazy]: () => CycleResult[K] }): CycleResult {
  const { buildSteps, ...figures } = eager
  const result = { ...figures } as CycleResult
  // Steps are how, not what: left out of a result's enumerable figures (equal verdicts, equal results).
  Object.defineProperty(result, 'buildSteps', { value: buildSteps, enumerable: false })
  for (const key of LAZY) {
    let value: CycleResult[typeof key] | undefined
    Object.defineProperty(result, key, {
      enumerable: true,
      get: () => (value ??= lazy[key]() as never),
    })
  }
  return result
}

/**
 * `result` with some figures changed and some lists derived from the old ones — still built
 * only when read (a later stage adding its rejects does not build the cycle's).
 */
export function deriveResult(result: CycleResult, eager: Partial<Eager>, lists: { [K in Lazy]?: (old: CycleResult[K]) => CycleResult[K] } = {}): CycleResult {
  const base = Object.fromEntries(Object.keys(result).filter((key) => !(LAZY as readonly string[]).includes(key)).map((key) => [key, result[key as keyof Eager]])) as Eager
  const list = <K extends Lazy>(key: K) => () => (lists[key] ? lists[key]!(result[key]) : result[key])
  return lazyResult({ ...base, buildSteps: result.buildSteps, ...eager }, { quotes: list('quotes'), rejects: list('rejects'), spreads: list('spreads'), signals: list('signals'), opportunitySpreads: list('opportunitySpreads'), verdictKey: list('verdictKey') })
}

/**
 * `result` with rejects a later stage (simulation, execution) adds: counted in its tally and
 * `stats.rejects_total`, appended to its rejects and its verdict key — the cycle's own lists
 * still built only when read — besides the stage's other changes.
 */
export function withRejects(result: CycleResult, rejects: readonly Reject[], eager: Partial<Eager> = {}, lists: { spreads?: (old: Spread[]) => Spread[]; opportunitySpreads?: (old: CycleResult['opportunitySpreads']) => CycleResult['opportunitySpreads'] } = {}): CycleResult {
  const tally = new RejectTally().merge(result.tally)
  for (const reject of rejects) tally.add(reject.stage, reject.code)
  return deriveResult(result, { ...eager, tally, stats: { ...(eager.stats ?? result.stats), rejects_total: tally.total } }, {
    ...lists,
    rejects: (all) => [...all, ...rejects],
    verdictKey: (key) => `${key}|${rejectsKey(rejects)}`,
  })
}

/** The key of rejects added after the evaluation (simulation, execution): what they add to a cycle's verdict key. */
export function rejectsKey(rejects: readonly Reject[]): string {
  return rejects.map((r) => `${r.code}:${r.stage}:${r.pair}:${r.venue}:${r.buy_venue}>${r.sell_venue}:${r.size}`).join(',')
}
