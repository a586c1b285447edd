import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import * as v from 'valibot'
import { TruthReport } from '../../lib/contract/truthReport.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { spawnProcess } from '../../lib/proc.ts'
import { readRun, ROOT, tempDir } from '../helpers/cli.ts'
import { configWithRpc } from '../helpers/config.ts'
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.ts'
import { truthReportFiles } from '../../lib/report/outputDir.ts'

function cyclesWritten(dir: string): number {
  return truthReportFiles(dir).length
}

describe('scan --watch', () => {
  let devnet: Devnet
  let steady: FaultProxy
  let flaky: FaultProxy

  beforeAll(async () => {
    devnet = await startDevnet()
    steady = await startFaultProxy({ upstream: devnet.url })
    flaky = await startFaultProxy({ upstream: devnet.url })
  })
  afterAll(async () => {
    steady.stop()
    flaky.stop()
    await devnet?.stop()
  })

  test('behavior: one cycle per new block; an endpoint that dies is dropped and picked back up; Ctrl-C finishes the cycle and exits 0', async () => {
    const dir = tempDir()
    const config = configWithRpc({ endpoints: [steady.url, flaky.url], timeout_ms: 400, retries: 2, backoff_base_ms: 20, rate_limit_rps: 500 })
    const child = spawnProcess([process.execPath, 'run', join(ROOT, 'cmd/main.ts'), 'scan', '--mode', 'real', '--watch', '--config', config, '--output-dir', dir, '--quiet'], {
      cwd: ROOT, env: { PATH: process.env.PATH!, NO_COLOR: '1' },
    })
    void new Response(child.stdout).text()
    const waitFor = async (n: number) => {
      const deadline = Date.now() + 20_000
      while (cyclesWritten(dir) < n && Date.now() < deadline) {
        await devnet.client.mine({ blocks: 1 })
        await Bun.sleep(150)
      }
      expect(cyclesWritten(dir)).toBeGreaterThanOrEqual(n)
    }
    await waitFor(2)
    flaky.setDead(true)
    await waitFor(cyclesWritten(dir) + 2)
    flaky.setDead(false)
    await waitFor(cyclesWritten(dir) + 2)
    child.kill('SIGINT')
    expect(await child.exited).toBe(0)

    const truths = readRun(dir).truths.map((t) => v.parse(TruthReport, t))
    const blocks = truths.map((t) => t.current_block)
    expect(blocks.every((b, i) => i === 0 || b > blocks[i - 1]!)).toBe(true) // a new block each cycle
    const flakyStatus = truths.map((t) => t.health.rpc.endpoints[1]!.status)
    const firstDown = flakyStatus.indexOf('down')
    expect(firstDown).toBeGreaterThan(0)
    expect(flakyStatus.slice(firstDown).includes('active')).toBe(true) // picked back up
    expect(truths.every((t) => t.stats.quotes_fetched > 0)).toBe(true)
    const leftovers = readdirSync(join(dir, 'reports')).filter((f) => f.includes('.tmp'))
    expect(leftovers).toEqual([])
    expect(readRun(dir).log.some((line) => line.event === 'run.stopped')).toBe(true)
  }, 60_000)
})
