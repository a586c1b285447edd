import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ScanLogLine } from '../contract/scanLog.ts'
import { redactText } from '../redact.ts'
import type { CycleArtifacts } from './build.ts'
import { fsError, removeQuietly } from './outputDir.ts'

export type ArtifactPaths = { snapshot: string; histogram: string; truth: string; log: string }

/** `20260125_190102_123`: sortable, filesystem-safe, unique per cycle with the suffix. */
export function fileStamp(date: Date, cycle: number): string {
  const iso = date.toISOString()
  return `${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}_${iso.slice(20, 23)}_c${cycle}`
}

/** Writes the three JSON artifacts atomically (temp file, then rename). */
export function writeArtifacts(outputDir: string, stamp: string, artifacts: CycleArtifacts): ArtifactPaths {
  const paths = {
    snapshot: join(outputDir, 'snapshots', `scan_${stamp}.json`),
    histogram: join(outputDir, 'reports', `reject_histogram_${stamp}.json`),
    truth: join(outputDir, 'reports', `truth_report_${stamp}.json`),
    log: join(outputDir, 'scan.log'),
  }
  writeJsonAtomic(paths.snapshot, artifacts.snapshot)
  writeJsonAtomic(paths.histogram, artifacts.histogram)
  writeJsonAtomic(paths.truth, artifacts.truth)
  return paths
}

/** Writes JSON through a temp file and a rename: a reader never sees half a file; a failed write leaves nothing behind. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const temp = `${path}.tmp-${process.pid}`
  try {
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(temp, redactText(`${JSON.stringify(value, null, 2)}\n`))
    renameSync(temp, path)
  } catch (error) {
    removeQuietly(temp)
    throw fsError(error, path)
  }
}

/** `scan.log`: NDJSON, one event a line, appended; every line goes through redaction. */
export class ScanLog {
  readonly path: string
  constructor(outputDir: string) {
    this.path = join(outputDir, 'scan.log')
  }

  write(level: ScanLogLine['level'], event: string, msg: string, extra: Omit<ScanLogLine, 'ts' | 'level' | 'event' | 'msg'> = {}): void {
    const line: ScanLogLine = { ts: new Date().toISOString(), level, event, msg, ...extra }
    try {
      appendFileSync(this.path, `${redactText(JSON.stringify(line))}\n`)
    } catch (error) {
      throw fsError(error, this.path)
    }
  }
}
