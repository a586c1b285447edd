import { defineCommand } from 'citty'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { getAddress, isAddress, type Address } from 'viem'
import { resolveEndpoints } from '../lib/chain/endpoints.ts'
import { parseDuration } from '../lib/cli/duration.ts'
import { positiveInt } from '../lib/cli/numbers.ts'
import { withExitCode } from '../lib/cli/errors.ts'
import { runCli } from '../lib/cli/runCli.ts'
import { applyEnvOverrides } from '../lib/config/env.ts'
import { DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config/load.ts'
import { InputError } from '../lib/errors.ts'
import { ExecChain } from '../lib/exec/chain.ts'
import { ExecutionEngine } from '../lib/exec/engine.ts'
import { ExecLog } from '../lib/exec/execLog.ts'
import { signerFromEnv } from '../lib/exec/signer.ts'
import { TradeStore } from '../lib/exec/store.ts'
import { RpcSubmitter } from '../lib/exec/submit.ts'
import { renderHistory, renderStatus, statusOf } from '../lib/exec/views.ts'
import { invocationHint } from '../lib/invocation.ts'
import { log, setLogLevel } from '../lib/log.ts'
import { createRpcClient } from '../lib/rpc/client.ts'
import { commonArgs } from './_args.ts'

const storeArg = { store: { type: 'string', description: 'The execution ledger (default: the config\'s execution.store, data/exec.sqlite).', valueHint: 'file' } } as const
const configArg = { config: { ...commonArgs.config, alias: 'f', description: `Config YAML (default ${DEFAULT_CONFIG_PATH}).` } } as const

/** Runs `body` with the ledger open (it must exist), and closes it whatever happens. */
async function withStore<T>(args: { store?: string; config?: string }, body: (store: TradeStore, path: string) => T | Promise<T>): Promise<T> {
  const path = args.store ?? loadConfig(args.config ?? DEFAULT_CONFIG_PATH).execution.store
  if (!existsSync(path)) throw new InputError('EXEC_STORE_MISSING', `no execution ledger at ${path}`, { hint: 'pass --store with the ledger a live or dry-run scan wrote (with --devnet it is in the run directory)' })
  const store = TradeStore.open(path)
  try {
    return await body(store, path)
  } finally {
    store.close()
  }
}

const status = defineCommand({
  meta: { name: 'status', description: 'The kill switch, quarantined routes, the next nonce and unfinished trades.' },
  args: { ...commonArgs, ...configArg, ...storeArg },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    await withStore(args, (store, path) => {
      const trades = store.list()
      const s = statusOf(path, store.killState(), trades[0] ? store.nextNonce(trades[0].signer) : null, trades)
      process.stdout.write(args.json ? `${JSON.stringify(s, null, 2)}\n` : `${renderStatus(s)}\n`)
    })
  }),
})

const halt = defineCommand({
  meta: { name: 'halt', description: 'Halt execution: nothing is signed until `exec resume` (running processes see it before their next signature).' },
  args: { ...commonArgs, ...configArg, ...storeArg, reason: { type: 'string', description: 'Why (kept in the ledger).', valueHint: 'text' } },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    await withStore(args, (store) => {
      const state = store.setHalted(`operator: ${args.reason ?? 'exec halt'}`, null)
      log.warn(`halted: ${state.reason}`)
    })
  }),
})

const resume = defineCommand({
  meta: { name: 'resume', description: 'Clear a HALT (and quarantines); the balances are accepted as they are now.' },
  args: { ...commonArgs, ...configArg, ...storeArg },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    await withStore(args, (store, path) => {
      const killFile = join(dirname(path), 'KILL')
      if (existsSync(killFile)) throw new InputError('KILL_FILE_PRESENT', `${killFile} is present: it halts again at once`, { hint: `remove it (rm ${killFile}), then resume` })
      const was = store.halt()
      store.resume()
      log.success(was.state === 'halted' ? `resumed (was halted: ${was.reason})` : 'was not halted; quarantines cleared')
    })
  }),
})

const history = defineCommand({
  meta: { name: 'history', description: 'The trade ledger as a table: prediction next to what the receipt proved.' },
  args: {
    ...commonArgs, ...configArg, ...storeArg,
    since: { type: 'string', description: 'Only trades from this long ago (e.g. 24h, 30m, 7d) or since an ISO time.', valueHint: 'age' },
    route: { type: 'string', description: 'Only this route (pair|buy>sell).', valueHint: 'route' },
    limit: { type: 'string', description: 'Only the last N trades.', valueHint: 'n' },
  },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    const limit = args.limit === undefined ? undefined : positiveInt(args.limit, '--limit')
    await withStore(args, (store) => {
      const trades = store.list({ sinceMs: args.since ? sinceMs(args.since) : undefined, route: args.route, limit })
      process.stdout.write(args.json ? `${JSON.stringify(trades, null, 2)}\n` : `${renderHistory(trades)}\n`)
    })
  }),
})

const sweep = defineCommand({
  meta: { name: 'sweep', description: 'Move the executor\'s balance of a token to the signer (or --to), signed with ARBY_EXEC_PRIVATE_KEY, through the ledger.' },
  args: {
    ...commonArgs, ...configArg, ...storeArg,
    token: { type: 'string', required: true, description: 'Token symbol from the config (e.g. WETH).', valueHint: 'symbol' },
    to: { type: 'string', description: 'Recipient (default: the signer).', valueHint: 'address' },
    rpc: { type: 'string', description: 'RPC URL(s), comma-separated (default: the config\'s).', valueHint: 'url' },
  },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    const config = applyEnvOverrides(loadConfig(args.config ?? DEFAULT_CONFIG_PATH))
    const token = config.tokens.get(args.token)
    if (!token) throw new InputError('TOKEN_UNKNOWN', `no token ${args.token} in ${config.path}`, { hint: `one of ${[...config.tokens.keys()].join(', ')}` })
    const executor = config.execution.executor as Address | undefined
    if (!executor) throw new InputError('EXECUTOR_REQUIRED', `${config.path} has no execution.executor to sweep`, { hint: 'set execution.executor in the config' })
    if (args.to && !isAddress(args.to)) throw new InputError('ADDRESS_INVALID', `--to ${args.to} is not an address`, { hint: 'a 0x-prefixed 20-byte address' })
    const signer = signerFromEnv()
    const endpoints = resolveEndpoints(config, { flags: args.rpc ? args.rpc.split(',') : [] })
    const { client, pool } = createRpcClient(endpoints, config)
    const path = args.store ?? config.execution.store
    const store = TradeStore.open(path)
    try {
      store.bind(config.chain.chainId, signer.address)
      const runId = `s${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`
      const engine = new ExecutionEngine({
        config, mode: 'live', store, chain: new ExecChain(client, config.multicall3), signer, executor, runId,
        submitter: new RpcSubmitter(endpoints[0]!, 'rpc', config.rpc.timeout_ms), log: new ExecLog(dirname(path), runId),
        killFile: join(dirname(path), 'KILL'), stopping: () => null,
      })
      await engine.start()
      const trade = await engine.sweep(token, args.to ? getAddress(args.to) : signer.address)
      process.stdout.write(args.json ? `${JSON.stringify(trade, null, 2)}\n` : `${renderHistory([trade])}\n`)
      if (trade.state !== 'SETTLED' || trade.receipt?.status !== 'success') throw new InputError('SWEEP_FAILED', `the sweep ended ${trade.state}${trade.code ? ` (${trade.code})` : ''}`, { hint: invocationHint('exec history --limit 5') })
    } finally {
      store.close()
      pool.close()
    }
  }),
})

/** "24h", "30m", "7d", or an ISO time → epoch ms. */
function sinceMs(text: string): number {
  if (/^\d+[smhd]$/.test(text.trim())) return Date.now() - parseDuration(text, '--since')
  const at = Date.parse(text)
  if (Number.isNaN(at)) throw new InputError('SINCE_INVALID', `--since ${text} is neither an age (24h, 30m, 7d) nor an ISO time`, { hint: 'e.g. --since 24h' })
  return at
}

const command = defineCommand({
  meta: { name: 'exec', description: 'Operate guarded execution: status, halt, resume, history, sweep.' },
  subCommands: { status, halt, resume, history, sweep },
})

export default command

// `bun run cmd/exec.ts …` runs this command alone.
if (import.meta.main) await runCli(command)
