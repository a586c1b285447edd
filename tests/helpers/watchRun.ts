/**
 * A `scan --devnet --watch --metrics-port 0` subprocess for the monitor and dashboard tests: it
 * waits until the monitor's URL is printed and N cycles are written, and stops it with SIGTERM.
 */
import { spawnCli, tempDir } from './cli.ts'
import { truthReportFiles } from '../../lib/report/outputDir.ts'

export type WatchRun = { url: string; dir: string; stderr: () => string; cycles: () => number; stop(): Promise<number> }

export async function startWatchRun(extra: string[] = [], { cycles = 3, env = {} }: { cycles?: number; env?: Record<string, string> } = {}): Promise<WatchRun> {
  const dir = tempDir()
  const child = spawnCli(['scan', '--devnet', '--watch', '--metrics-port', '0', '-o', dir, ...extra], { env })
  let stderr = ''
  const decoder = new TextDecoder()
  void (async () => {
    for await (const chunk of child.stderr!) stderr += decoder.decode(chunk)
  })()
  void (async () => {
    for await (const _ of child.stdout) { /* paths of truth reports: drained */ }
  })()
  const written = () => truthReportFiles(dir).length
  const deadline = Date.now() + 40_000
  while ((!/metrics at (http:\/\/127\.0\.0\.1:\d+)\/metrics/.test(stderr) || written() < cycles) && Date.now() < deadline) await Bun.sleep(25)
  const url = /metrics at (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(stderr)?.[1]
  if (!url) {
    child.kill('SIGKILL')
    throw new Error(`the watch run never served its monitor:\n${stderr.slice(-2000)}`)
  }
  return {
    url, dir, stderr: () => stderr, cycles: written,
    async stop() {
      child.kill('SIGTERM')
      return child.exited
    },
  }
}

/** Prometheus text format → samples (name, labels, value); comments skipped. */
export function parsePrometheus(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = []
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line)
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`)
    const labels: Record<string, string> = {}
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!
    samples.push({ name: match[1]!, labels, value: Number(match[3]) })
  }
  return samples
}
