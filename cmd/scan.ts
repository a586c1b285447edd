import { defineCommand } from 'citty'
import { runCli } from '../lib/cli/runCli.ts'
import { withExitCode } from '../lib/cli/errors.ts'
import { InputError } from '../lib/errors.ts'
import { log, setLogLevel } from '../lib/log.ts'
import { renderCycleLine, renderLiveScreen, REDRAW } from '../lib/report/liveView.ts'
import { renderSummary } from '../lib/report/summary.ts'
import { colorAllowed } from '../lib/tty.ts'
import { parseDuration } from '../lib/cli/duration.ts'
import { positiveInt } from '../lib/cli/numbers.ts'
import type { ExecutionMode } from '../lib/config/schema.ts'
import type { ArtifactMode } from '../lib/report/write.ts'
import { DEFAULT_CONFIG, scanJob, type ScanMode } from '../lib/scan/scanJob.ts'
import { commonArgs } from './_args.ts'

const command = defineCommand({
  meta: {
    name: 'scan',
    description: 'Scan for cross-DEX arbitrage at a pinned block and write the 4 artifacts (snapshot, reject histogram, truth report, scan.log).',
  },
  args: {
    mode: { type: 'enum', alias: 'm', options: ['real', 'smoke'], description: 'real: read a chain (REGISTRY_REAL). smoke: replay the recorded synthetic fixture offline (SMOKE_SIMULATOR). Default: real with --devnet, --rpc or --watch, else smoke (as the original arbybot).' },
    smoke: { type: 'boolean', default: false, description: 'Deprecated alias of --mode smoke (the original\'s flag).' },
    devnet: { type: 'boolean', default: false, description: 'Start the embedded Arbitrum devnet for this run and scan it (real mode).' },
    quoter: { type: 'enum', options: ['local', 'onchain'], description: 'local: exact local V2/V3 math from one batched state read, on-chain quoter where it cannot (Algebra, ticks not read); onchain: every quote through the venue quoter. Default: the config\'s quoting.quoter (local).' },
    execution: { type: 'enum', options: ['off', 'simulate', 'paper', 'dry-run', 'live'], description: 'off: report only; simulate: run every opportunity\'s exact executor transaction at the pinned block; paper: record paper trades at the simulated fills; dry-run: also sign with ARBY_EXEC_PRIVATE_KEY, never send; live: trade. Default: simulate with --devnet, else the config\'s execution.mode (off).' },
    execute: { type: 'boolean', default: false, description: 'Same as --execution live (on a chain other than a local anvil it also needs ARBY_EXEC_ALLOW_MAINNET=1).' },
    store: { type: 'string', description: 'The execution ledger (sqlite). Default: execution.store; with --devnet, the run directory.', valueHint: 'file' },
    sync: { type: 'boolean', description: 'Keep pool state exact from each block\'s logs after one full read (default with --watch; --no-sync re-reads every cycle).' },
    'metrics-port': { type: 'string', description: 'Serve Prometheus /metrics, /healthz and the live dashboard (/) on 127.0.0.1:PORT (0: any free port).', valueHint: 'port' },
    artifacts: { type: 'enum', options: ['all', 'changed', 'summary'], description: 'Which JSON files each cycle writes: all (snapshot, histogram, truth report); changed (the snapshot and histogram only when the verdict changed); summary (the truth report only). Default: all, or changed with --watch.' },
    keep: { type: 'string', description: 'Keep only the last N cycles\' files (older ones are deleted as new ones come).', valueHint: 'n' },
    'keep-for': { type: 'string', description: 'Keep only the files of the cycles of this last period (e.g. 1h, 24h). Default with --watch: 1h.', valueHint: 'age' },
    rpc: { type: 'string', description: 'RPC URL(s), comma-separated; overrides ARBY_RPC_URLS and the config (real mode).', valueHint: 'url' },
    cycles: { type: 'string', alias: 'c', default: '1', description: 'Number of cycles, back to back; each pins the latest block and writes its own artifacts.', valueHint: 'n' },
    watch: { type: 'boolean', default: false, description: 'Follow the chain: one cycle per new block until Ctrl-C (which finishes the cycle in progress).' },
    'output-dir': { type: 'string', alias: 'o', description: 'Where artifacts go (default data/runs/<mode>_<time>).', valueHint: 'dir' },
    ...commonArgs,
    config: { ...commonArgs.config, alias: 'f', description: `Config YAML. Default ${DEFAULT_CONFIG.real} (real) or ${DEFAULT_CONFIG.smoke} (smoke). The original arbybot's flat real_minimal.yaml is read too (translated, with a note).` },
    json: { ...commonArgs.json, description: 'Print each cycle\'s truth report as one JSON line on stdout.' },
  },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    const cycles = Number(args.cycles)
    if (!/^\d+$/.test(args.cycles)) throw new InputError('CYCLES_INVALID', `--cycles must be a whole number, got "${args.cycles}"`, { hint: 'e.g. --cycles 3' })
    if (args.execute && args.execution && args.execution !== 'live') throw new InputError('MODE_CONFLICT', `--execute and --execution ${args.execution} contradict each other`, { hint: 'use one of them' })
    if (args.smoke) {
      log.warn('--smoke is deprecated: use --mode smoke (or -m smoke)')
      if (args.mode === 'real') throw new InputError('MODE_CONFLICT', '--smoke and --mode real contradict each other', { hint: 'use one of them' })
    }
    const mode: ScanMode = (args.mode as ScanMode | undefined) ?? (args.smoke ? 'smoke' : args.devnet || args.rpc || args.watch ? 'real' : 'smoke')
    const result = await scanJob({
      mode,
      configPath: args.config,
      cycles,
      watch: args.watch,
      outputDir: args['output-dir'],
      rpc: args.rpc ? args.rpc.split(',') : [],
      devnet: args.devnet,
      quoter: args.quoter as 'local' | 'onchain' | undefined,
      execution: args.execute ? 'live' : args.execution as ExecutionMode | undefined,
      artifacts: args.artifacts as ArtifactMode | undefined,
      keep: args.keep === undefined ? undefined : positiveInt(args.keep, '--keep'),
      keepForMs: args['keep-for'] === undefined ? undefined : parseDuration(args['keep-for'], '--keep-for'),
      debugLog: Boolean(args.verbose),
      keepOutcomes: 'last',
      sync: args.sync as boolean | undefined,
      metricsPort: args['metrics-port'] === undefined ? undefined : port(args['metrics-port']),
      onMonitor: (url) => log.info(`metrics at ${url}/metrics · health at ${url}/healthz · dashboard at ${url}/`),
      store: args.store,
      onCycle: ({ artifacts, paths }, config, view, live) => {
        if (args.json) process.stdout.write(`${JSON.stringify(artifacts.truth)}\n`)
        else process.stdout.write(`${paths.truth}\n`)
        if (args.quiet) return
        // Watching: the screen redrawn in place on a terminal, one line per cycle in a log; otherwise the full summary.
        if (args.watch && colorAllowed(process.stderr)) process.stderr.write(`${REDRAW}${renderLiveScreen(view, live)}\n`)
        else if (args.watch) process.stderr.write(`${renderCycleLine(view)}\n`)
        else process.stderr.write(`\n${renderSummary(artifacts, config)}\n\n`)
      },
    })
    log.success(`artifacts in ${result.outputDir}`)
  }),
})

function port(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) throw new InputError('PORT_INVALID', `--metrics-port must be a port number 0-65535, got "${text}"`, { hint: 'e.g. --metrics-port 9464 (0: any free port)' })
  return Number(text)
}

export default command

// `bun run cmd/scan.ts …` runs this command alone.
if (import.meta.main) await runCli(command)
