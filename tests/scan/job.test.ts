import { describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../../lib/config/load.ts'
import { fixtureSource } from '../../lib/scan/fixtureSource.ts'
import { runCycles, type CycleSource, type ExecutionStep } from '../../lib/scan/run.ts'
import { scanJob } from '../../lib/scan/scanJob.ts'
import type { CycleInput } from '../../lib/scan/types.ts'
import { Retention } from '../../lib/report/retention.ts'
import { ScanLog } from '../../lib/report/write.ts'
import { OpportunityLedger } from '../../lib/report/ledger.ts'
import { readRun, tempDir } from '../helpers/cli.ts'
import { configWithRpc } from '../helpers/config.ts'
import { captureLog } from '../helpers/logs.ts'
import { freshStateMeta } from '../../lib/devnet/state.ts'
import { cycleInput, wethUsdcMarket } from './fixtures.ts'

const smokeConfig = loadConfig(new URL('../../config/smoke.yaml', import.meta.url).pathname)
const fixturePath = new URL('../../config/fixtures/smoke_quotes.json', import.meta.url).pathname
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8'))

/** A source that replays given inputs, one per cycle, and records what it was asked. */
function scripted(inputs: CycleInput[], onRead?: (cycle: number) => void): CycleSource & { asked: number[]; waited: number[] } {
  const asked: number[] = []
  const waited: number[] = []
  return {
    asked, waited,
    async readCycle(cycle) {
      asked.push(cycle)
      onRead?.(cycle)
      return { ...inputs[(cycle - 1) % inputs.length]!, cycle }
    },
    async waitForNewBlock(block) { waited.push(block) },
    async close() {},
  }
}

describe('the smoke fixture replays what the devnet answered', () => {
  test('behavior: every configured quote is found by id, in configured order; failures keep their code and reason', async () => {
    const input = await fixtureSource(smokeConfig, fixturePath).readCycle(3)
    expect(input.cycle).toBe(3)
    expect([input.runMode, input.quoteSource, input.quoter, input.synthetic]).toEqual(['SMOKE_SIMULATOR', 'fixture', 'onchain', true])
    expect([input.block, input.chainId, input.blockTimestamp, input.gasPriceWei]).toEqual([fixture.block, fixture.chain_id, fixture.block_timestamp, BigInt(fixture.gas_price_wei)])
    expect(input.quotes.map((q) => q.request.id)).toEqual(fixture.quotes.map((q: { id: string }) => q.id))
    input.quotes.forEach((quote, i) => {
      const recorded = fixture.quotes[i]
      expect(quote.ok).toBe(recorded.ok)
      if (quote.ok) expect([quote.amountIn, quote.amountOut, quote.gasEstimate, quote.ticksCrossed]).toEqual([BigInt(recorded.amount_in), BigInt(recorded.amount_out), recorded.gas_estimate === null ? null : BigInt(recorded.gas_estimate), recorded.ticks_crossed])
      else expect([quote.code, quote.reason]).toEqual([recorded.code, recorded.reason])
      expect([quote.request.pool, quote.request.fee]).toEqual([recorded.pool, recorded.fee])
    })
    expect(input.pools).toEqual(fixture.pools)
    expect(input.sizings).toEqual([])
  })

  test('error: a broken fixture is bad input with a hint to re-record it', () => {
    const path = join(tempDir(), 'fixture.json')
    writeFileSync(path, JSON.stringify({ ...fixture, synthetic: false }))
    expect(() => fixtureSource(smokeConfig, path)).toThrow(`cannot load smoke fixture ${path}`)
    writeFileSync(path, '{')
    try {
      fixtureSource(smokeConfig, path)
    } catch (error) {
      expect((error as { code: string; exitCode: number; hint: string }).code).toBe('FIXTURE_INVALID')
      expect((error as { exitCode: number }).exitCode).toBe(2)
      expect((error as { hint: string }).hint).toContain('record-smoke-fixture')
    }
  })
})

describe('runCycles', () => {
  const good = cycleInput([], { block: 7 })

  test('behavior: N cycles, each read, evaluated and written once, in order; onCycle sees each', async () => {
    const dir = tempDir()
    const source = scripted([good])
    const seen: number[] = []
    const { outcomes } = await runCycles({ config: smokeConfig, source, cycles: 3, outputDir: dir, log: new ScanLog(dir), onCycle: (o) => seen.push(o.artifacts.truth.cycle), now: () => new Date('2026-01-02T03:04:05.678Z') })
    expect(source.asked).toEqual([1, 2, 3])
    expect(seen).toEqual([1, 2, 3])
    expect(outcomes.map((o) => o.paths.truth)).toEqual([1, 2, 3].map((c) => join(dir, 'reports', `truth_report_20260102_030405_678_c${c}.json`)))
    const run = readRun(dir)
    expect(run.truths.map((t) => [t.cycle, t.current_block, t.timestamp])).toEqual([1, 2, 3].map((c) => [c, 7, '2026-01-02T03:04:05.678Z']))
    expect(run.log.map((l) => l.event)).toEqual(['cycle.start', 'cycle.done', 'cycle.start', 'cycle.done', 'cycle.start', 'cycle.done'])
    expect(run.log[1]).toMatchObject({ level: 'info', cycle: 1, block: 7, msg: 'block 7: 0/0 quotes, 0 candidates, 0 opportunities, 0 rejects' })
    expect(source.waited).toEqual([])
  })

  test('behavior: a cycle\'s time is split by stage: the read holds what the source took, each stage is its own share, and they add up to the cycle', async () => {
    const dir = tempDir()
    const slow: CycleSource = { readCycle: async (cycle) => { await Bun.sleep(40); return { ...good, cycle } }, async close() {} }
    const { outcomes } = await runCycles({ config: smokeConfig, source: slow, cycles: 2, outputDir: dir, log: new ScanLog(dir) })
    for (const { stages, elapsedMs } of outcomes) {
      expect(stages.read).toBeGreaterThanOrEqual(38)
      expect(stages.read).toBeLessThan(elapsedMs)
      expect(Object.values(stages).every((ms) => ms >= 0)).toBe(true)
      expect([stages.simulate, stages.execute]).toEqual([0, 0])
      expect(Math.abs(Object.values(stages).reduce((a, b) => a + b, 0) - elapsedMs)).toBeLessThan(1)
    }
    const done = readRun(dir).log.filter((l) => l.event === 'cycle.done')
    expect(done.map((l) => l.data.stages_ms.read)).toEqual(outcomes.map((o) => Math.round(o.stages.read)))
    expect(done.map((l) => l.data.elapsed_ms)).toEqual(outcomes.map((o) => Math.round(o.elapsedMs)))
  })

  test('behavior: a void cycle is logged at error level with its reason; its reject line only at debug level', async () => {
    const dir = tempDir()
    await runCycles({ config: smokeConfig, source: scripted([cycleInput([], { block: 0, pinError: 'dead' })]), cycles: 1, outputDir: dir, log: new ScanLog(dir, { debug: true }) })
    const { log } = readRun(dir)
    expect(log.find((l) => l.event === 'cycle.done')).toMatchObject({ level: 'error', block: 0, data: { pin_error: 'dead', rejects_total: 1 } })
    expect(log.find((l) => l.event === 'reject')).toMatchObject({ level: 'debug', msg: 'dead', data: { code: 'INFRA_BLOCK_PIN_FAILED', stage: 'block' } })
    const quiet = tempDir()
    await runCycles({ config: smokeConfig, source: scripted([cycleInput([], { block: 0, pinError: 'dead' })]), cycles: 1, outputDir: quiet, log: new ScanLog(quiet) })
    expect(readRun(quiet).log.map((l) => l.event)).toEqual(['cycle.start', 'cycle.done'])
  })

  test('behavior: a stop between cycles ends the run after the cycle in progress; an abort during one discards it unwritten', async () => {
    const dir = tempDir()
    const stop = new AbortController()
    const stopped = await runCycles({ config: smokeConfig, source: scripted([good], (cycle) => cycle === 2 && stop.abort()), cycles: 5, stop: stop.signal, outputDir: dir, log: new ScanLog(dir) })
    expect(stopped.outcomes.map((o) => o.artifacts.truth.cycle)).toEqual([1, 2])

    const dir2 = tempDir()
    const abort = new AbortController()
    const aborted = await runCycles({ config: smokeConfig, source: scripted([good], (cycle) => cycle === 2 && abort.abort()), cycles: 5, abort: abort.signal, outputDir: dir2, log: new ScanLog(dir2) })
    expect(aborted.outcomes.map((o) => o.artifacts.truth.cycle)).toEqual([1])
    expect(readRun(dir2).truths).toHaveLength(1)
    expect(readRun(dir2, { artifacts: false }).log.at(-1)).toMatchObject({ event: 'cycle.abandoned', level: 'warn', cycle: 2 })
  })

  test('behavior: watch mode waits for a block past the last one before each new cycle; blocks it came too late for are counted, not silent; it keeps only the last outcome', async () => {
    const dir = tempDir()
    const stop = new AbortController()
    const source = scripted([cycleInput([], { block: 7 }), cycleInput([], { block: 10 })], (cycle) => cycle === 3 && stop.abort())
    const seen: [number, number][] = []
    const summary = await runCycles({ config: smokeConfig, source, cycles: 'watch', stop: stop.signal, outputDir: dir, log: new ScanLog(dir), onCycle: (o) => seen.push([o.artifacts.truth.current_block, o.skippedBlocks]) })
    expect(seen).toEqual([[7, 0], [10, 2], [7, 0]])
    expect([summary.cycles, summary.pinned, summary.skippedBlocks]).toEqual([3, 3, 2])
    expect(summary.outcomes.map((o) => o.artifacts.truth.current_block)).toEqual([7])
    expect(source.waited).toEqual([7, 10])
    const log = readRun(dir, { artifacts: false }).log
    expect(log[0]!.msg).toBe('cycle 1 (watch)')
    expect(log.find((l) => l.event === 'blocks.skipped')).toMatchObject({ msg: '2 block(s) 8..9 got no cycle of their own: still busy with block 7', data: { skipped: 2, from: 8, to: 9 } })
  })

  test('behavior: --artifacts changed writes the details when the verdict changed, at most once per report.details_every blocks; summary writes the truth report only; retention deletes old cycles', async () => {
    const changedDir = tempDir()
    const dropped = (block: number) => cycleInput([], { block, dropped: [{ dex: 'uniswap_v2', pair: 'WETH/USDC', fee: null, address: null, code: 'INFRA_RPC_ERROR', reason: 'timeout' }] })
    const { gapAt, USDC } = wethUsdcMarket(smokeConfig)
    // 7: first; 8: same; 9: a reject more, 2 blocks after the last details (< 3): held; 10: 3 blocks: written;
    // 11: an opportunity appears, 1 block later: held; 12: the same, 2 blocks later: held; 13: written; 14: the same verdicts.
    const gap = (block: number) => gapAt(block, 310n * USDC)
    const held = [cycleInput([], { block: 7 }), cycleInput([], { block: 8 }), dropped(9), dropped(10), gap(11), gap(12), gap(13), gap(14)]
    await runCycles({ config: { ...smokeConfig, detailsEvery: 3 }, source: scripted(held), cycles: 8, outputDir: changedDir, log: new ScanLog(changedDir, { debug: true }), artifacts: 'changed' })
    const changed = readRun(changedDir)
    expect([changed.truths.length, changed.snapshots.length, changed.histograms.length]).toEqual([8, 3, 3])
    expect(changed.log.filter((l) => l.event === 'cycle.done').map((l) => l.data.details_written)).toEqual([true, false, false, true, false, false, true, false])
    // The truth report of every block carries the opportunity, written or not.
    expect(changed.truths.map((t) => t.stats.opportunities)).toEqual([0, 0, 0, 0, 1, 1, 1, 1])
    // Each reject's log line goes with the details written: the held cycle 9 logs none.
    const rejectBlocks = changed.log.filter((l) => l.event === 'reject').map((l) => l.block)
    expect(rejectBlocks).toContain(10)
    expect(rejectBlocks).not.toContain(9)

    // The snapshot is written a slice at a time while the next cycle runs: cycle 8 reads before
    // cycle 7's snapshot is on disk; the run returns once it is.
    const slicedDir = tempDir()
    const onDisk: number[] = []
    const snapshots = () => (existsSync(join(slicedDir, 'snapshots')) ? readdirSync(join(slicedDir, 'snapshots')).filter((f) => f.endsWith('.json')).length : 0)
    await runCycles({ config: smokeConfig, source: scripted([gap(7), gap(8)], (cycle) => onDisk.push(snapshots())), cycles: 2, outputDir: slicedDir, log: new ScanLog(slicedDir), artifacts: 'changed' })
    expect(onDisk).toEqual([0, 0])
    expect(snapshots()).toBe(1)
    expect(JSON.parse(readFileSync(join(slicedDir, 'snapshots', readdirSync(join(slicedDir, 'snapshots'))[0]!), 'utf8')).current_block).toBe(7)

    const inputs = (blocks: number[]) => blocks.map((block) => cycleInput([], { block }))
    const summaryDir = tempDir()
    await runCycles({ config: smokeConfig, source: scripted(inputs([7])), cycles: 3, outputDir: summaryDir, log: new ScanLog(summaryDir), artifacts: 'summary' })
    expect(existsSync(join(summaryDir, 'snapshots'))).toBe(false)
    expect(readdirSync(join(summaryDir, 'reports')).every((f) => f.startsWith('truth_report_'))).toBe(true)

    const keptDir = tempDir()
    let clock = 0
    await runCycles({ config: smokeConfig, source: scripted(inputs([7])), cycles: 5, outputDir: keptDir, log: new ScanLog(keptDir), retention: new Retention({ keep: 2 }, () => clock++), now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock)) })
    expect(readdirSync(join(keptDir, 'reports')).filter((f) => f.startsWith('truth_report_')).map((f) => f.slice(-8))).toEqual(['_c4.json', '_c5.json'])
    expect(readdirSync(join(keptDir, 'snapshots'))).toHaveLength(2)
  })
})

describe('scanJob (smoke)', () => {
  test('behavior: writes the four artifacts per cycle and a bracketing run log', async () => {
    const dir = tempDir()
    const seen: string[] = []
    const result = await scanJob({ mode: 'smoke', cycles: 2, outputDir: dir, onCycle: (o, config) => seen.push(`${o.artifacts.truth.cycle}:${config.path}`) })
    expect(result.outputDir).toBe(dir)
    expect(result.endpoints).toEqual([])
    expect(seen).toEqual(['1:config/smoke.yaml', '2:config/smoke.yaml'])
    const run = readRun(dir)
    expect(run.truths.map((t) => t.run_mode)).toEqual(['SMOKE_SIMULATOR', 'SMOKE_SIMULATOR'])
    expect(run.log[0]).toMatchObject({ event: 'run.start', msg: 'smoke scan, 2 cycle(s)', data: { mode: 'smoke', endpoints: [] } })
    expect(run.log.at(-1)).toMatchObject({ event: 'run.done', msg: `2 cycle(s) written to ${dir}` })
    expect(existsSync(join(dir, '.arby.lock'))).toBe(false)
  })

  const offline = ['MODE_CONFLICT: smoke mode is offline: --devnet, --rpc and --watch apply to --mode real', 'drop them, or use --mode real'] as const
  test.each([
    [{ cycles: 0 }, 'CYCLES_INVALID: --cycles must be a whole number >= 1', 'e.g. --cycles 3'],
    [{ cycles: 1.5 }, 'CYCLES_INVALID: --cycles must be a whole number >= 1', 'e.g. --cycles 3'],
    [{ cycles: 1, devnet: true }, ...offline],
    [{ cycles: 1, rpc: ['http://127.0.0.1:1'] }, ...offline],
    [{ cycles: 1, watch: true }, ...offline],
    [{ cycles: 1, execution: 'simulate' as const }, 'MODE_CONFLICT: smoke mode is offline: execution.mode simulate needs a chain', 'use --mode real with --devnet or --rpc, or --execution off'],
    [{ cycles: 1, configPath: 'config/arbitrum.yaml' }, 'FIXTURE_MISSING: config/arbitrum.yaml has no smoke.fixture', 'smoke mode needs a config with smoke.fixture (see config/smoke.yaml)'],
  ])('error: %p is refused (exit 2) with its message and hint; nothing written', async (params, message, hint) => {
    const dir = join(tempDir(), 'out')
    let error: unknown
    await scanJob({ mode: 'smoke', outputDir: dir, ...params }).catch((caught) => { error = caught })
    const e = error as { code: string; message: string; hint: string; exitCode: number }
    expect(`${e.code}: ${e.message}`).toBe(message)
    expect(e.hint).toBe(hint)
    expect(e.exitCode).toBe(2)
    if (!message.startsWith('FIXTURE_MISSING')) expect(existsSync(dir)).toBe(false)
  })

  test('default: with no output directory, a run goes to data/runs/<mode>_<YYYYMMDD_HHMMSS>', async () => {
    const result = await scanJob({ mode: 'smoke', cycles: 1 })
    try {
      expect(result.outputDir).toMatch(/^data\/runs\/smoke_\d{8}_\d{6}$/)
      expect(readRun(result.outputDir).truths).toHaveLength(1)
    } finally {
      rmSync(result.outputDir, { recursive: true, force: true })
    }
  })

  test('behavior: the run log is bracketed by run.start and run.done, naming the mode, the cycles and the directory; the opportunity ledger is opened in the run directory with every token\'s decimals', async () => {
    const dir = tempDir()
    await scanJob({ mode: 'smoke', cycles: 2, outputDir: dir })
    const { log } = readRun(dir)
    expect(log[0]).toMatchObject({ level: 'info', event: 'run.start', msg: 'smoke scan, 2 cycle(s)', data: { mode: 'smoke', endpoints: [] } })
    expect(log.at(-1)).toMatchObject({ level: 'info', event: 'run.done', msg: `2 cycle(s) written to ${dir}`, data: { cycles: 2, pinned: 2, skipped_blocks: 0 } })
    expect(log.some((l) => l.event === 'run.stopped' || l.event === 'run.interrupted')).toBe(false)
    const ledger = OpportunityLedger.open(join(dir, 'opportunities.sqlite'), { create: false })
    try {
      const episodes = ledger.episodes({})
      expect(episodes.length).toBeGreaterThan(0)
      // Each episode knows its tokens' decimals (from the config's tokens).
      for (const e of episodes) expect([e.base_decimals, e.quote_decimals]).toEqual([smokeConfig.tokens.get(e.base)!.decimals, smokeConfig.tokens.get(e.quote)!.decimals])
    } finally {
      ledger.close()
    }
  })

  test('error: smoke mode refuses --devnet, --rpc and --watch, and any execution mode (it reads no chain)', async () => {
    for (const extra of [{ devnet: true }, { rpc: ['http://127.0.0.1:1'] }, { watch: true }, { execution: 'simulate' as const }]) {
      const error = await scanJob({ mode: 'smoke', cycles: 1, outputDir: tempDir(), ...extra }).then(() => null, (caught) => caught as { code: string; exitCode: number; message: string })
      expect([error?.code, error?.exitCode]).toEqual(['MODE_CONFLICT', 2])
      expect(error?.message).toStartWith('smoke mode is offline')
    }
  })

  test('behavior: the run log names the config, the pairs and the venues', async () => {
    const dir = tempDir()
    await scanJob({ mode: 'smoke', cycles: 1, outputDir: dir })
    const start = readRun(dir).log[0]
    expect(start.data.config).toBe('config/smoke.yaml')
    expect(start.data.pairs).toEqual(['WETH/USDC', 'WETH/USDT', 'WBTC/WETH', 'ARB/WETH'])
    expect(start.data.venues).toContain('algebra_integral')
    expect(start.data.translated_from_arbybot).toBeUndefined()
  })
})

describe('scanJob (real)', () => {
  test('behavior: --devnet starts the embedded chain for the run, adds its Algebra venue, and stops it after', async () => {
    const dir = tempDir()
    const result = await scanJob({ mode: 'real', devnet: true, cycles: 1, outputDir: dir })
    expect(result.endpoints).toHaveLength(1)
    expect(result.endpoints[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(result.config.venues.some((v) => v.key === 'algebra_integral')).toBe(true)
    const truth = result.outcomes[0]!.artifacts.truth
    expect([truth.run_mode, truth.synthetic, truth.quoter]).toEqual(['REGISTRY_REAL', false, 'local'])
    expect(truth.stats.pools_registered).toBe(18)
    // The chain is gone once the job returns.
    const alive = await fetch(result.endpoints[0]!, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' }).then(() => true, () => false)
    expect(alive).toBe(false)
    expect(readRun(dir).log[0]).toMatchObject({ event: 'run.start', data: { mode: 'real', endpoints: [result.endpoints[0]] } })
    expect(result.config.venues.filter((v) => v.key === 'algebra_integral')).toHaveLength(1)
    // The devnet main job simulates; an automining devnet's head age says nothing, so that kill rule is off.
    expect([result.config.execution.mode, result.config.execution.kill.max_head_age_s]).toEqual(['simulate', 0])
    // One-shot: no sync engine (a full read at the pin), all four artifacts.
    expect(readRun(dir).log.find((l) => l.event === 'cycle.done')?.data.details_written).toBe(true)
  }, 30_000)

  test('behavior: an explicit execution mode wins over the devnet\'s default; a non-devnet run keeps the configured head-age rule', async () => {
    const result = await scanJob({ mode: 'real', devnet: true, execution: 'off', cycles: 1, outputDir: tempDir() })
    expect(result.config.execution.mode).toBe('off')
    expect(result.outcomes[0]!.artifacts.truth.execution).toBeNull()
    expect(result.outcomes[0]!.artifacts.snapshot.simulations).toEqual([])
  }, 30_000)

  test('behavior: a config that already lists the devnet\'s Algebra venue does not get it twice', async () => {
    const result = await scanJob({ mode: 'real', devnet: true, configPath: 'config/smoke.yaml', cycles: 1, outputDir: tempDir() })
    expect(result.config.venues.filter((v) => v.key === 'algebra_integral')).toHaveLength(1)
  }, 30_000)

  test('error: no cycle could pin a block: INFRA_BLOCK_PIN_FAILED (exit 3) naming the last reason and where the artifacts are', async () => {
    const dir = tempDir()
    let error: unknown
    await scanJob({ mode: 'real', configPath: configWithRpc({ endpoints: ['http://127.0.0.1:1'], retries: 0, timeout_ms: 200, cycle_retry_budget_ms: 200 }), cycles: 2, outputDir: dir }).catch((caught) => { error = caught })
    const e = error as { code: string; message: string; hint: string; details: string[]; exitCode: number }
    expect([e.code, e.message, e.exitCode]).toEqual(['INFRA_BLOCK_PIN_FAILED', 'no block could be pinned in any cycle', 3])
    expect(e.hint).toBe('check the RPC endpoints (artifacts were written and say why)')
    expect(e.details[0]).toStartWith('last cycle: ')
    expect(e.details[0]).toContain('127.0.0.1:1')
    expect(e.details[1]).toBe(`artifacts: ${dir}`)
    expect(readRun(dir).truths.map((t) => t.current_block)).toEqual([0, 0])
    expect(readRun(dir).log.at(-1)).toMatchObject({ level: 'error', event: 'run.failed', msg: 'no block could be pinned in any cycle' })
  }, 30_000)
})

describe('scanJob (real): what a run sets up and tears down', () => {
  const alive = (url: string) => fetch(url, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' }).then(() => true, () => false)

  test('behavior: --watch on the devnet: 250 ms blocks announced over WebSocket on the same port, state synced from logs, details written only when the verdict changes; the monitor serves while it lasts; an observer that throws ends the run with that error, logged, the chain and the monitor stopped', async () => {
    const dir = tempDir()
    const seen: { block: number; headsWs: string | undefined }[] = []
    let monitor = ''
    let health: Promise<number> | undefined
    const { lines, error } = await captureLog(() => scanJob({
      mode: 'real', devnet: true, watch: true, cycles: 1, outputDir: dir, execution: 'off', metricsPort: 0,
      onMonitor: (url) => { monitor = url },
      onCycle: (outcome, config) => {
        seen.push({ block: outcome.artifacts.truth.current_block, headsWs: config.rpc.heads_ws })
        health ??= fetch(`${monitor}/healthz`).then((r) => r.status)
        if (seen.length === 3) throw new Error('observer gave up')
      },
    }))
    expect((error as Error).message).toBe('observer gave up')
    // From the committed state when it was built from the current seed, else seeded on the spot.
    const from = freshStateMeta() ? 'committed state' : 'seeded'
    const url = lines.find((l) => l.startsWith('info devnet ready at '))!.match(new RegExp(`at (http://127\\.0\\.0\\.1:\\d+) \\(${from}\\)$`))![1]!
    expect(seen.map((s) => s.headsWs)).toEqual(Array(3).fill(url.replace('http://', 'ws://')))
    expect(seen[1]!.block).toBeGreaterThan(seen[0]!.block)
    expect(seen[2]!.block).toBeGreaterThan(seen[1]!.block)
    expect(lines.some((l) => l.startsWith('info market state synced from each block\'s logs'))).toBe(true)
    const log = readRun(dir, { artifacts: false }).log
    // Nothing trades on this chain: the verdict of the later blocks is the first one's.
    expect(log.filter((l) => l.event === 'cycle.done').map((l) => l.data.details_written)).toEqual([true, false, false])
    expect(log.at(-1)).toMatchObject({ level: 'error', event: 'run.failed', msg: 'observer gave up' })
    expect(await alive(url)).toBe(false)
    // The monitor served while the run lasted, the log said where, and its port is closed.
    expect(await health).toBe(200)
    expect(log.find((l) => l.event === 'monitor.start')?.msg).toBe(`metrics, health and dashboard at ${monitor}`)
    expect(await fetch(`${monitor}/healthz`).then(() => true, () => false)).toBe(false)
  }, 30_000)

  test('behavior: --quoter and --sync override the config on a one-shot run; only local quotes are synced', async () => {
    const synced = await captureLog(() => scanJob({ mode: 'real', devnet: true, execution: 'off', sync: true, cycles: 2, outputDir: tempDir() }))
    const outcomes = synced.result!.outcomes
    expect(outcomes.map((o) => o.artifacts.truth.quoter)).toEqual(['local', 'local'])
    expect(synced.lines.filter((l) => l.startsWith('info market state synced'))).toHaveLength(1)
    // An automining chain makes no block between the cycles: both read the same state.
    expect(outcomes[1]!.artifacts.truth.current_block).toBe(outcomes[0]!.artifacts.truth.current_block)
    const onchain = await captureLog(() => scanJob({ mode: 'real', devnet: true, execution: 'off', quoter: 'onchain', sync: true, cycles: 1, outputDir: tempDir() }))
    expect(onchain.result!.outcomes[0]!.artifacts.truth.quoter).toBe('onchain')
    expect(onchain.lines.some((l) => l.includes('market state synced'))).toBe(false)
  }, 30_000)

  test('behavior: dry-run on the devnet signs as the devnet key, keeps its ledger in the run directory, writes the execution report at the end and closes the ledger', async () => {
    const dir = tempDir()
    const { lines, result } = await captureLog(() => scanJob({ mode: 'real', devnet: true, execution: 'dry-run', cycles: 1, outputDir: dir }))
    const line = lines.find((l) => l.startsWith('info execution dry-run as '))!
    expect(line).toMatch(new RegExp(`^info execution dry-run as 0x[0-9a-fA-F]{40}; ledger ${dir}/\\S+$`))
    const reports = readdirSync(dir).filter((f) => f.startsWith('execution_report_'))
    expect(reports).toHaveLength(1)
    expect(lines).toContain(`info execution report ${join(dir, reports[0]!)}`)
    expect(JSON.parse(readFileSync(join(dir, reports[0]!), 'utf8')).mode).toBe('dry-run')
    expect(result!.outcomes[0]!.artifacts.truth.execution).not.toBeNull()
    // Closed: sqlite folds its write-ahead log back in when the last connection closes.
    expect(readdirSync(dir).filter((f) => f.endsWith('-wal'))).toEqual([])
  }, 30_000)

  test('behavior: a config in the original arbybot\'s format is translated, and the run log says how', async () => {
    const dir = tempDir()
    const { lines } = await captureLog(() => scanJob({ mode: 'real', devnet: true, execution: 'off', configPath: 'tests/fixtures/arbybot-real_minimal.yaml', cycles: 1, outputDir: dir }))
    const start = readRun(dir).log[0]
    expect(start.event).toBe('run.start')
    expect(start.data.translated_from_arbybot.some((note: string) => note.startsWith('min_net_bps 5 → gates.min_net_profit_bps'))).toBe(true)
    expect(lines.find((l) => l.startsWith('warn '))).toContain('min_net_bps 5 → gates.min_net_profit_bps')
  }, 30_000)

  test('error: a ledger that cannot be opened fails the run with its own error, and the directory is released', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'opportunities.sqlite'))
    const error = await scanJob({ mode: 'smoke', cycles: 1, outputDir: dir }).catch((e) => e)
    expect(error.constructor.name).not.toBe('TypeError')
    expect(error.message).toContain('opportunities.sqlite')
    expect(readRun(dir, { artifacts: false }).log.at(-1)).toMatchObject({ level: 'error', event: 'run.failed', msg: error.message })
    // Released: the next run into the same directory is not refused as busy.
    rmSync(join(dir, 'opportunities.sqlite'), { recursive: true })
    expect((await scanJob({ mode: 'smoke', cycles: 1, outputDir: dir })).summary.cycles).toBe(1)
  })

  test('error: when no cycle pinned a block, the error names the last cycle\'s reason; --rpc wins over the configured endpoints', async () => {
    let status = 500
    const server = Bun.serve({ port: 0, fetch: () => new Response(`down ${status}`, { status }) })
    try {
      const error = await scanJob({
        mode: 'real', configPath: configWithRpc({ endpoints: ['http://127.0.0.1:1'], retries: 0, timeout_ms: 200, cycle_retry_budget_ms: 200 }), rpc: [`http://127.0.0.1:${server.port}`], cycles: 3, outputDir: tempDir(),
        onCycle: () => { status++ },
      }).catch((e) => e)
      expect(error.code).toBe('INFRA_BLOCK_PIN_FAILED')
      expect(error.details[0]).toBe(`last cycle: no endpoint answered eth_blockNumber (http://127.0.0.1:${server.port} down (server: HTTP 502))`)
    } finally {
      server.stop(true)
    }
  }, 30_000)
})

describe('fixtureSource from anywhere', () => {
  test('behavior: the shipped fixture is used from the bundle when the path is not on disk (the binary run elsewhere)', async () => {
    const cwd = process.cwd()
    process.chdir(tempDir())
    try {
      const input = await fixtureSource(smokeConfig, 'config/fixtures/smoke_quotes.json').readCycle(1)
      expect(input.block).toBe(fixture.block)
    } finally {
      process.chdir(cwd)
    }
  })
})

describe('runCycles with simulation and execution', () => {
  const real = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
  const { TENTH, USDC, q, anchor } = wethUsdcMarket(real)
  const withGap = cycleInput([...anchor, q('sushiswap_v3:3000', 'sell', TENTH, 310n * USDC)], { block: 50, blockTimestamp: 1_700_000_000 })

  /** A chain source whose simulations answer `profit(plan)` (the predicted gross, or not). */
  function simulating(input: CycleInput, profit: (gross: bigint) => bigint): CycleSource & { simulated: number[] } {
    const simulated: number[] = []
    return {
      simulated,
      readCycle: async (cycle) => ({ ...input, cycle }),
      simulate: async (plans, at) => {
        simulated.push(at.block)
        return {
          target: { to: '0x00000000000000000000000000000000a4b1e7ec', from: '0x00000000000000000000000000000000a4b10000', code: null, l1: 'none' },
          outcomes: plans.map((plan) => ({ method: 'eth_simulateV1' as const, ok: true, profit: profit(plan.gross), event: null, revert: null, gasUsed: 200_000n, l1Gas: 0n, l1Error: null })),
        }
      },
      close: async () => {},
    }
  }

  test('behavior: with execution off nothing is simulated; with simulate every plan is, at the pinned block, and the gate\'s verdict is written', async () => {
    const off = simulating(withGap, (g) => g)
    await runCycles({ config: real, source: off, cycles: 1, outputDir: tempDir(), log: new ScanLog(tempDir()) })
    expect(off.simulated).toEqual([])
    const on = simulating(withGap, (g) => g)
    const dir = tempDir()
    const { outcomes } = await runCycles({ config: { ...real, execution: { ...real.execution, mode: 'simulate' } }, source: on, cycles: 1, outputDir: dir, log: new ScanLog(dir) })
    expect(on.simulated).toEqual([50])
    const { snapshot, truth } = outcomes[0]!.artifacts
    expect(snapshot.simulations.map((s) => s.status)).toEqual(['passed'])
    expect([truth.stats.simulated, truth.stats.sim_passed]).toEqual([1, 1])
    expect(outcomes[0]!.stages.simulate).toBeGreaterThan(0)
    const done = readRun(dir).log.find((l) => l.event === 'cycle.done')!
    expect(Object.keys(done.data.stages_ms)).toEqual(['read', 'evaluate', 'simulate', 'execute', 'write'])
    expect(done.data.best_by_route).toEqual({ 'WETH/USDC|uniswap_v3:500>sushiswap_v3:3000': truth.top_opportunities[0]!.net_profit_usd })
    expect(done.data.rejects_by_code).toEqual(readRun(dir).histograms[0]!.by_code)
    // A simulation that matched its prediction is no mismatch to report.
    expect(readRun(dir).log.filter((l) => l.event === 'sim.mismatch')).toEqual([])
  })

  test('error: a simulation that disagrees with the prediction is logged loudly (sim.mismatch) with the calldata to re-run it', async () => {
    const dir = tempDir()
    await runCycles({ config: { ...real, execution: { ...real.execution, mode: 'simulate' } }, source: simulating(withGap, (g) => g + 1n), cycles: 1, outputDir: dir, log: new ScanLog(dir) })
    const mismatch = readRun(dir).log.find((l) => l.event === 'sim.mismatch')!
    expect(mismatch).toMatchObject({ level: 'warn', cycle: 1, block: 50 })
    expect(mismatch.msg).toMatch(/^opportunity WETH\/USDC\|uniswap_v3:500>sushiswap_v3:3000\|100000000000000000: simulated profit 10000001 ≠ predicted 10000000 at block 50$/)
    expect(mismatch.data.calldata).toMatch(/^0x[0-9a-f]+$/)
  })

  test('behavior: an execution step sees the simulated cycle and its plans; what it returns is what the artifacts carry', async () => {
    const seen: number[] = []
    const execute: ExecutionStep = {
      onCycle: async ({ input, result, plans }) => {
        seen.push(input.block, plans.length)
        return { result: { ...result, blocker: 'KILL_SWITCH_ACTIVE' }, execution: { mode: 'paper', trade: null, kill: null, paper: null } }
      },
    }
    const { outcomes } = await runCycles({ config: { ...real, execution: { ...real.execution, mode: 'paper' } }, source: simulating(withGap, (g) => g), cycles: 1, outputDir: tempDir(), log: new ScanLog(tempDir()), execute })
    expect(seen).toEqual([50, 1])
    expect([outcomes[0]!.artifacts.truth.execution_blocker, outcomes[0]!.artifacts.truth.execution?.mode]).toEqual(['KILL_SWITCH_ACTIVE', 'paper'])
    // A void cycle is never simulated nor executed.
    const voided = simulating(cycleInput([], { block: 0, pinError: 'down' }), (g) => g)
    await runCycles({ config: { ...real, execution: { ...real.execution, mode: 'paper' } }, source: voided, cycles: 1, outputDir: tempDir(), log: new ScanLog(tempDir()), execute })
    expect(voided.simulated).toEqual([])
    expect(seen).toEqual([50, 1])
  })
})
