import type { Config } from '../config/resolve.ts'
import type { ExecutionCycle } from '../contract/execution.ts'
import { applySimulation } from '../sim/gate.ts'
import { planCycle, type Plan } from '../sim/plan.ts'
import type { SimOutcome, SimulationTarget } from '../sim/simulate.ts'
import { buildArtifacts, type CycleArtifacts } from '../report/build.ts'
import { fileStamp, ScanLog, writeArtifacts, type ArtifactPaths } from '../report/write.ts'
import { evaluateCycle, type CycleResult } from './evaluate.ts'
import type { CycleInput } from './types.ts'

/** Where a cycle's reads come from: a recorded fixture (SMOKE) or a live chain (REAL). */
export type CycleSource = {
  readCycle(cycle: number): Promise<CycleInput>
  /** Runs the executor's exact calls at the input's pinned block (chain sources only). */
  simulate?(plans: Plan[], input: CycleInput): Promise<{ target: SimulationTarget; outcomes: SimOutcome[] }>
  /** Resolves once the chain is past `block` (or `signal` aborts). Watch mode only. */
  waitForNewBlock?(block: number, signal: AbortSignal): Promise<void>
  close(): Promise<void>
}

export type CycleOutcome = { artifacts: CycleArtifacts; paths: ArtifactPaths; elapsedMs: number }

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
  /** Clock, injectable so tests can pin timestamps. */
  now?: () => Date
}

/** Runs N cycles: read (pinned) → evaluate (pure) → artifacts (validated) → files. */
export async function runCycles({ config, source, cycles, stop, abort, outputDir, log, onCycle, execute, now = () => new Date() }: RunCyclesParameters): Promise<CycleOutcome[]> {
  const outcomes: CycleOutcome[] = []
  const watch = cycles === 'watch'
  for (let cycle = 1; watch || cycle <= cycles; cycle++) {
    if (stop?.aborted) break
    const last = outcomes[outcomes.length - 1]?.artifacts.truth.current_block
    if (watch && last !== undefined && source.waitForNewBlock) {
      await source.waitForNewBlock(last, stop ?? new AbortController().signal)
      if (stop?.aborted) break
    }
    const started = performance.now()
    log.write('info', 'cycle.start', watch ? `cycle ${cycle} (watch)` : `cycle ${cycle} of ${cycles}`, { cycle })
    const input = await source.readCycle(cycle)
    let result = abort?.aborted ? null : evaluateCycle(input, config)
    let execution: ExecutionCycle | null = null
    // Phase 3: every opportunity's exact executor call, simulated at the same pinned block.
    if (result && config.execution.mode !== 'off' && input.block > 0 && source.simulate) {
      const { plans, unplannable } = planCycle(result, input, config)
      const { target, outcomes } = await source.simulate(plans, input)
      result = abort?.aborted ? null : applySimulation(result, input, config, target, plans, outcomes, unplannable)
      // A mismatch is a defect (the prediction and the chain disagree at the same block): said loudly.
      for (const sim of result?.simulations.filter((s) => s.status === 'mismatch') ?? []) {
        log.write('warn', 'sim.mismatch', `${sim.kind} ${sim.id}: simulated profit ${sim.profit} ≠ predicted ${sim.predicted_profit} at block ${sim.block}`, { cycle, block: input.block, data: { calldata: sim.calldata, to: sim.to, from: sim.from } })
      }
      // Phase 4: once a trade may be signed, the cycle is written whatever happens next.
      if (result && execute) ({ result, execution } = await execute.onCycle({ input, result, plans }))
    }
    if (!result) {
      log.write('warn', 'cycle.abandoned', `cycle ${cycle} abandoned: stopped before its reads finished (nothing written for it)`, { cycle })
      break
    }
    const date = now()
    const artifacts = buildArtifacts(input, result, config, date.toISOString(), execution)
    const paths = writeArtifacts(outputDir, fileStamp(date, cycle), artifacts)
    const elapsedMs = performance.now() - started
    log.write(input.block > 0 ? 'info' : 'error', 'cycle.done', summaryLine(artifacts), {
      cycle,
      block: input.block,
      data: { ...artifacts.truth.stats, elapsed_ms: Math.round(elapsedMs), pin_error: input.pinError },
    })
    for (const reject of result.rejects) {
      log.write('debug', 'reject', reject.message, { cycle, block: input.block, data: { code: reject.code, stage: reject.stage, pair: reject.pair, venue: reject.venue ?? `${reject.buy_venue}>${reject.sell_venue}`, size: reject.size } })
    }
    const outcome = { artifacts, paths, elapsedMs }
    outcomes.push(outcome)
    onCycle?.(outcome)
  }
  return outcomes
}

function summaryLine({ truth }: CycleArtifacts): string {
  const s = truth.stats
  return `block ${truth.current_block}: ${s.quotes_fetched}/${s.quotes_total} quotes, ${s.candidates_total} candidates, ${s.opportunities} opportunities, ${s.rejects_total} rejects`
}
