import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import * as v from 'valibot'
import { RejectHistogram } from '../../lib/contract/rejectHistogram.ts'
import { ScanLogLine } from '../../lib/contract/scanLog.ts'
import { ScanSnapshot } from '../../lib/contract/scanSnapshot.ts'
import { TruthReport } from '../../lib/contract/truthReport.ts'
import { scanJob } from '../../lib/scan/scanJob.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { redactUrl } from '../../lib/redact.ts'
import { allText, readRun, runCli, tempDir } from '../helpers/cli.ts'
import { configWithRpc } from '../helpers/config.ts'
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.ts'

const FAST = { timeout_ms: 400, retries: 3, backoff_base_ms: 20, rate_limit_rps: 500, cycle_retry_budget_ms: 20_000 }
const SECRET = 'sEcReTkEy0123456789'


describe('REAL scan through failing RPCs', () => {
  let devnet: Devnet
  const proxies: FaultProxy[] = []
  const proxy = async (options: Omit<Parameters<typeof startFaultProxy>[0], 'upstream'>) => {
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

  test('behavior: dead + 30%-faulty + wrong-chain endpoints: 20 cycles, all valid, no key anywhere, exit 0', async () => {
    const dead = await proxy({ dead: true })
    const faulty = await proxy({
      seed: 7,
      hangMs: 1500,
      rates: { rate_limit: 0.05, rate_limit_retry_after: 0.05, server: 0.06, hang: 0.03, drop: 0.04, truncated: 0.04, rpc_error: 0.03 },
    })
    const liar = await proxy({ chainId: 1 })
    const urls = [`${dead.url}/v2/${SECRET}`, `${faulty.url}/v2/${SECRET}?key=${SECRET}`, liar.url]
    const config = configWithRpc({ ...FAST, endpoints: urls })
    const dir = tempDir()
    const result = await runCli(['scan', '--mode', 'real', '--config', config, '--cycles', '20', '--output-dir', dir], { timeoutMs: 180_000 })
    expect(result.exitCode).toBe(0)

    const run = readRun(dir)
    expect(run.snapshots).toHaveLength(20)
    for (let i = 0; i < 20; i++) {
      const snapshot = v.parse(ScanSnapshot, run.snapshots[i])
      const truth = v.parse(TruthReport, run.truths[i])
      v.parse(RejectHistogram, run.histograms[i])
      expect(snapshot.current_block).toBeGreaterThan(0)
      expect(truth.stats.quotes_fetched).toBeGreaterThanOrEqual(1)
      expect(truth.health.rpc.endpoints.map((e) => [e.endpoint, e.status])).toEqual([
        [redactUrl(urls[0]!), 'down'], [redactUrl(urls[1]!), 'active'], [redactUrl(urls[2]!), 'wrong_chain'],
      ])
    }
    for (const line of run.log) v.parse(ScanLogLine, line)
    // On the wire: every read any endpoint received named one of the cycles' pinned blocks.
    const pins = new Set(run.truths.map((t: { current_block: number }) => `0x${t.current_block.toString(16)}`))
    const reads = [dead, faulty, liar].flatMap((p) => p.log).filter((entry) => entry.block !== null)
    expect(reads.length).toBeGreaterThan(20)
    expect(reads.filter((entry) => !pins.has(entry.block!))).toEqual([])
    // Faults were really injected and really survived.
    expect(faulty.log.filter((entry) => entry.fault !== null).length).toBeGreaterThan(10)
    const totals = run.truths.map((t: v.InferOutput<typeof TruthReport>) => t.health.rpc.endpoints[1]!)
    expect(totals.reduce((n, e) => n + e.retries, 0)).toBeGreaterThan(0)
    expect(result.stderr).toContain('is on chain 1, not 42161: dropped')
    for (const text of [allText(dir), result.stderr, result.stdout]) expect(text).not.toContain(SECRET)
  }, 180_000)

  test('behavior: an ALCHEMY_API_KEY endpoint is used first and its key appears nowhere', async () => {
    const keyed = await proxy({})
    const fallbackDead = await proxy({ dead: true })
    const dir = tempDir()
    const config = configWithRpc({ ...FAST, endpoints: [fallbackDead.url], alchemy_url_template: `${keyed.url}/v2/{key}` })
    const result = await runCli(['scan', '--mode', 'real', '--config', config, '--output-dir', dir, '--json'], { env: { ALCHEMY_API_KEY: SECRET } })
    expect(result.exitCode).toBe(0)
    const truth = v.parse(TruthReport, JSON.parse(result.stdout))
    expect(truth.health.rpc.endpoints[0]).toMatchObject({ endpoint: `${keyed.url}/***`, status: 'active' })
    expect(keyed.log.some((entry) => entry.method === 'eth_call')).toBe(true)
    for (const text of [allText(dir), result.stderr, result.stdout]) expect(text).not.toContain(SECRET)
  })

  test('behavior: an endpoint that hangs does not hold the pin: each cycle goes on without it', async () => {
    const hanging = await proxy({ rates: { hang: 1 }, hangMs: 8000 })
    const honest = await proxy({})
    const dir = tempDir()
    const started = performance.now()
    const config = configWithRpc({ ...FAST, timeout_ms: 5000, endpoints: [hanging.url, honest.url] })
    const result = await runCli(['scan', '--mode', 'real', '--config', config, '--cycles', '3', '--output-dir', dir])
    expect(result.exitCode).toBe(0)
    // Three cycles well inside one 5 s timeout: the hanging endpoint never blocked one.
    expect(performance.now() - started).toBeLessThan(5000)
    const truths = readRun(dir).truths.map((t) => v.parse(TruthReport, t))
    expect(truths.map((t) => t.health.rpc.endpoints[0]!.status)).toEqual(['down', 'down', 'down'])
    expect(truths.every((t) => t.stats.quotes_fetched > 0)).toBe(true)
  })

  test('error: all endpoints dead: INFRA_BLOCK_PIN_FAILED in valid artifacts, exit 3', async () => {
    const a = await proxy({ dead: true })
    const b = await proxy({ rates: { server: 1 } })
    const dir = tempDir()
    const result = await runCli(['scan', '--mode', 'real', '--config', configWithRpc({ ...FAST, cycle_retry_budget_ms: 1500, endpoints: [a.url, b.url] }), '--output-dir', dir])
    expect(result.exitCode).toBe(3)
    const run = readRun(dir)
    const truth = v.parse(TruthReport, run.truths[0])
    expect(truth.current_block).toBe(0)
    expect(truth.health.gate_breakdown.infra).toBe(1)
    expect(v.parse(ScanSnapshot, run.snapshots[0]).rejects[0]!.code).toBe('INFRA_BLOCK_PIN_FAILED')
  })

  test.each([[1, 4], [3, 6]])('behavior: the per-endpoint rate limit holds with burst %p: never more than rate + burst − 1 = %p requests in any second', async (burst, most) => {
    const limited = await proxy({})
    const config = configWithRpc({ ...FAST, rate_limit_rps: 4, burst, throttle_loopback: true, endpoints: [limited.url] })
    const result = await runCli(['scan', '--mode', 'real', '--config', config, '--output-dir', tempDir()])
    expect(result.exitCode).toBe(0)
    const times = limited.log.map((entry) => entry.at)
    expect(times.length).toBeGreaterThan(5)
    // Arrival times carry the network's jitter: the window is the second less 50 ms of it (grant times are tested exactly in tokenBucket.test.ts).
    const windows = times.map((start) => times.filter((t) => t >= start && t < start + 950).length)
    expect(Math.max(...windows)).toBeLessThanOrEqual(most)
    // The burst is used: the first `burst` requests go out back to back.
    if (burst > 1) expect(times[burst - 1]! - times[0]!).toBeLessThan(150)
  }, 60_000)

  test('behavior: a loopback endpoint is not rate-limited by default (a local node has no quota)', async () => {
    const local = await proxy({})
    const dir = tempDir()
    const result = await runCli(['scan', '--mode', 'real', '--config', configWithRpc({ ...FAST, rate_limit_rps: 1, endpoints: [local.url] }), '--output-dir', dir])
    expect(result.exitCode).toBe(0)
    const truth = v.parse(TruthReport, readRun(dir).truths[0])
    expect(truth.health.rpc.endpoints[0]!.rate_limit_waits).toBe(0)
    // At 1 request per second this cycle's requests would take seconds; unthrottled they take well under one.
    const times = local.log.map((entry) => entry.at)
    expect(times.length).toBeGreaterThan(3)
    expect(times[times.length - 1]! - times[0]!).toBeLessThan(1000)
  }, 60_000)

  test('behavior: a lagging endpoint is benched and never serves a read of the cycle', async () => {
    await devnet.client.mine({ blocks: 5 })
    const honest = await proxy({})
    const lagging = await proxy({ lagBlocks: 3 })
    const dir = tempDir()
    const result = await runCli(['scan', '--mode', 'real', '--config', configWithRpc({ ...FAST, endpoints: [lagging.url, honest.url] }), '--output-dir', dir])
    expect(result.exitCode).toBe(0)
    const truth = v.parse(TruthReport, readRun(dir).truths[0])
    const snapshot = v.parse(ScanSnapshot, readRun(dir).snapshots[0])
    expect(truth.health.rpc.endpoints.find((e) => e.endpoint === lagging.url)!.status).toBe('lagging')
    expect(lagging.log.filter((entry) => entry.method === 'eth_call' || entry.method === 'eth_getBlockByNumber')).toHaveLength(0)
    const pin = `0x${snapshot.current_block.toString(16)}`
    const reads = honest.log.filter((entry) => entry.block !== null)
    expect(reads.length).toBeGreaterThan(0)
    expect(reads.every((entry) => entry.block === pin)).toBe(true)
    expect(snapshot.current_block).toBe(Number(await devnet.client.getBlockNumber()))
  })

  test.each([[-32602, 'permanent: sent once'], [-32603, 'transient: retried']] as const)('behavior: eth_call answering %p (%s)', async (code) => {
    const failing = await proxy({ rates: { rpc_error: 1 }, faultMethods: ['eth_call'], rpcErrorCode: code })
    const dir = tempDir()
    const result = await runCli(['scan', '--mode', 'real', '--config', configWithRpc({ ...FAST, cycle_retry_budget_ms: 1500, endpoints: [failing.url] }), '--output-dir', dir])
    expect(result.exitCode).toBe(0)
    const calls = failing.log.filter((entry) => entry.method === 'eth_call')
    expect(calls.length).toBeGreaterThan(0)
    const distinct = new Set(calls.map((entry) => entry.params)).size
    if (code === -32602) expect(distinct).toBe(calls.length)
    else expect(calls.length).toBeGreaterThan(distinct)
    const snapshot = v.parse(ScanSnapshot, readRun(dir).snapshots[0])
    expect(snapshot.rejects.length).toBeGreaterThan(0)
    expect(new Set(snapshot.rejects.map((r) => r.code))).toEqual(new Set(['INFRA_RPC_ERROR']))
  })

  test('behavior: a run mixing a void cycle and a pinned one ends normally (exit 0 path); only a run where no cycle pinned is exit 3', async () => {
    const flaky = await proxy({ dead: true })
    const dir = tempDir()
    const result = await scanJob({
      mode: 'real', configPath: configWithRpc({ ...FAST, cycle_retry_budget_ms: 800, endpoints: [flaky.url] }), cycles: 2, watch: false,
      outputDir: dir, rpc: [], devnet: false, onCycle: () => flaky.setDead(false),
    })
    expect(result.outcomes.map((o) => o.artifacts.truth.current_block > 0)).toEqual([false, true])
    const truths = readRun(dir).truths.map((t) => v.parse(TruthReport, t))
    expect(truths.map((t) => t.health.gate_breakdown.infra)).toEqual([1, 0])
    expect(truths[1]!.current_block).toBe(Number(await devnet.client.getBlockNumber()))
  })
})
