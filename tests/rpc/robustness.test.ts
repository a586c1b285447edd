import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import * as v from 'valibot'
import { TruthReport } from '../../lib/contract/truthReport.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { spawnCli, readRun, runCli, tempDir } from '../helpers/cli.ts'
import { configWithRpc } from '../helpers/config.ts'
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from '../helpers/faultProxy.ts'

const FAST = { timeout_ms: 400, retries: 2, backoff_base_ms: 20, cycle_retry_budget_ms: 20_000 }

describe('a scanner is never a stuck process', () => {
  let devnet: Devnet
  const proxies: FaultProxy[] = []
  const proxy = async (options: Omit<FaultProxyOptions, 'upstream'>) => {
    const p = await startFaultProxy({ upstream: devnet.url, ...options })
    proxies.push(p)
    return p
  }
  beforeAll(async () => {
    devnet = await startDevnet()
  })
  afterAll(async () => {
    for (const p of proxies) p.stop()
    await devnet?.stop()
  })

  test.each(['3600', '86400'])('error: a 429 with Retry-After %p s voids the cycle at once and the process exits (exit 3)', async (seconds) => {
    const quota = await proxy({ rates: { rate_limit_retry_after: 1 }, retryAfter: seconds })
    const dir = tempDir()
    const started = performance.now()
    const result = await runCli(['scan', '--mode', 'real', '--config', configWithRpc({ ...FAST, endpoints: [quota.url] }), '--cycles', '2', '--output-dir', dir], { timeoutMs: 30_000 })
    const elapsed = performance.now() - started
    expect(result.exitCode).toBe(3)
    expect(elapsed).toBeLessThan(5_000)
    expect(result.stderr).toContain('INFRA_BLOCK_PIN_FAILED')
    // host:port and why, not a redaction that ate the port.
    expect(result.stderr).toContain(`${quota.url.replace('http://', '')} rate-limited (Retry-After`)
    // The rested endpoint got one request, not one per retry: Retry-After is honoured.
    expect(quota.log.filter((entry) => entry.method === 'eth_chainId' || entry.method === 'eth_blockNumber').length).toBe(1)
    expect(readRun(dir).truths.map((t) => t.current_block)).toEqual([0, 0])
  }, 40_000)

  test('error: an endpoint answering eth_blockNumber with -5 is faulty, not a bug: exit 3 with valid artifacts, never exit 4', async () => {
    const liar = await proxy({ results: { eth_blockNumber: -5 } })
    const dir = tempDir()
    const result = await runCli(['scan', '--mode', 'real', '--config', configWithRpc({ ...FAST, retries: 0, endpoints: [liar.url] }), '--output-dir', dir])
    expect(result.exitCode).toBe(3)
    const truth = v.parse(TruthReport, readRun(dir).truths[0])
    expect(truth.current_block).toBe(0)
    expect(truth.health.rpc.endpoints[0]!.errors.malformed).toBeGreaterThan(0)
    expect(result.stderr).toMatch(/malformed: eth_blockNumber answered -5/)
  })

  test('behavior: a faulty endpoint beside a healthy one: its malformed answers are tried elsewhere, the cycle is whole', async () => {
    const liar = await proxy({ results: { eth_call: 42 } })
    const honest = await proxy({})
    const dir = tempDir()
    const result = await runCli(['scan', '--mode', 'real', '--config', configWithRpc({ ...FAST, endpoints: [liar.url, honest.url] }), '--output-dir', dir])
    expect(result.exitCode).toBe(0)
    const truth = v.parse(TruthReport, readRun(dir).truths[0])
    expect(truth.stats.quotes_fetched).toBeGreaterThan(50)
    expect(readRun(dir).snapshots[0].rejects.filter((r: { code: string }) => r.code === 'INFRA_RPC_ERROR')).toEqual([])
  })

  test.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('behavior: %s while a request hangs: gone within 2 s (exit %p), the cut cycle never written', async (signal, code) => {
    const hangs = await proxy({ rates: { hang: 1 }, faultMethods: ['eth_call'], hangMs: 60_000 })
    const dir = tempDir()
    const child = spawnCli(['scan', '--mode', 'real', '--config', configWithRpc({ ...FAST, timeout_ms: 30_000, endpoints: [hangs.url] }), '--output-dir', dir])
    while (!hangs.log.some((entry) => entry.method === 'eth_call')) await Bun.sleep(20)
    const sent = performance.now()
    child.kill(signal)
    const exitCode = await child.exited
    expect(performance.now() - sent).toBeLessThan(2_000)
    expect(exitCode).toBe(code)
    expect(existsSync(join(dir, 'reports')) ? readdirSync(join(dir, 'reports')) : []).toEqual([])
    const log = readRun(dir, { artifacts: false }).log
    expect(log.some((line) => line.event === 'cycle.abandoned')).toBe(true)
    expect(existsSync(join(dir, '.arby.lock'))).toBe(false)
  })

  test('behavior: CHAIN_MISMATCH ends the process at once, even with an endpoint hanging beside it', async () => {
    const liar = await proxy({ chainId: 1 })
    const started = performance.now()
    const result = await runCli(['scan', '--mode', 'real', '--config', configWithRpc({ ...FAST, timeout_ms: 30_000, endpoints: [liar.url] }), '--output-dir', tempDir()])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('CHAIN_MISMATCH')
    // Process start included (over a second on a loaded CI machine); a lingering process would wait out the 30 s timeout.
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})
