import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cleanEnv } from '../../gates/_gate.ts'
import { runProcess, spawnProcess, type ChildProcess } from '../../lib/proc.ts'

export const ROOT = new URL('../..', import.meta.url).pathname

const made: string[] = []

/** A fresh directory under the system temp dir, removed when the test file ends (see tests/preload.ts). */
export function tempDir(prefix = 'arby-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** Removes every directory `tempDir` made (mounts inside are left to their tests). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true })
    } catch {
      // a mount point still in use: its test unmounts it
    }
  }
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
