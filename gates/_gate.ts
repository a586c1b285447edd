import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as v from 'valibot'
import { RejectHistogram } from '../lib/contract/rejectHistogram.ts'
import type { RunMode } from '../lib/contract/primitives.ts'
import { ScanLogLine } from '../lib/contract/scanLog.ts'
import { ScanSnapshot } from '../lib/contract/scanSnapshot.ts'
import { TruthReport } from '../lib/contract/truthReport.ts'
import { runInherited, runProcess } from '../lib/proc.ts'
import { lastM4, seedM3, seedM4, type RawRun } from './original.ts'

export type Check = { ok: boolean; label: string }

/** Prints ✓/✗ lines as they come (✅/❌ for a step) and remembers whether all passed. */
export class Report {
  readonly checks: Check[] = []
  ok(label: string): void { this.add(true, label) }
  fail(label: string): void { this.add(false, label) }
  expect(condition: boolean, label: string): boolean { this.add(condition, label); return condition }
  /** A step's verdict line, as the seed's gates print them ("✅ M4 invariants satisfied"). */
  step(condition: boolean, passed: string, failed: string): boolean { this.add(condition, condition ? passed : failed, true); return condition }
  get passed(): boolean { return this.checks.every((c) => c.ok) }
  /** How many checks have been recorded so far (to judge a step by the checks it added). */
  get size(): number { return this.checks.length }
  allSince(start: number): boolean { return this.checks.slice(start).every((c) => c.ok) }
  private add(ok: boolean, label: string, step = false): void {
    this.checks.push({ ok, label })
    console.log(`${step ? (ok ? '✅' : '❌') : ok ? '✓' : '✗'} ${label}`)
  }
}

export function banner(title: string): void {
  console.log('='.repeat(60))
  console.log(`  ${title}`)
  console.log('='.repeat(60))
}

/** A clean, minimal environment for the CLI subprocess: no keys, no RPC overrides, no colors. */
export function cleanEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', CONSOLA_LEVEL: '3' }
}

/** `bun test` as a subprocess; its own output streams through. */
export async function runUnitTests(report: Report): Promise<void> {
  const code = await runInherited([process.execPath, 'test', '--timeout', '60000'])
  report.step(code === 0, 'Unit Tests (bun test) PASSED', `Unit Tests (bun test) FAILED (exit ${code})`)
}

/** Runs the CLI's scan in a subprocess with a clean env and a timeout. */
export async function runScan(report: Report, label: string, args: string[], timeoutMs = 120_000, binary?: string): Promise<boolean> {
  const argv = binary ? [binary, 'scan', ...args] : [process.execPath, 'run', 'cmd/main.ts', 'scan', ...args]
  const result = await runProcess(argv, { env: cleanEnv(), timeoutMs })
  if (report.step(result.exitCode === 0, `${label} PASSED`, `${label} FAILED (exit ${result.exitCode}${result.timedOut ? ', timed out' : ''})`)) return true
  process.stderr.write(result.stderr.split('\n').slice(-15).join('\n'))
  return false
}

export type Invariants = { runMode: RunMode; minQuotesFetched: number }

function newest(dir: string, prefix: string): string | null {
  if (!existsSync(dir)) return null
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.json')).sort()
  return files.length ? join(dir, files[files.length - 1]!) : null
}

function parseFile<T>(report: Report, schema: v.GenericSchema<unknown, T>, path: string, name: string): T | null {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    report.fail(`${name}: not JSON (${(error as Error).message})`)
    return null
  }
  const result = v.safeParse(schema, json)
  if (result.success) return result.output
  report.fail(`${name}: schema violation: ${result.issues.slice(0, 3).map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`).join('; ')}`)
  return null
}

/**
 * Checks a run directory: the 4 artifacts exist and validate against the CLI's own schemas,
 * the newest cycle satisfies the milestone's invariants (printed as the seed's status document
 * shows them), then ARBY's own checks, then the original arbybot's gate checks on the raw JSON.
 */
export function checkArtifacts(report: Report, dir: string, invariants: Invariants): void {
  const paths = {
    snapshot: newest(join(dir, 'snapshots'), 'scan_'),
    histogram: newest(join(dir, 'reports'), 'reject_histogram_'),
    truth: newest(join(dir, 'reports'), 'truth_report_'),
    log: existsSync(join(dir, 'scan.log')) ? join(dir, 'scan.log') : null,
  }
  const names = { snapshot: 'scan_*.json', histogram: 'reject_histogram_*.json', truth: 'truth_report_*.json', log: 'scan.log' }
  for (const key of Object.keys(paths) as (keyof typeof paths)[]) {
    if (paths[key]) report.ok(`Found: ${names[key]}`)
    else report.fail(`Missing: ${names[key]}`)
  }
  const snapshot = paths.snapshot ? parseFile(report, ScanSnapshot, paths.snapshot, names.snapshot) : null
  const histogram = paths.histogram ? parseFile(report, RejectHistogram, paths.histogram, names.histogram) : null
  const truth = paths.truth ? parseFile(report, TruthReport, paths.truth, names.truth) : null
  let logOk = false
  if (paths.log) {
    const lines = readFileSync(paths.log, 'utf8').split('\n').filter(Boolean)
    const bad = lines.findIndex((line) => { try { return !v.safeParse(ScanLogLine, JSON.parse(line)).success } catch { return true } })
    logOk = lines.length > 0 && bad === -1
    if (!logOk) report.fail(bad === -1 ? 'scan.log: empty' : `scan.log: line ${bad + 1} breaks the line schema`)
  }
  if (!report.step(!!(snapshot && histogram && truth && logOk), 'All 4 artifacts present and valid', 'Artifacts incomplete or invalid') || !snapshot || !histogram || !truth) return

  const real = invariants.runMode === 'REGISTRY_REAL'
  const milestone = real ? 'M4' : 'M3'
  const start = report.size
  report.expect(truth.run_mode === invariants.runMode, `run_mode: ${truth.run_mode}`)
  report.expect(truth.schema_version === '3.0.0', `schema_version: ${truth.schema_version}`)
  report.expect(snapshot.current_block > 0 && truth.current_block === snapshot.current_block, `current_block: ${snapshot.current_block} (pinned)`)
  report.expect(truth.stats.quotes_fetched >= invariants.minQuotesFetched, `quotes_fetched: ${truth.stats.quotes_fetched} (>= ${invariants.minQuotesFetched} required)`)
  report.expect(truth.stats.execution_ready_count === 0, `execution_ready_count: ${truth.stats.execution_ready_count} (${milestone}: execution disabled)`)
  report.step(report.allSince(start), `${milestone} invariants satisfied`, `${milestone} invariants violated`)

  const blocker = real ? 'EXECUTION_DISABLED_M4' : 'SMOKE_MODE_NO_EXECUTION'
  const arby = report.size
  report.expect(
    snapshot.opportunities.every((o) => !o.is_execution_ready && o.execution_blockers.includes(blocker)) && truth.execution_blocker === blocker,
    `every opportunity blocked: ${snapshot.opportunities.length} carry ${blocker}`,
  )
  const bucketSum = Object.values(truth.health.gate_breakdown).reduce((a, b) => a + b, 0)
  report.expect(
    bucketSum === snapshot.rejects.length && histogram.total === snapshot.rejects.length,
    `rejects add up: gate_breakdown ${bucketSum} = histogram ${histogram.total} = snapshot ${snapshot.rejects.length}`,
  )
  report.step(report.allSince(arby), 'ARBY invariants satisfied', 'ARBY invariants violated')

  const raw: RawRun = { snapshot: readJson(paths.snapshot!), histogram: readJson(paths.histogram!), truth: readJson(paths.truth!) }
  const original = report.size
  seedM3(report, raw)
  if (real) {
    seedM4(report, raw)
    lastM4(report, raw)
  }
  report.step(report.allSince(original), 'arbybot\'s own gate checks pass on ARBY\'s artifacts', 'arbybot\'s own gate checks fail on ARBY\'s artifacts')
}

function readJson(path: string): Record<string, any> {
  return JSON.parse(readFileSync(path, 'utf8'))
}

export function finish(report: Report, title: string): never {
  const passed = report.checks.filter((c) => c.ok).length
  const failed = report.checks.length - passed
  console.log('='.repeat(60))
  console.log(`  ${report.passed ? '✅' : '❌'} ${title} ${report.passed ? 'PASSED' : 'FAILED'}`)
  console.log('='.repeat(60))
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(report.passed ? 0 : 1)
}
