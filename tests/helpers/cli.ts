import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cleanEnv } from '../../gates/_gate.ts'
import { runProcess, spawnProcess, type ChildProcess } from '../../lib/proc.ts'

export const ROOT = new URL('../..', import.meta.url).pathname

export function tempDir(prefix = 'arby-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Runs the CLI as a user would: a subprocess, a minimal env, a timeout. */
export function runCli(args: string[], { env = {}, timeoutMs = 60_000, binary, cwd = ROOT }: { env?: Record<string, string>; timeoutMs?: number; binary?: string; cwd?: string } = {}) {
  const argv = binary ? [binary, ...args] : [process.execPath, 'run', join(ROOT, 'cmd/main.ts'), ...args]
  return runProcess(argv, {
    cwd,
    timeoutMs,
    env: { ...cleanEnv(), ...env },
  })
}

/** The CLI as a running subprocess (for signals), stdout and stderr piped. */
export function spawnCli(args: string[], { env = {}, cwd = ROOT }: { env?: Record<string, string>; cwd?: string } = {}): ChildProcess {
  return spawnProcess([process.execPath, 'run', join(ROOT, 'cmd/main.ts'), ...args], { cwd, env: { ...cleanEnv(), ...env }, stderr: 'pipe' })
}

/** The JSON artifacts of a run directory, newest cycle last (`artifacts: false`: only scan.log). */
export function readRun(dir: string, { artifacts = true } = {}) {
  const list = (sub: string, prefix: string) => !artifacts ? [] :
    readdirSync(join(dir, sub)).filter((f) => f.startsWith(prefix)).sort().map((f) => JSON.parse(readFileSync(join(dir, sub, f), 'utf8')))
  return {
    snapshots: list('snapshots', 'scan_'),
    histograms: list('reports', 'reject_histogram_'),
    truths: list('reports', 'truth_report_'),
    log: readFileSync(join(dir, 'scan.log'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)),
  }
}

/** Every file under a directory, as one text: for greps (secrets must appear nowhere). */
export function allText(dir: string): string {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]))
  return walk(dir).map((f) => readFileSync(f, 'utf8')).join('\n')
}
