import { describe, expect, test } from 'bun:test'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAnvil } from '../../lib/devnet/anvil.ts'
import { spawnProcess } from '../../lib/proc.ts'
import { ROOT, tempDir } from '../helpers/cli.ts'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function gone(pid: number, withinMs = 3000): Promise<boolean> {
  const deadline = Date.now() + withinMs
  while (Date.now() < deadline) {
    if (!alive(pid)) return true
    await Bun.sleep(50)
  }
  return !alive(pid)
}

/**
 * A parent that starts the devnet, prints anvil's pid, then dies the way `ending` says.
 * `watchdog: false` slows the watchdog's poll to a minute, so only the parent's own exit hooks
 * can stop anvil in time (each safety net is tested on its own).
 */
async function parentThatDies(ending: 'throw' | 'exit' | 'hang', { watchdog = true } = {}): Promise<{ anvilPid: number; parent: ReturnType<typeof spawnProcess> }> {
  const script = join(tempDir(), 'parent.ts')
  writeFileSync(script, `
    import { startAnvil } from '${ROOT}lib/devnet/anvil.ts'
    const anvil = await startAnvil(['--chain-id', '42161'])
    console.log('ANVIL', anvil.pid)
    ${ending === 'throw' ? "setTimeout(() => { throw new Error('crash') }, 50)" : ending === 'exit' ? 'setTimeout(() => process.exit(7), 50)' : 'setInterval(() => {}, 1000)'}
  `)
  const parent = spawnProcess([process.execPath, 'run', script], { env: { ...(process.env as Record<string, string>), ...(!watchdog && { ARBY_WATCHDOG_POLL_S: '60' }) } })
  const reader = parent.stdout.getReader()
  let text = ''
  while (!/ANVIL (\d+)/.test(text)) {
    const { value, done } = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
  }
  const anvilPid = Number(text.match(/ANVIL (\d+)/)?.[1])
  expect(anvilPid).toBeGreaterThan(0)
  return { anvilPid, parent }
}

describe('anvil never outlives its parent', () => {
  test.each(['throw', 'exit'] as const)('behavior: parent ends by %s: its exit hook stops anvil (watchdog slowed to a minute)', async (ending) => {
    const { anvilPid, parent } = await parentThatDies(ending, { watchdog: false })
    await parent.exited
    expect(await gone(anvilPid)).toBe(true)
  })

  test.each(['SIGTERM', 'SIGINT'] as const)('behavior: parent killed with %s: its signal handler stops anvil (watchdog slowed to a minute)', async (signal) => {
    const { anvilPid, parent } = await parentThatDies('hang', { watchdog: false })
    expect(alive(anvilPid)).toBe(true)
    parent.kill(signal)
    await parent.exited
    expect(await gone(anvilPid)).toBe(true)
  })

  test('behavior: parent killed with SIGKILL (no hook can run): the watchdog stops anvil', async () => {
    const { anvilPid, parent } = await parentThatDies('hang')
    expect(alive(anvilPid)).toBe(true)
    parent.kill('SIGKILL')
    await parent.exited
    expect(await gone(anvilPid)).toBe(true)
  })

  test('behavior: anvil runs in its own session: a terminal\'s Ctrl-C (SIGINT to the foreground group) does not reach it', async () => {
    const { anvilPid, parent } = await parentThatDies('hang')
    const sid = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[3])
    expect(sid(anvilPid)).not.toBe(sid(parent.pid))
    parent.kill('SIGKILL')
    await parent.exited
    expect(await gone(anvilPid)).toBe(true)
  })

  test('behavior: anvil spills state under a home of its own, removed when it stops (anvil leaves its own behind: a large market left tens of GB in ~/.foundry)', async () => {
    const anvil = await startAnvil(['--chain-id', '42161'])
    const home = readFileSync(`/proc/${anvil.pid}/environ`, 'utf8').split('\0').find((entry) => entry.startsWith('HOME='))!.slice(5)
    expect(home).toStartWith(join(tmpdir(), 'arby-anvil-home-'))
    expect(existsSync(home)).toBe(true)
    await anvil.stop()
    expect(existsSync(home)).toBe(false)
  })
})
