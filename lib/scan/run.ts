import type { Config } from '../config/resolve.ts'
import { buildArtifacts, type CycleArtifacts } from '../report/build.ts'
import { fileStamp, ScanLog, writeArtifacts, type ArtifactPaths } from '../report/write.ts'
import { evaluateCycle } from './evaluate.ts'
import type { CycleInput } from './types.ts'

/** Where a cycle's reads come from: a recorded fixture (SMOKE) or a live chain (REAL). */
export type CycleSource = {
  readCycle(cycle: number): Promise<CycleInput>
  /** Resolves once the chain is past `block` (or `signal` aborts). Watch mode only. */
  waitForNewBlock?(block: number, signal: AbortSignal): Promise<void>
  close(): Promise<void>
}

export type CycleOutcome = { artifacts: CycleArtifacts; paths: ArtifactPaths; elapsedMs: number }

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
  /** Clock, injectable so tests can pin timestamps. */
  now?: () => Date
}

/** Runs N cycles: read (pinned) → evaluate (pure) → artifacts (validated) → files. */
export async function runCycles({ config, source, cycles, stop, abort, outputDir, log, onCycle, now = () => new Date() }: RunCyclesParameters): Promise<CycleOutcome[]> {
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
    if (abort?.aborted) {
      log.write('warn', 'cycle.abandoned', `cycle ${cycle} abandoned: stopped before its reads finished (nothing written for it)`, { cycle })
      break
    }
    const result = evaluateCycle(input, config)
    const date = now()
    const artifacts = buildArtifacts(input, result, config, date.toISOString())
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
