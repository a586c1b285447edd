/**
 * Crash trials for live execution: the CLI trades on a test-owned devnet and is SIGKILLed — at a
 * named step (a failpoint) or at a random moment — then restarted on the same ledger. After the
 * restart the ledger and the chain must agree exactly: every trade terminal, one raw transaction
 * per nonce, every transaction of the signer on chain in the ledger under its nonce and hash, the
 * ledger's next nonce the chain's.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Hex } from 'viem'
import type { Devnet } from '../../lib/devnet/startDevnet.ts'
import { TradeStore } from '../../lib/exec/store.ts'
import { isTerminal } from '../../lib/exec/fsm.ts'
import { runCli, spawnCli, tempDir } from './cli.ts'
import { signerTransactions, type Rig } from './exec.ts'

export type Trial = { kill: { failpoint: string } | { afterMs: number } }

export type TrialResult = {
  /** How the first process ended: SIGKILL, or a normal exit when the kill came after its work. */
  ended: 'killed' | 'exited'
  /** The state the newest trade was left in by the kill (before the restart), if any. */
  leftIn: string | null
  trades: number
  settled: number
  violations: string[]
}

export async function crashTrial(r: Rig, trial: Trial, baseline: Hex): Promise<{ result: TrialResult; baseline: Hex }> {
  await r.devnet.client.revert({ id: baseline })
  const next = await r.devnet.client.snapshot()
  const start = await r.devnet.client.getBlockNumber()
  const store = join(tempDir(), 'exec.sqlite')
  const env = { ARBY_EXEC_PRIVATE_KEY: r.key }
  const args = (cycles: number) => ['scan', '--rpc', r.devnet.url, '-f', r.configPath, '-c', String(cycles), '--store', store, '-o', tempDir(), '--quiet']

  let ended: TrialResult['ended']
  if ('failpoint' in trial.kill) {
    const first = await runCli(args(2), { env: { ...env, ARBY_EXEC_FAILPOINT: trial.kill.failpoint } })
    ended = first.signal === 'SIGKILL' ? 'killed' : 'exited'
  } else {
    const child = spawnCli(args(3), { env })
    const timer = setTimeout(() => child.kill('SIGKILL'), trial.kill.afterMs)
    await child.exited
    clearTimeout(timer)
    ended = child.signal() === 'SIGKILL' ? 'killed' : 'exited'
  }
  let leftIn: string | null = null
  if (existsSync(store)) {
    const ledger = TradeStore.open(store)
    leftIn = ledger.list().at(-1)?.state ?? null
    ledger.close()
  }

  const restart = await runCli(args(1), { env })
  const violations: string[] = []
  if (restart.exitCode !== 0) violations.push(`restart exited ${restart.exitCode}: ${restart.stderr.slice(-400)}`)
  const result = { ended, leftIn, trades: 0, settled: 0, violations }
  if (!existsSync(store)) return { result, baseline: next }
  violations.push(...await audit(r.devnet, r.signer, store, start + 1n))
  const ledger = TradeStore.open(store)
  const trades = ledger.list()
  ledger.close()
  return { result: { ...result, trades: trades.length, settled: trades.filter((t) => t.state === 'SETTLED').length }, baseline: next }
}

/** The ledger against the chain: what a trade ledger must never get wrong. */
export async function audit(devnet: Devnet, signer: `0x${string}`, store: string, fromBlock: bigint): Promise<string[]> {
  const ledger = TradeStore.open(store)
  try {
    const trades = ledger.list()
    const problems: string[] = []
    for (const t of trades) if (!isTerminal(t.state)) problems.push(`trade ${t.id} left ${t.state}`)
    const byNonce = new Map<number, Set<string>>()
    for (const t of trades) {
      if (!t.tx || t.mode !== 'live') continue
      const raws = byNonce.get(t.tx.nonce) ?? new Set()
      raws.add(t.tx.raw)
      byNonce.set(t.tx.nonce, raws)
    }
    for (const [nonce, raws] of byNonce) if (raws.size > 1) problems.push(`nonce ${nonce} has ${raws.size} different signed transactions`)
    const onChain = await signerTransactions(devnet, signer, fromBlock)
    for (const [nonce, hash] of onChain) {
      const owner = trades.find((t) => t.tx?.hash === hash)
      if (!owner) problems.push(`on-chain nonce ${nonce} (${hash}) is in no ledger trade`)
      else if (owner.tx!.nonce !== nonce) problems.push(`trade ${owner.id} says nonce ${owner.tx!.nonce}, the chain ${nonce}`)
    }
    for (const t of trades) {
      if (t.state === 'SETTLED' && t.receipt && !onChain.has(t.tx!.nonce)) problems.push(`settled trade ${t.id} is not on chain`)
    }
    const chainNonce = await devnet.client.getTransactionCount({ address: signer })
    if (ledger.nextNonce(signer) !== chainNonce) problems.push(`ledger next nonce ${ledger.nextNonce(signer)} ≠ chain ${chainNonce}`)
    if (ledger.halt().state === 'halted') problems.push(`halted: ${ledger.halt().reason}`)
    return problems
  } finally {
    ledger.close()
  }
}
