import type { Config } from '../config/resolve.ts'
import type { ExecutionCycle } from '../contract/execution.ts'
import { applySimulation } from '../sim/gate.ts'
import { planCycle, type Plan } from '../sim/plan.ts'
import type { SimOutcome, SimulationTarget } from '../sim/simulate.ts'
import { buildArtifacts, type CycleArtifacts } from '../report/build.ts'
import type { OpportunityLedger } from '../report/ledger.ts'
import type { Retention } from '../report/retention.ts'
import { cycleFingerprint, fileStamp, ScanLog, writeArtifacts, type ArtifactMode, type ArtifactPaths } from '../report/write.ts'
import { writeSnapshotSliced } from '../report/snapshotWriter.ts'
import { evaluateCycle, evaluationMemo, type CycleResult } from './evaluate.ts'
import type { CycleInput } from './types.ts'
import { opportunityRoute } from './candidates.ts'

/** Where a cycle's reads come from: a recorded fixture (SMOKE) or a live chain (REAL). */
export type CycleSource = {
  readCycle(cycle: number): Promise<CycleInput>
  /** Runs the executor's exact calls at the input's pinned block (chain sources only). */
  simulate?(plans: Plan[], input: CycleInput): Promise<{ target: SimulationTarget; outcomes: SimOutcome[] }>
  /** Resolves once the chain is past `block` (or `signal` aborts). Watch mode only. */
  waitForNewBlock?(block: number, signal: AbortSignal): Promise<void>
  close(): Promise<void>
}

export type CycleOutcome = {
  artifacts: CycleArtifacts
  paths: ArtifactPaths
  elapsedMs: number
  /** Blocks the chain made between the previous pinned block and this one, each without a cycle of its own. */
  skippedBlocks: number
  /** Milliseconds per stage: reading the pinned block's state, the pure evaluation, simulation, execution, writing. */
  stages: Record<Stage, number>
}

export const STAGES = ['read', 'evaluate', 'simulate', 'execute', 'write'] as const
export type Stage = (typeof STAGES)[number]

/** What execution does with a simulated cycle (paper, dry-run or live): its verdict and its record. */
export type ExecutionStep = {
  onCycle(cycle: { input: CycleInput; result: CycleResult; plans: Plan[] }): Promise<{ result: CycleResult; execution: ExecutionCycle }>
}

export type RunCyclesParameters = {
  config: Config
  source: CycleSource
  /** A number of cycles, or 'watch': one cycle per new block until `stop` aborts. */
  cycles: number | 'watch'
  /** Checked between cycles: a cycle that started finishes and writes its artifacts... */
  stop?: AbortSignal
  /** ...unless this aborts during it: its reads were cut short, so it is abandoned, never written. */
  abort?: AbortSignal
  outputDir: string
  log: ScanLog
  onCycle?: (outcome: CycleOutcome) => void
  /** Paper, dry-run or live execution after the simulation (execution.mode beyond simulate). */
  execute?: ExecutionStep
  /** Which JSON artifacts each cycle writes (default all). */
  artifacts?: ArtifactMode
  /** Deletes old cycles' files as new ones are written (long runs). */
  retention?: Retention
  /** Route episodes over the run (opportunities.sqlite). */
  ledger?: OpportunityLedger
  /** Keep every cycle's outcome (callers that read them), or only the last (long runs: memory stays flat). */
  keepOutcomes?: 'all' | 'last'
  /** Clock, injectable so tests can pin timestamps. */
  now?: () => Date
}

export type RunSummary = {
  /** Every cycle's outcome for a run of N cycles; in watch mode (or keepOutcomes 'last') only the last (memory stays flat). */
  outcomes: CycleOutcome[]
  cycles: number
  /** Cycles that pinned a block (the others are void). */
  pinned: number
  skippedBlocks: number
}

/** Runs N cycles: read (pinned) → evaluate (pure) → simulate → execute → artifacts (validated) → files. */
export async function runCycles({ config, source, cycles, stop, abort, outputDir, log, onCycle, execute, artifacts: mode = 'all', retention, keepOutcomes, ledger, now = () => new Date() }: RunCyclesParameters): Promise<RunSummary> {
  const watch = cycles === 'watch'
  const summary: RunSummary = { outcomes: [], cycles: 0, pinned: 0, skippedBlocks: 0 }
  /** The last pinned block (for skipped-block accounting) and the last cycle's block (0 when void: watch retries after one interval). */
  let lastBlock: number | null = null
  let lastCycleBlock: number | null = null
  let lastFingerprint: ReturnType<typeof cycleFingerprint> | null = null
  let lastDetailsBlock = 0
  // Under `changed`, the snapshot is written a slice at a time while the next blocks are decided.
  const snapshotWrite: { pending: Promise<void> | null; error: unknown } = { pending: null, error: null }
  // Pairs whose quotes and figures did not change keep their verdicts (sync mode reuses untouched pools' quotes).
  const memo = evaluationMemo()
  for (let cycle = 1; watch || cycle <= cycles; cycle++) {
    if (snapshotWrite.error) throw snapshotWrite.error
    if (stop?.aborted) break
    if (watch && lastCycleBlock !== null && source.waitForNewBlock) {
      await source.waitForNewBlock(lastCycleBlock, stop ?? new AbortController().signal)
      if (stop?.aborted) break
    }
    const started = performance.now()
    const stages: Record<Stage, number> = { read: 0, evaluate: 0, simulate: 0, execute: 0, write: 0 }
    let mark = started
    const lap = (stage: Stage) => {
      const t = performance.now()
      stages[stage] += t - mark
      mark = t
    }
    log.write('info', 'cycle.start', watch ? `cycle ${cycle} (watch)` : `cycle ${cycle} of ${cycles}`, { cycle })
    const input = await source.readCycle(cycle)
    lap('read')
    let result = abort?.aborted ? null : evaluateCycle(input, config, memo)
    lap('evaluate')
    let execution: ExecutionCycle | null = null
    // Phase 3: every opportunity's exact executor call, simulated at the same pinned block.
    if (result && config.execution.mode !== 'off' && input.block > 0 && source.simulate) {
      const { plans, unplannable } = planCycle(result, input, config)
      const { target, outcomes } = await source.simulate(plans, input)
      result = abort?.aborted ? null : applySimulation(result, input, config, target, plans, outcomes, unplannable)
      lap('simulate')
      // A mismatch is a defect (the prediction and the chain disagree at the same block): said loudly.
      for (const sim of result?.simulations.filter((s) => s.status === 'mismatch') ?? []) {
        log.write('warn', 'sim.mismatch', `${sim.kind} ${sim.id}: simulated profit ${sim.profit} ≠ predicted ${sim.predicted_profit} at block ${sim.block}`, { cycle, block: input.block, data: { calldata: sim.calldata, to: sim.to, from: sim.from } })
      }
      // Phase 4: once a trade may be signed, the cycle is written whatever happens next.
      if (result && execute) ({ result, execution } = await execute.onCycle({ input, result, plans }))
      lap('execute')
    }
    if (!result) {
      log.write('warn', 'cycle.abandoned', `cycle ${cycle} abandoned: stopped before its reads finished (nothing written for it)`, { cycle })
      break
    }

    // Every block gets a verdict: a cycle, or a count of the blocks it came too late for.
    const skippedBlocks = input.block > 0 && lastBlock !== null ? Math.max(0, input.block - lastBlock - 1) : 0
    if (skippedBlocks) log.write('info', 'blocks.skipped', `${skippedBlocks} block(s) ${lastBlock! + 1}..${input.block - 1} got no cycle of their own: still busy with block ${lastBlock}`, { cycle, block: input.block, data: { skipped: skippedBlocks, from: lastBlock! + 1, to: input.block - 1 } })

    const date = now()
    const artifacts = buildArtifacts(input, result, config, date.toISOString(), execution)
    // Under `changed`: the details when the verdict changed (an opportunity, a reject), at most
    // once per details_every blocks — at a thousand pools something changes every block, and the
    // snapshot is tens of MB (the truth report, every block, carries the opportunities).
    const fingerprint = mode === 'changed' ? cycleFingerprint(result, input.block) : null
    const details = mode === 'all' || (mode === 'changed' && (lastFingerprint === null ||
      ((fingerprint!.opportunities !== lastFingerprint.opportunities || fingerprint!.verdicts !== lastFingerprint.verdicts) && input.block - lastDetailsBlock >= config.detailsEvery)))
    const later = details && mode === 'changed'
    // One snapshot at a time (the last one, details_every blocks ago, is long written at a block's pace).
    if (later && snapshotWrite.pending) await snapshotWrite.pending
    if (snapshotWrite.error) throw snapshotWrite.error
    const paths = writeArtifacts(outputDir, fileStamp(date, cycle), artifacts, { details, snapshotLater: later })
    if (later) {
      snapshotWrite.pending = writeSnapshotSliced(paths.snapshot!, artifacts.snapshotParts())
        .catch((error) => { snapshotWrite.error = error })
        .finally(() => { snapshotWrite.pending = null })
    }
    if (details) {
      lastFingerprint = fingerprint
      lastDetailsBlock = input.block
    }
    ledger?.record(artifacts)
    retention?.add([paths.truth, ...(paths.snapshot ? [paths.snapshot] : []), ...(paths.histogram ? [paths.histogram] : [])])
    lap('write')
    const elapsedMs = performance.now() - started
    log.writeMany([
      {
        level: input.block > 0 ? 'info' : 'error', event: 'cycle.done', msg: summaryLine(artifacts),
        extra: { cycle, block: input.block, data: {
          ...artifacts.truth.stats, elapsed_ms: Math.round(elapsedMs), stages_ms: Object.fromEntries(STAGES.map((s) => [s, Math.round(stages[s])])), skipped_blocks: skippedBlocks,
          details_written: details, rss_mb: Math.round(process.memoryUsage.rss() / 1_048_576), pin_error: input.pinError,
          // Small enough for every line, and all a report of the run needs later (files may be gone by retention).
          block_timestamp: input.blockTimestamp, best_by_route: bestByRoute(artifacts), rejects_by_code: artifacts.histogram.by_code,
        } },
      },
      // Each reject's line (debug) goes with the details it is part of (tens of thousands a block at scale).
      ...(details && log.debug ? result.rejects : []).map((reject) => ({
        level: 'debug' as const, event: 'reject', msg: reject.message,
        extra: { cycle, block: input.block, data: { code: reject.code, stage: reject.stage, pair: reject.pair, venue: reject.venue ?? `${reject.buy_venue}>${reject.sell_venue}`, size: reject.size } },
      })),
    ])
    const outcome = { artifacts, paths, elapsedMs, skippedBlocks, stages }
    summary.cycles++
    if (input.block > 0) summary.pinned++
    summary.skippedBlocks += skippedBlocks
    if (watch || keepOutcomes === 'last') summary.outcomes = [outcome]
    else summary.outcomes.push(outcome)
    if (input.block > 0) lastBlock = input.block
    lastCycleBlock = input.block
    onCycle?.(outcome)
  }
  // The run's last snapshot is whole before the run says it is done.
  await snapshotWrite.pending
  if (snapshotWrite.error) throw snapshotWrite.error
  return summary
}

/** The best net USD of each route with an opportunity this cycle. */
export function bestByRoute({ digest }: CycleArtifacts): Record<string, number> {
  const best: Record<string, number> = {}
  for (const o of digest.opportunities) {
    const route = opportunityRoute(o)
    best[route] = Math.max(best[route] ?? -Infinity, o.net_profit_usd ?? 0)
  }
  return best
}

function summaryLine({ truth }: CycleArtifacts): string {
  const s = truth.stats
  return `block ${truth.current_block}: ${s.quotes_fetched}/${s.quotes_total} quotes, ${s.candidates_total} candidates, ${s.opportunities} opportunities, ${s.rejects_total} rejects`
}
