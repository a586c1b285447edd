import { dirname, isAbsolute, join } from 'node:path'
import { chainSource } from '../chain/chainSource.ts'
import { resolveEndpoints } from '../chain/endpoints.ts'
import { applyEnvOverrides } from '../config/env.ts'
import { loadConfig } from '../config/load.ts'
import type { Config } from '../config/resolve.ts'
import { addDevnetVenues } from '../devnet/seedSpec.ts'
import { startDevnet, type Devnet } from '../devnet/startDevnet.ts'
import { InfraError, InputError, InterruptedError } from '../errors.ts'
import { log } from '../log.ts'
import { redactUrl } from '../redact.ts'
import { claimOutputDir } from '../report/outputDir.ts'
import { OpportunityLedger } from '../report/ledger.ts'
import type { CycleView, LiveState } from '../monitor/live.ts'
import { RunMonitor } from '../monitor/runMonitor.ts'
import { Retention } from '../report/retention.ts'
import { fileStamp, ScanLog, type ArtifactMode } from '../report/write.ts'
import { abortRequested, holdShutdown, SIGNAL_EXIT_CODES, stopRequested, stopSignal } from '../shutdown.ts'
import { fixtureSource } from './fixtureSource.ts'
import { runCycles, type CycleOutcome, type CycleSource, type RunSummary } from './run.ts'
import type { Quoter } from './types.ts'
import type { ExecutionMode } from '../config/schema.ts'
import { setupExecution, type ExecutionRun } from '../exec/setup.ts'
import { deployExecutor } from '../devnet/executor.ts'
import { pairsOfUniverse, widenMidRun } from '../universe/scanPairs.ts'

export type ScanMode = 'smoke' | 'real'

export type ScanJobParameters = {
  mode: ScanMode
  configPath?: string
  cycles: number
  /** Follow the chain: one cycle per new block until Ctrl-C (real mode). */
  watch?: boolean
  outputDir?: string
  rpc?: string[]
  devnet?: boolean
  /** Overrides the config's quoting.quoter (real mode). */
  quoter?: Quoter
  /** Overrides the config's execution.mode. */
  execution?: ExecutionMode
  /** The execution ledger (default: execution.store; the run directory with the embedded devnet). */
  store?: string
  /** Which JSON artifacts each cycle writes (default all; changed in watch mode). */
  artifacts?: ArtifactMode
  /** Retention: the last N cycles, and/or the cycles of the last period (default in watch mode: 1 h). */
  keep?: number
  keepForMs?: number
  /** Per-reject lines in scan.log (debug level). */
  debugLog?: boolean
  /** Return every cycle's outcome (default), or only the last: the CLI, whose runs may be long, keeps none it does not need. */
  keepOutcomes?: 'all' | 'last'
  onCycle?: (outcome: CycleOutcome, config: Config, view: CycleView, live: LiveState) => void
  /** Serve /metrics, /healthz, /api/* and the dashboard on this port (0: any free port). */
  metricsPort?: number
  /** Keep pool state from each block's logs (default in watch mode) instead of re-reading it every cycle. */
  sync?: boolean
  /** Called once the monitor listens (its URL). */
  onMonitor?: (url: string) => void
}

export type ScanJobResult = { outcomes: CycleOutcome[]; summary: RunSummary; outputDir: string; config: Config; endpoints: string[] }

export const DEFAULT_CONFIG = { smoke: 'config/smoke.yaml', real: 'config/arbitrum.yaml' } as const

/**
 * The main job. SMOKE replays a recorded fixture offline; REAL reads a live chain (or the
 * embedded devnet with `devnet`). Writes the four artifacts per cycle under `outputDir`.
 */
export async function scanJob({ mode, configPath, cycles, watch = false, outputDir, rpc = [], devnet = false, quoter, execution, store, artifacts, keep, keepForMs, debugLog = false, keepOutcomes, metricsPort, onMonitor, sync, onCycle }: ScanJobParameters): Promise<ScanJobResult> {
  if (!Number.isInteger(cycles) || cycles < 1) throw new InputError('CYCLES_INVALID', `--cycles must be a whole number >= 1`, { hint: 'e.g. --cycles 3' })
  if (mode === 'smoke' && (devnet || rpc.length || watch)) {
    throw new InputError('MODE_CONFLICT', 'smoke mode is offline: --devnet, --rpc and --watch apply to --mode real', { hint: 'drop them, or use --mode real' })
  }
  const loaded = applyEnvOverrides(loadConfig(configPath ?? DEFAULT_CONFIG[mode]))
  // The devnet main job proves its opportunities by simulation (it costs its cycle ~1 round trip).
  const wanted = execution ?? (devnet ? 'simulate' : undefined)
  const config = wanted ? { ...loaded, execution: { ...loaded.execution, mode: wanted } } : loaded
  // An automining devnet makes blocks only for transactions: its head's age says nothing (a watch devnet ticks every 250 ms).
  if (devnet && !watch) config.execution = { ...config.execution, kill: { ...config.execution.kill, max_head_age_s: 0 } }
  if (mode === 'smoke' && config.execution.mode !== 'off') {
    throw new InputError('MODE_CONFLICT', `smoke mode is offline: execution.mode ${config.execution.mode} needs a chain`, { hint: 'use --mode real with --devnet or --rpc, or --execution off' })
  }
  if (config.notes.length) log.warn(`${config.path}: ${config.notes.join('\n  ')}`)
  const dir = outputDir ?? join('data', 'runs', `${mode}_${fileStamp(new Date(), 0).slice(0, 15)}`)
  // Built first: an alert target without its secret is bad input before anything is claimed or started.
  let scanLog: ScanLog | null = null
  const monitor = new RunMonitor({ config, metricsPort, warn: (message) => { log.warn(message); scanLog?.write('warn', 'alert.failed', message) } })
  const releaseDir = claimOutputDir(dir)
  scanLog = new ScanLog(dir, { debug: debugLog })
  // A long run must not fill the disk: by default it writes details when they change and keeps an hour.
  const retention = new Retention({ keep, keepForMs: keepForMs ?? (watch && keep === undefined ? 3_600_000 : undefined) })

  let chain: Devnet | null = null
  let source: CycleSource | undefined
  let executionRun: ExecutionRun | null = null
  let ledger: OpportunityLedger | null = null
  let endpoints: string[] = []
  try {
    // Tokens a universe discovers join config.tokens later: their decimals are looked up when used.
    ledger = OpportunityLedger.open(join(dir, 'opportunities.sqlite'), { decimals: { get: (symbol) => config.tokens.get(symbol)?.decimals } })
    if (mode === 'smoke') {
      const fixture = config.smokeFixture
      if (!fixture) throw new InputError('FIXTURE_MISSING', `${config.path} has no smoke.fixture`, { hint: 'smoke mode needs a config with smoke.fixture (see config/smoke.yaml)' })
      source = fixtureSource(config, isAbsolute(fixture) ? fixture : join(dirname(config.path), fixture))
    } else {
      if (devnet) {
        // Watching needs blocks to follow: give the devnet Arbitrum's 250 ms block time.
        // Every pool from its creation event needs the blocks' logs: seeded, not loaded (a loaded state keeps no logs).
        chain = await startDevnet({ ...(watch && { blockTime: 0.25 }), ...(config.universe.pairs === 'all' && { state: 'fresh' as const }) })
        log.info(`devnet ready at ${chain.url} (${chain.source === 'state' ? 'committed state' : 'seeded'})`)
        // The devnet adds its Algebra stand-in, whose addresses are devnet-only.
        addDevnetVenues(config)
        // anvil announces new heads on the same port over WebSocket.
        if (watch) config.rpc.heads_ws ??= chain.url.replace(/^http/, 'ws')
        endpoints = [chain.url]
      } else {
        endpoints = resolveEndpoints(config, { flags: rpc })
      }
      const chainReads = chainSource(config, endpoints, quoter ?? config.quoting.quoter, { sync: sync ?? watch, widen: widenMidRun(config, devnet, () => chainReads.client) })
      config.pairs = await pairsOfUniverse(chainReads.client, config, devnet)
      if (chainReads.engine) log.info('market state synced from each block\'s logs (pools read in full once; --no-sync re-reads every cycle)')
      source = chainReads
      const devnetChain = chain
      executionRun = await setupExecution({
        config, outputDir: dir, endpoints, client: chainReads.client, storePath: store, stopping: stopSignal,
        devnet: devnetChain && { deployExecutor: (owner) => deployExecutor(devnetChain.client, owner) },
      })
      if (executionRun?.store) log.info(`execution ${config.execution.mode} as ${executionRun.signer}; ledger ${executionRun.store}`)
    }
    const url = await monitor.start()
    if (url) {
      onMonitor?.(url)
      scanLog.write('info', 'monitor.start', `metrics, health and dashboard at ${url}`)
    }
    scanLog.write('info', 'run.start', `${mode} scan, ${watch ? 'watching new blocks' : `${cycles} cycle(s)`}`, {
      data: { mode, config: config.path, endpoints: endpoints.map(redactUrl), pairs: config.pairs.map((p) => p.name), venues: config.venues.map((v) => v.key), ...(config.notes.length && { translated_from_arbybot: config.notes }) },
    })
    // Ctrl-C finishes the cycle in progress (its artifacts are written), then stops; a cycle
    // that cannot finish in the grace time has its requests aborted and is not written.
    const release = holdShutdown()
    const closeSource = () => void source?.close()
    abortRequested.addEventListener('abort', closeSource, { once: true })
    const summary = await runCycles({
      config, source, cycles: watch ? 'watch' : cycles, stop: stopRequested, abort: abortRequested, outputDir: dir, log: scanLog,
      onCycle: (outcome) => onCycle?.(outcome, config, monitor.observe(outcome, ledger), monitor.live),
      execute: executionRun?.step,
      artifacts: artifacts ?? (watch ? 'changed' : 'all'),
      retention: retention.active ? retention : undefined,
      keepOutcomes,
      ledger,
    }).finally(() => {
      release()
      abortRequested.removeEventListener('abort', closeSource)
    })
    const signal = stopSignal()
    if (abortRequested.aborted && signal) {
      scanLog.write('warn', 'run.interrupted', `stopped by ${signal} during a cycle; ${summary.cycles} complete cycle(s) written`)
      throw new InterruptedError(signal, SIGNAL_EXIT_CODES[signal as keyof typeof SIGNAL_EXIT_CODES], `stopped by ${signal} before the cycle in progress could finish (${summary.cycles} complete cycle(s) written to ${dir})`)
    }
    if (stopRequested.aborted) scanLog.write('info', 'run.stopped', 'stopped by signal after a complete cycle')
    scanLog.write('info', 'run.done', `${summary.cycles} cycle(s) written to ${dir}${summary.skippedBlocks ? `; ${summary.skippedBlocks} block(s) skipped while busy` : ''}`, { data: { cycles: summary.cycles, pinned: summary.pinned, skipped_blocks: summary.skippedBlocks } })
    if (summary.cycles && summary.pinned === 0) {
      const last = summary.outcomes.at(-1)!.artifacts.snapshot.rejects[0]?.message ?? 'unknown'
      throw new InfraError('INFRA_BLOCK_PIN_FAILED', 'no block could be pinned in any cycle', {
        hint: 'check the RPC endpoints (artifacts were written and say why)',
        details: [`last cycle: ${last}`, `artifacts: ${dir}`],
      })
    }
    return { outcomes: summary.outcomes, summary, outputDir: dir, config, endpoints }
  } catch (caught) {
    // Work cut short by the signal's abort fails in whatever way it was cut: that is an interruption, not a bug.
    const signal = stopSignal()
    const error = abortRequested.aborted && signal && !(caught instanceof InterruptedError)
      ? new InterruptedError(signal, SIGNAL_EXIT_CODES[signal as keyof typeof SIGNAL_EXIT_CODES], `stopped by ${signal} while the cycle was in progress (anything in flight is reconciled at the next start)`)
      : caught
    try {
      scanLog.write('error', 'run.failed', error instanceof Error ? error.message : String(error))
    } catch {
      // the log itself may be what failed (a full disk): the error below says so
    }
    throw error
  } finally {
    try {
      const path = executionRun?.report()
      if (path) log.info(`execution report ${path}`)
    } finally {
      executionRun?.close()
    }
    await monitor.stop()
    ledger?.close()
    await source?.close()
    await chain?.stop()
    releaseDir()
  }
}
