import { describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
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

/** A parent that starts the devnet, prints anvil's pid, then dies the way `ending` says. */
async function parentThatDies(ending: 'throw' | 'exit' | 'hang'): Promise<{ anvilPid: number; parent: ReturnType<typeof spawnProcess> }> {
  const script = join(tempDir(), 'parent.ts')
  writeFileSync(script, `
    import { startAnvil } from '${ROOT}lib/devnet/anvil.ts'
    const anvil = await startAnvil(['--chain-id', '42161'])
    console.log('ANVIL', anvil.pid)
    ${ending === 'throw' ? "setTimeout(() => { throw new Error('crash') }, 50)" : ending === 'exit' ? 'setTimeout(() => process.exit(7), 50)' : 'setInterval(() => {}, 1000)'}
  `)
  const parent = spawnProcess([process.execPath, 'run', script])
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
  test.each(['throw', 'exit'] as const)('behavior: parent ends by %s', async (ending) => {
    const { anvilPid, parent } = await parentThatDies(ending)
    await parent.exited
    expect(await gone(anvilPid)).toBe(true)
  })

  test.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)('behavior: parent killed with %s', async (signal) => {
    const { anvilPid, parent } = await parentThatDies('hang')
    expect(alive(anvilPid)).toBe(true)
    parent.kill(signal)
    await parent.exited
    expect(await gone(anvilPid)).toBe(true)
  })
})
