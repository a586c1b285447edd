import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanEnv } from '../../gates/_gate.ts'
import { spawnProcess } from '../../lib/proc.ts'
import { ROOT, tempDir } from '../helpers/cli.ts'
import { truthReportFiles } from '../../lib/report/outputDir.ts'

/**
 * `scan --devnet --watch` driven from a real terminal: util-linux `script` gives it a pty, and
 * Ctrl-C is the byte 0x03 typed into that terminal — the line discipline turns it into SIGINT
 * for the terminal's foreground process group, exactly as a user's keyboard does.
 */
function inTerminal(dir: string, { noColor = false }: { noColor?: boolean } = {}) {
  const command = `${process.execPath} run ${join(ROOT, 'cmd/main.ts')} scan --devnet --watch -o ${dir}`
  const { NO_COLOR: _, ...env } = cleanEnv()
  const child = spawnProcess(['script', '-q', '-e', '-c', command, '/dev/null'], { cwd: ROOT, env: { ...env, TERM: 'xterm', ...(noColor && { NO_COLOR: '1' }) }, stdin: 'pipe' })
  let output = ''
  const decoder = new TextDecoder()
  void (async () => {
    for await (const chunk of child.stdout) output += decoder.decode(chunk)
  })()
  return { child, output: () => output }
}

const truths = (dir: string) => truthReportFiles(dir)

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!condition() && Date.now() < deadline) await Bun.sleep(20)
  return condition()
}

describe('watch mode in a terminal', () => {
  test('behavior: Ctrl-C finishes the cycle in progress and exits within a second; the last artifacts are a real cycle; the devnet is gone', async () => {
    const dir = tempDir()
    const { child, output } = inTerminal(dir)
    expect(await until(() => truths(dir).length >= 3, 30_000)).toBe(true)
    const url = /devnet ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1]
    expect(url).toBeDefined()
    const pressed = performance.now()
    child.write('\x03')
    const code = await child.exited
    const took = performance.now() - pressed
    expect(took).toBeLessThan(1_500)
    expect([0, 130]).toContain(code)
    expect(output()).toContain('SIGINT: finishing the current cycle')
    // The last cycle written was read from a live chain: pinned, no infra rejects.
    const last = JSON.parse(readFileSync(join(dir, 'reports', truths(dir).at(-1)!), 'utf8'))
    expect(last.current_block).toBeGreaterThan(0)
    expect(last.health.gate_breakdown.infra).toBe(0)
    const alive = await fetch(url!, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' }).then(() => true, () => false)
    expect(alive).toBe(false)
    const log = readFileSync(join(dir, 'scan.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(log.some((l) => l.event === 'run.stopped' || l.event === 'run.interrupted')).toBe(true)
    // On a terminal the summary is redrawn in place: one screen, cursor home and clear, no scrolling.
    const screens = output().split('\u001B[H\u001B[J').slice(1)
    expect(screens.length).toBeGreaterThanOrEqual(3)
    expect(screens.at(-2)).toMatch(/^ARBY watch · block \d+ \(age [\d.]+ s\) · cycle \d+ in \d+ ms · skipped \d+/)
    expect(screens.at(-2)).toContain('blocks alive')
  }, 60_000)

  test('behavior: NO_COLOR on a terminal: no escape sequence at all, one plain line per cycle', async () => {
    const dir = tempDir()
    const { child, output } = inTerminal(dir, { noColor: true })
    expect(await until(() => truths(dir).length >= 3, 30_000)).toBe(true)
    child.write('\x03')
    await child.exited
    expect(output().includes('\u001B[')).toBe(false)
    expect(output()).toMatch(/block \d+ · cycle 2 · \d+ ms · skipped \d+ · quotes 105\/108 · opportunities \d+/)
  }, 60_000)

  test('behavior: a second Ctrl-C stops at once', async () => {
    const dir = tempDir()
    const { child } = inTerminal(dir)
    expect(await until(() => truths(dir).length >= 1, 30_000)).toBe(true)
    child.write('\x03')
    await Bun.sleep(30)
    const second = performance.now()
    child.write('\x03')
    const code = await child.exited
    expect(performance.now() - second).toBeLessThan(700)
    expect([0, 130]).toContain(code)
  }, 60_000)
})
