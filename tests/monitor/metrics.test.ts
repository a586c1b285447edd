import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REJECT_CODES } from '../../lib/contract/rejectCodes.ts'
import { LiveState } from '../../lib/monitor/live.ts'
import { ScanMetrics } from '../../lib/monitor/metrics.ts'
import { startMonitor } from '../../lib/monitor/server.ts'
import { parsePrometheus, startWatchRun, type WatchRun } from '../helpers/watchRun.ts'
import { truthReportFiles } from '../../lib/report/outputDir.ts'

describe('the operator\'s port during a watch run', () => {
  let run: WatchRun
  beforeAll(async () => {
    run = await startWatchRun()
  }, 60_000)
  afterAll(async () => {
    await run?.stop()
  })

  test('behavior: /metrics is Prometheus text with the scanner\'s counters, consistent with the artifacts', async () => {
    const response = await fetch(`${run.url}/metrics`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/plain')
    const samples = parsePrometheus(await response.text())
    const value = (name: string, labels: Record<string, string> = {}) => samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0)
    const cycles = value('arby_cycles_total', { result: 'pinned' })
    expect(cycles).toBeGreaterThanOrEqual(3)
    expect(value('arby_cycles_total', { result: 'void' })).toBe(0)
    expect(value('arby_cycle_duration_seconds_count')).toBe(cycles + value('arby_cycles_total', { result: 'void' }))
    for (const stage of ['read', 'evaluate', 'write']) expect(value('arby_stage_duration_seconds_count', { stage })).toBe(cycles)
    // The devnet answers every quote: 108 per cycle, by quoter and result.
    expect(value('arby_quotes_total')).toBe(108 * cycles)
    for (const s of samples.filter((x) => x.name === 'arby_rejects_total')) expect(REJECT_CODES).toContain(s.labels.code as never)
    expect(value('arby_pinned_block')).toBeGreaterThan(350_000_000)
    expect(value('arby_opportunities')).toBeGreaterThan(0)
    expect(value('arby_best_net_profit_usd')).toBeGreaterThan(0)
    const endpoints = samples.filter((s) => s.name === 'arby_rpc_requests_total').map((s) => s.labels.endpoint)
    expect(endpoints.length).toBe(1)
    expect(endpoints[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(value('arby_rpc_requests_total')).toBeGreaterThan(0)
    expect(samples.some((s) => s.name === 'arby_process_resident_memory_bytes')).toBe(true)
  })

  test('behavior: /healthz is 200 with the pinned block while cycles come; /api/latest and /api/history match the artifacts', async () => {
    const health = await fetch(`${run.url}/healthz`)
    expect(health.status).toBe(200)
    const body = await health.json() as { status: string; block: number; since_last_cycle_s: number }
    expect(body.status).toBe('ok')
    expect(body.block).toBeGreaterThan(350_000_000)
    expect(body.since_last_cycle_s).toBeLessThan(5)
    const latest = await (await fetch(`${run.url}/api/latest`)).json() as { latest: { block: number; cycle: number }; totals: { cycles: number } }
    const truths = truthReportFiles(run.dir)
    const cycles = truths.map((f) => JSON.parse(readFileSync(join(run.dir, 'reports', f), 'utf8'))).map((t) => [t.cycle, t.current_block])
    expect(cycles).toContainEqual([latest.latest.cycle, latest.latest.block])
    const history = await (await fetch(`${run.url}/api/history`)).json() as { cycle: number }[]
    expect(history.length).toBeGreaterThanOrEqual(3)
    expect(history.map((h) => h.cycle)).toEqual([...history.map((h) => h.cycle)].sort((a, b) => a - b))
    expect((await fetch(`${run.url}/nope`)).status).toBe(404)
  })

  test('behavior: /api/events pushes one event per cycle', async () => {
    const response = await fetch(`${run.url}/api/events`)
    const reader = response.body!.getReader()
    let text = ''
    const decoder = new TextDecoder()
    const deadline = Date.now() + 10_000
    while (!text.includes('event: cycle') && Date.now() < deadline) text += decoder.decode((await reader.read()).value)
    await reader.cancel()
    const data = JSON.parse(/data: (.*)\n/.exec(text)![1]!) as { block: number }
    expect(data.block).toBeGreaterThan(350_000_000)
  })
})

describe('health without cycles', () => {
  test('error: /healthz is 503 before any cycle, and once cycles stop coming (stale); a stopped monitor refuses', async () => {
    const metrics = new ScanMetrics({ processMetrics: false })
    const monitor = startMonitor({ port: 0, metrics, live: new LiveState(), staleAfterS: 30 })
    try {
      const before = await fetch(`${monitor.url}/healthz`)
      expect([before.status, (await before.json() as { status: string }).status]).toEqual([503, 'stale'])
      metrics.last = { endedMs: Date.now() - 31_000, block: 7, blockTimestamp: Math.floor(Date.now() / 1000) - 40 }
      const stale = await fetch(`${monitor.url}/healthz`)
      expect(stale.status).toBe(503)
      expect(await stale.json()).toMatchObject({ status: 'stale', block: 7 })
      metrics.last = { endedMs: Date.now(), block: 8, blockTimestamp: Math.floor(Date.now() / 1000) }
      expect((await fetch(`${monitor.url}/healthz`)).status).toBe(200)
      expect((await fetch(`${monitor.url}/metrics`, { method: 'POST' })).status).toBe(405)
    } finally {
      monitor.stop()
    }
    expect(await fetch(`${monitor.url}/healthz`).then(() => 'answered', () => 'refused')).toBe('refused')
  })
})
