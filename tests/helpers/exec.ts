/**
 * Guarded execution on a test-owned devnet, in process: an executor deployed for a fresh key,
 * a config with an `execution:` block, and N cycles of the real loop (chain source → evaluation →
 * simulation → execution → artifacts) with hooks to move the market or the chain between the
 * pin and the signature.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodeFunctionData, parseAbi, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { chainSource } from '../../lib/chain/chainSource.ts'
import { loadConfig } from '../../lib/config/load.ts'
import { OPERATOR, send } from '../../lib/devnet/chain.ts'
import { deployExecutor } from '../../lib/devnet/executor.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { setupExecution } from '../../lib/exec/setup.ts'
import { TradeStore } from '../../lib/exec/store.ts'
import type { Submitter } from '../../lib/exec/submit.ts'
import { ScanLog } from '../../lib/report/write.ts'
import { runCycles, type CycleOutcome, type CycleSource, type ExecutionStep } from '../../lib/scan/run.ts'
import { tempDir } from './cli.ts'

export type Rig = { devnet: Devnet; key: Hex; signer: Address; executor: Address; configPath: string }

/**
 * A fresh key (not a published one), its executor, and config/smoke.yaml (every devnet venue)
 * with an `execution` block and `kill` settings. The head-age rule is off unless set: an
 * automining devnet makes blocks only for transactions.
 */
export async function rig(devnet: Devnet, kill: Record<string, string | number> = {}): Promise<Rig> {
  const key = generatePrivateKey()
  const signer = privateKeyToAccount(key).address
  const executor = await deployExecutor(devnet.client, signer)
  const configPath = join(tempDir(), 'live.yaml')
  const rules = Object.entries({ max_head_age_s: 0, ...kill }).map(([name, value]) => `    ${name}: ${typeof value === 'string' ? `"${value}"` : value}`)
  writeFileSync(configPath, `${readFileSync(new URL('../../config/smoke.yaml', import.meta.url), 'utf8')}\nexecution:\n  mode: live\n  executor: "${executor}"\n  rebroadcast_ms: 200\n  kill:\n${rules.join('\n')}\n`)
  return { devnet, key, signer, executor, configPath }
}

export type LiveRun = { outcomes: CycleOutcome[]; dir: string; store: string; report: string | null; ledger: TradeStore }

/**
 * Runs `cycles` cycles of live execution (dry-run with `mode`). `hook` runs before each cycle's
 * execution step (after the pin and the simulation): the moment a competitor or an operator acts.
 */
export async function runLive(r: Rig, { cycles = 1, store, mode, hook, source: wrapSource, stopping = () => null, submitter, url = r.devnet.url }: {
  cycles?: number
  store?: string
  mode?: 'dry-run' | 'live'
  hook?: (cycle: number) => Promise<void>
  source?: (source: CycleSource) => CycleSource
  stopping?: () => string | null
  submitter?: Submitter
  /** The endpoint (default: the devnet itself; a latency proxy for benchmarks). */
  url?: string
} = {}): Promise<LiveRun> {
  const loaded = loadConfig(r.configPath)
  const config = mode ? { ...loaded, execution: { ...loaded.execution, mode } } : loaded
  const dir = tempDir()
  const storePath = store ?? join(tempDir(), 'exec.sqlite')
  const chain = chainSource(config, [url])
  const run = (await setupExecution({ config, outputDir: dir, endpoints: [url], client: chain.client, devnet: null, storePath, stopping, submitter, env: { ARBY_EXEC_PRIVATE_KEY: r.key } }))!
  let cycle = 0
  const step: ExecutionStep = {
    onCycle: async (c) => {
      await hook?.(++cycle)
      return run.step.onCycle(c)
    },
  }
  try {
    const { outcomes } = await runCycles({ config, source: wrapSource ? wrapSource(chain) : chain, cycles, outputDir: dir, log: new ScanLog(dir), execute: step })
    return { outcomes, dir, store: storePath, report: run.report(), ledger: TradeStore.open(storePath) }
  } finally {
    run.close()
    await chain.close()
  }
}

const erc20 = parseAbi(['function transfer(address, uint256) returns (bool)'])

/** Sends `amount` of a token from the devnet operator to `to`: a balance moving outside a trade. */
export async function transferToken(devnet: Devnet, token: Address, to: Address, amount: bigint): Promise<void> {
  await send(devnet.client, 'transfer', { from: OPERATOR, to: token, data: encodeFunctionData({ abi: erc20, functionName: 'transfer', args: [to, amount] }) })
}

/** The signer's transactions on chain from `fromBlock` on: nonce → hash (what the ledger must account for). */
export async function signerTransactions(devnet: Devnet, signer: Address, fromBlock: bigint): Promise<Map<number, Hex>> {
  const head = await devnet.client.getBlockNumber()
  const out = new Map<number, Hex>()
  for (let n = fromBlock; n <= head; n++) {
    const block = await devnet.client.getBlock({ blockNumber: n, includeTransactions: true })
    for (const tx of block.transactions) if (tx.from.toLowerCase() === signer.toLowerCase()) out.set(tx.nonce, tx.hash)
  }
  return out
}

/**
 * One devnet for a describe block, each test on a snapshot of it (reverted after, automine back
 * on): tests trade on the same seeded gaps without paying a devnet start each. Call inside describe.
 */
export function devnetPerTest(): { readonly devnet: Devnet } {
  const holder = {} as { devnet: Devnet }
  let snapshot: Hex
  beforeAll(async () => {
    holder.devnet = await startDevnet()
  })
  beforeEach(async () => {
    snapshot = await holder.devnet.client.snapshot()
  })
  afterEach(async () => {
    await holder.devnet.client.setAutomine(true)
    await holder.devnet.client.revert({ id: snapshot })
  })
  afterAll(async () => {
    await holder.devnet?.stop()
  })
  return holder
}
