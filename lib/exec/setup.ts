import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import type { Address } from 'viem'
import type { Config } from '../config/resolve.ts'
import { InputError } from '../errors.ts'
import { isLoopback } from '../rpc/endpoint.ts'
import { executorOwner } from '../sim/target.ts'
import type { RpcClient } from '../rpc/client.ts'
import { writeJsonAtomic } from '../report/write.ts'
import type { ExecutionStep } from '../scan/run.ts'
import { ExecChain } from './chain.ts'
import { ExecutionEngine } from './engine.ts'
import { ExecLog } from './execLog.ts'
import { PaperSession } from './paper.ts'
import { buildExecutionReport } from './report.ts'
import { DEVNET_SIGNER_KEY, KEY_ENV, signerFromEnv, type Signer } from './signer.ts'
import { TradeStore } from './store.ts'
import { RpcSubmitter, type Submitter } from './submit.ts'

/** Live trading anywhere but a local anvil needs this in the environment, on top of execution.mode live. */
export const MAINNET_OPT_IN = 'ARBY_EXEC_ALLOW_MAINNET'

export type ExecutionRun = {
  step: ExecutionStep
  /** Writes the run's execution report (after each cycle with a trade, and at the end). */
  report(): string | null
  close(): void
  signer: Address | null
  store: string | null
}

export type SetupParameters = {
  config: Config
  outputDir: string
  endpoints: string[]
  client: RpcClient
  /** The embedded devnet's executor deployment, when the run started one. */
  devnet: { deployExecutor(owner: Address): Promise<Address> } | null
  /** --store: where the ledger lives (default: execution.store; the run directory for the embedded devnet). */
  storePath?: string
  stopping: () => string | null
  env?: Record<string, string | undefined>
  /** Tests: a submitter standing in for the endpoint (drops, delays, refusals). */
  submitter?: Submitter
}

/**
 * Everything execution needs for one run, checked before the first cycle: paper mode is a
 * session in the run directory; dry-run and live need a key from the environment (anvil's
 * published keys only on a local anvil), an executor owned by it, the ledger, a submitter — and
 * reconcile whatever a previous run left unfinished before anything new is signed.
 */
export async function setupExecution(p: SetupParameters): Promise<ExecutionRun | null> {
  const { config, outputDir } = p
  const mode = config.execution.mode
  if (mode === 'off' || mode === 'simulate') return null
  if (mode === 'paper') {
    const session = new PaperSession(outputDir, config)
    return { step: { onCycle: async (cycle) => ({ result: cycle.result, execution: session.onCycle(cycle) }) }, report: () => null, close: () => {}, signer: null, store: null }
  }

  const env = p.env ?? process.env
  const localAnvil = p.devnet !== null || (p.endpoints.every(isLoopback) && /^anvil\//i.test(String(await p.client.request({ method: 'web3_clientVersion' as never }).catch(() => ''))))
  const signer: Signer = signerFromEnv(env, p.devnet ? DEVNET_SIGNER_KEY : undefined)
  if (signer.published && !localAnvil) {
    throw new InputError('EXEC_KEY_PUBLISHED', `${KEY_ENV} is one of anvil's published test keys (${signer.address}); it is accepted only on a local anvil`, { hint: `use a key of your own in ${KEY_ENV}` })
  }
  if (mode === 'live' && !localAnvil && env[MAINNET_OPT_IN] !== '1') {
    throw new InputError('EXEC_LIVE_NOT_CONFIRMED', `live execution on ${config.chain.name} sends real transactions with real money`, { hint: `set ${MAINNET_OPT_IN}=1 in the environment to confirm, or try --execution dry-run first` })
  }

  let executor = config.execution.executor as Address | undefined
  if (!executor && p.devnet) executor = await p.devnet.deployExecutor(signer.address)
  if (!executor) throw new InputError('EXECUTOR_REQUIRED', `execution.mode ${mode} needs execution.executor: an ArbExecutor deployed by ${signer.address}`, { hint: 'deploy contracts/ArbExecutor.sol from the signing key and set execution.executor in the config' })
  await executorOwner(p.client, executor, signer.address)
  // The simulations run from the signer against the deployed executor.
  config.execution = { ...config.execution, executor, from: signer.address }

  const storePath = p.storePath ?? (p.devnet ? join(outputDir, 'exec.sqlite') : config.execution.store)
  const store = TradeStore.open(storePath)
  try {
    store.bind(config.chain.chainId, signer.address)
  } catch (error) {
    store.close()
    throw error
  }
  const runId = `r${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(2).toString('hex')}`
  const log = new ExecLog(outputDir, runId)
  const submitter = p.submitter ?? (config.execution.submit === 'sequencer'
    ? new RpcSubmitter(config.execution.sequencer_url, 'sequencer', config.rpc.timeout_ms)
    : new RpcSubmitter(p.endpoints[0]!, 'rpc', config.rpc.timeout_ms))
  const engine = new ExecutionEngine({
    config, mode, store, chain: new ExecChain(p.client, config.multicall3), submitter, signer, executor, runId, log,
    killFile: join(dirname(storePath), 'KILL'), stopping: p.stopping,
  })
  const startedAt = new Date().toISOString()
  log.write('info', 'run.start', `${mode} execution as ${signer.address} through executor ${executor} (${submitter.path}), ledger ${storePath}`)
  await engine.start()

  const reportPath = join(outputDir, `execution_report_${startedAt.replace(/[-:]/g, '').replace('T', '_').slice(0, 15)}.json`)
  const report = () => {
    const trades = store.list({ runId })
    const reconciled = engine.reconciled.map((id) => store.get(id)!).filter(Boolean)
    writeJsonAtomic(reportPath, buildExecutionReport({
      runId, startedAt, endedAt: new Date().toISOString(), mode, chainId: config.chain.chainId, signer: signer.address, executor,
      submitPath: submitter.path, store: storePath, reconciled: engine.reconciled,
    }, [...reconciled, ...trades], engine.killState()))
    return reportPath
  }
  return {
    step: {
      onCycle: async (cycle) => {
        const done = await engine.onCycle(cycle)
        if (done.execution.trade) report()
        return done
      },
    },
    report,
    close: () => store.close(),
    signer: signer.address,
    store: storePath,
  }
}
