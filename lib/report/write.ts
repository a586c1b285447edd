import { appendFileSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ScanLogLine } from '../contract/scanLog.ts'
import { redactText } from '../redact.ts'
import type { CycleArtifacts } from './build.ts'
import type { CycleResult } from '../scan/cycleResult.ts'
import { fsError, removeQuietly } from './outputDir.ts'

/** Paths of a cycle's files; null for an artifact the output setting did not write this cycle. */
export type ArtifactPaths = { snapshot: string | null; histogram: string | null; truth: string; log: string }

/**
 * Which JSON artifacts a cycle writes: `all` (the four-artifact contract, the default for a
 * run of N cycles), `changed` (the truth report always; snapshot and histogram when the
 * verdict changed since the last cycle written, at most once per `report.details_every`
 * blocks), `summary` (the truth report only).
 */
export const ARTIFACT_MODES = ['all', 'changed', 'summary'] as const
export type ArtifactMode = (typeof ARTIFACT_MODES)[number]

/** `20260125_190102_123`: sortable, filesystem-safe, unique per cycle with the suffix. */
export function fileStamp(date: Date, cycle: number): string {
  const iso = date.toISOString()
  return `${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}_${iso.slice(20, 23)}_c${cycle}`
}

/**
 * Writes the cycle's JSON artifacts atomically (temp file, then rename): all three, or the truth
 * report alone; with `snapshotLater` the snapshot's path is returned for the caller to write.
 */
export function writeArtifacts(outputDir: string, stamp: string, artifacts: CycleArtifacts, { details = true, snapshotLater = false }: { details?: boolean; snapshotLater?: boolean } = {}): ArtifactPaths {
  const paths = {
    snapshot: details ? join(outputDir, 'snapshots', `scan_${stamp}.json`) : null,
    histogram: details ? join(outputDir, 'reports', `reject_histogram_${stamp}.json`) : null,
    truth: join(outputDir, 'reports', `truth_report_${stamp}.json`),
    log: join(outputDir, 'scan.log'),
  }
  if (paths.snapshot && !snapshotLater) writeJsonAtomic(paths.snapshot, artifacts.snapshot)
  if (paths.histogram) writeJsonAtomic(paths.histogram, artifacts.histogram)
  writeJsonAtomic(paths.truth, artifacts.truth)
  return paths
}

/**
 * What makes a cycle's snapshot worth writing under `changed`: its opportunity set (by id) and
 * every verdict (each quote's and candidate's code). Figures that drift every block (a net
 * moving with the base fee) do not count: the truth report, written every cycle, carries them.
 */
export function cycleFingerprint(result: Pick<CycleResult, 'opportunities' | 'verdictKey'>, block: number): { opportunities: string; verdicts: string } {
  return { opportunities: `${block === 0}|${result.opportunities.map((o) => o.id).join(',')}`, verdicts: result.verdictKey }
}

/** Writes JSON through a temp file and a rename: a reader never sees half a file; a failed write leaves nothing behind. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeTextAtomic(path, `${JSON.stringify(value, null, 2)}\n`)
}

/** Text through a temp file and a rename, redacted like every output. */
export function writeTextAtomic(path: string, text: string): void {
  const temp = `${path}.tmp-${process.pid}`
  try {
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(temp, redactText(text))
    renameSync(temp, path)
  } catch (error) {
    removeQuietly(temp)
    throw fsError(error, path)
  }
}

type LogExtra = Omit<ScanLogLine, 'ts' | 'level' | 'event' | 'msg'>

/**
 * `scan.log`: NDJSON, one event a line, appended; every line goes through redaction. Debug
 * lines (one per reject) are written only at debug level, a cycle's batch in one write; past
 * `maxBytes` the file rotates (`scan.log.1`, `scan.log.2`), so a run of days stays bounded.
 */
export class ScanLog {
  readonly path: string
  /** Whether debug lines are kept (a caller builds them only then). */
  readonly debug: boolean
  private readonly maxBytes: number
  private size: number

  constructor(outputDir: string, { debug = false, maxBytes = 64 * 1024 * 1024 }: { debug?: boolean; maxBytes?: number } = {}) {
    this.path = join(outputDir, 'scan.log')
    this.debug = debug
    this.maxBytes = maxBytes
    this.size = existsSync(this.path) ? statSync(this.path).size : 0
  }

  write(level: ScanLogLine['level'], event: string, msg: string, extra: LogExtra = {}): void {
    this.writeMany([{ level, event, msg, extra }])
  }

  /** Several lines in one append (debug lines dropped unless the log level is debug). */
  writeMany(lines: { level: ScanLogLine['level']; event: string; msg: string; extra?: LogExtra }[]): void {
    const ts = new Date().toISOString()
    const text = lines
      .filter((line) => line.level !== 'debug' || this.debug)
      .map(({ level, event, msg, extra }) => `${redactText(JSON.stringify({ ts, level, event, msg, ...extra } satisfies ScanLogLine))}\n`)
      .join('')
    if (!text) return
    try {
      if (this.size + text.length > this.maxBytes && this.size > 0) this.rotate()
      appendFileSync(this.path, text)
      this.size += Buffer.byteLength(text)
    } catch (error) {
      throw fsError(error, this.path)
    }
  }

  private rotate(): void {
    if (existsSync(`${this.path}.1`)) renameSync(`${this.path}.1`, `${this.path}.2`)
    renameSync(this.path, `${this.path}.1`)
    this.size = 0
  }
}
