import { beforeEach, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as v from 'valibot'
import { parseTransaction, recoverTransactionAddress, type Hex, type TransactionSerialized } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ExecutionReport, type TradeRecord } from '../../lib/contract/execution.ts'
import { ScanSnapshot } from '../../lib/contract/scanSnapshot.ts'
import { TruthReport } from '../../lib/contract/truthReport.ts'
import { market } from '../../lib/devnet/market.ts'
import type { Devnet } from '../../lib/devnet/startDevnet.ts'
import { arbEvent } from '../../lib/sim/executor.ts'
import { receiptOf } from '../../lib/devnet/chain.ts'
import { devnetPerTest, rig, runLive, signerTransactions, transferToken } from '../helpers/exec.ts'

describe('guarded execution on the devnet (live)', () => {
  const chain = devnetPerTest()
  let devnet: Devnet
  beforeEach(() => {
    devnet = chain.devnet
  })

  /** No trade of the ledger was signed at or after `block`. */
  const nothingSignedFrom = (trades: TradeRecord[], block: number) => trades.every((t) => t.signed_block === null || t.signed_block < block)

  test('behavior: three cycles, three settled trades: realized profit = predicted to the wei, gas = simulated, every nonce accounted for', async () => {
    const r = await rig(devnet)
    const start = await devnet.client.getBlockNumber()
    const run = await runLive(r, { cycles: 3 })
    const trades = run.ledger.list()
    expect(trades.map((t) => t.state)).toEqual(['SETTLED', 'SETTLED', 'SETTLED'])
    for (const t of trades) {
      expect(t.receipt!.status).toBe('success')
      expect([t.realized!.profit, t.realized!.profit_diff, t.realized!.gas_diff]).toEqual([t.predicted.profit, '0', '0'])
      expect(t.realized!.balance_delta).toBe(t.realized!.profit)
      // Signed only what was simulated at the head it was signed at (the pin, on an automining devnet).
      expect([t.sim_block, t.signed_block]).toEqual([t.pin_block, t.pin_block])
      expect(t.receipt!.block).toBe(t.pin_block + 1)
      // The chain agrees: the receipt's Arb event carries the same profit.
      const receipt = await devnet.client.getTransactionReceipt({ hash: t.tx!.hash as Hex })
      expect(arbEvent(receipt.logs, r.executor)!.profit.toString()).toBe(t.realized!.profit)
      expect(receipt.gasUsed.toString()).toBe(t.predicted.gas_used)
      expect(BigInt(t.realized!.cost_wei)).toBe(receipt.gasUsed * receipt.effectiveGasPrice)
      expect(await recoverTransactionAddress({ serializedTransaction: t.tx!.raw as TransactionSerialized })).toBe(r.signer)
      expect(parseTransaction(t.tx!.raw as TransactionSerialized).maxPriorityFeePerGas ?? 0n).toBe(0n)
    }
    const onChain = await signerTransactions(devnet, r.signer, start + 1n)
    expect([...onChain.entries()].sort()).toEqual(trades.map((t) => [t.tx!.nonce, t.tx!.hash as Hex] as [number, Hex]).sort())
    expect(run.ledger.nextNonce(r.signer)).toBe(await devnet.client.getTransactionCount({ address: r.signer }))
    const report = v.parse(ExecutionReport, JSON.parse(readFileSync(run.report!, 'utf8')))
    expect([report.totals.settled, report.totals.profit_exact, report.totals.gas_exact, report.kill.state]).toEqual([3, 3, 3, 'running'])
    // The truth report of each cycle names its trade; opportunities were ready (live, every gate passed).
    for (const outcome of run.outcomes) {
      const truth = v.parse(TruthReport, outcome.artifacts.truth)
      expect([truth.execution_enabled, truth.execution_blocker, truth.execution!.trade!.state]).toEqual([true, null, 'SETTLED'])
      expect(truth.stats.execution_ready_count).toBeGreaterThan(0)
      v.parse(ScanSnapshot, outcome.artifacts.snapshot)
    }
    const log = readFileSync(join(run.dir, 'exec.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    expect(log.filter((l) => l.event === 'trade').map((l) => l.to)).toEqual(Array(3).fill(['DETECTED', 'SIMULATED', 'SIGNED', 'SUBMITTED', 'INCLUDED', 'SETTLED']).flat())
  })

  test('behavior: dry-run signs with the key and sends nothing (the nonce stays free, nothing on chain)', async () => {
    const r = await rig(devnet)
    const nonce = await devnet.client.getTransactionCount({ address: r.signer })
    const run = await runLive(r, { mode: 'dry-run' })
    const [trade] = run.ledger.list()
    expect([trade!.state, trade!.sends, trade!.tx!.nonce]).toEqual(['ABANDONED', 0, nonce])
    expect(await recoverTransactionAddress({ serializedTransaction: trade!.tx!.raw as TransactionSerialized })).toBe(r.signer)
    expect(await devnet.client.getTransactionCount({ address: r.signer })).toBe(nonce)
    expect(await devnet.client.getTransaction({ hash: trade!.tx!.hash as Hex }).catch(() => null)).toBeNull()
    const truth = run.outcomes[0]!.artifacts.truth
    expect([truth.execution_enabled, truth.execution_blocker, truth.stats.execution_ready_count]).toEqual([false, 'DRY_RUN_NO_SEND', 0])
  })

  test('error: a competitor moves the route between the pin and the signature: re-simulated at the new head, EXEC_STALE, nothing signed', async () => {
    const r = await rig(devnet)
    const nonce = await devnet.client.getTransactionCount({ address: r.signer })
    // The devnet's best route buys ARB on uniswap_v3:500 and sells it on sushiswap_v3:3000: sell ARB there first.
    const run = await runLive(r, { hook: () => market(devnet.client, devnet.deployment).swap({ venue: 'sushiswap_v3:3000', tokenIn: 'ARB', tokenOut: 'WETH', amountIn: 5_000n * 10n ** 18n }) })
    const [trade] = run.ledger.list()
    expect([trade!.state, trade!.code, trade!.tx]).toEqual(['REJECTED', 'EXEC_STALE', null])
    expect(trade!.transitions.at(-1)!.detail).toMatch(/^re-simulated at head \d+ \(pin \d+\): /)
    expect(await devnet.client.getTransactionCount({ address: r.signer })).toBe(nonce)
    const rejects = run.outcomes[0]!.artifacts.snapshot.rejects.filter((x) => x.stage === 'execution')
    expect(rejects.map((x) => [x.code, x.bucket])).toEqual([['EXEC_STALE', 'other']])
  })

  test('error: a competitor in the same block makes the trade revert on-chain (ProfitTooLow): its gas is the loss, the kill switch halts, and nothing is signed from that block on, across a restart', async () => {
    const r = await rig(devnet, { max_consecutive_reverts: 1 })
    await devnet.client.setAutomine(false)
    // One block, mined once both transactions wait in the pool: the competitor's and ours.
    let mining = true
    const miner = (async () => {
      while (mining) {
        const status = await devnet.client.request({ method: 'txpool_status' as never }) as { pending: string }
        if (Number(status.pending) >= 2) await devnet.client.mine({ blocks: 1 })
        await Bun.sleep(10)
      }
    })()
    try {
      const run = await runLive(r, {
        // In the mempool before ours, with a tip (ours has none): mined first in the same block.
        hook: () => market(devnet.client, devnet.deployment).swap({ venue: 'sushiswap_v3:3000', tokenIn: 'ARB', tokenOut: 'WETH', amountIn: 5_000n * 10n ** 18n, wait: false }),
      })
      mining = false
      await miner
      const [trade] = run.ledger.list()
      expect([trade!.state, trade!.code, trade!.receipt!.status, trade!.realized!.profit]).toEqual(['SETTLED', 'EXEC_REVERTED', 'reverted', '0'])
      expect(BigInt(trade!.realized!.net)).toBeLessThan(0n)
      const halt = run.ledger.halt()
      expect(halt.state).toBe('halted')
      expect(halt.reason).toBe('1 on-chain reverts in a row (kill.max_consecutive_reverts 1)')
      expect(halt.sinceBlock).toBe(trade!.receipt!.block)
      run.ledger.close()

      // A restart with the same ledger: still halted, the next cycle signs nothing.
      const again = await runLive(r, { store: run.store })
      const trades = again.ledger.list()
      expect(trades.map((t) => [t.state, t.code])).toEqual([['SETTLED', 'EXEC_REVERTED'], ['REJECTED', 'EXEC_HALTED']])
      expect(trades[1]!.transitions.at(-1)!.detail).toBe('1 on-chain reverts in a row (kill.max_consecutive_reverts 1)')
      expect(nothingSignedFrom(trades, halt.sinceBlock!)).toBe(true)
      const truth = again.outcomes[0]!.artifacts.truth
      expect([truth.execution_blocker, truth.stats.execution_ready_count, truth.execution!.kill!.state]).toEqual(['KILL_SWITCH_ACTIVE', 0, 'halted'])
    } finally {
      mining = false
      await miner
    }
  })

  test.each([
    ['the signer\'s ETH balance moves', async (r: Awaited<ReturnType<typeof rig>>) => {
      await devnet.client.setBalance({ address: r.signer, value: (await devnet.client.getBalance({ address: r.signer })) + 1n })
    }, /^the signer's ETH balance moved outside a trade: \d+ → \d+ wei$/],
    ['the executor receives tokens outside a trade', async (r: Awaited<ReturnType<typeof rig>>) => {
      await transferToken(devnet, devnet.deployment.tokens.USDC, r.executor, 1n)
    }, /^the executor's 0x[0-9a-fA-F]{40} balance moved outside a trade: 0 → 1$/],
    ['another transaction uses the signer\'s nonce', async (r: Awaited<ReturnType<typeof rig>>) => {
      const account = privateKeyToAccount(r.key)
      const raw = await account.signTransaction({ chainId: 42161, nonce: await devnet.client.getTransactionCount({ address: r.signer }), to: r.signer, value: 0n, gas: 21_000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 0n })
      await receiptOf(devnet.client, await devnet.client.sendRawTransaction({ serializedTransaction: raw }))
    }, /^nonce \d+ was used by a transaction not in the ledger \(chain nonce \d+\): the key is used elsewhere$/],
    ['a KILL file appears next to the ledger', async (_r: Awaited<ReturnType<typeof rig>>, store: string) => {
      writeFileSync(join(dirname(store), 'KILL'), '')
    }, /^a KILL file is present$/],
  ] as const)('error: %s between two cycles: HALT before the next signature, persisted; nothing signed from that block on', async (_, act, reason) => {
    const r = await rig(devnet)
    const first = await runLive(r)
    expect(first.ledger.list().map((t) => t.state)).toEqual(['SETTLED'])
    first.ledger.close()
    await act(r, first.store)
    const observed = Number(await devnet.client.getBlockNumber())
    const nonce = await devnet.client.getTransactionCount({ address: r.signer })
    const second = await runLive(r, { store: first.store })
    const trades = second.ledger.list()
    expect(trades.map((t) => [t.state, t.code])).toEqual([['SETTLED', null], ['REJECTED', 'EXEC_HALTED']])
    expect(trades[1]!.transitions.at(-1)!.detail).toMatch(reason)
    const halt = second.ledger.halt()
    expect([halt.state, halt.sinceBlock]).toEqual(['halted', observed])
    expect(halt.reason).toMatch(reason)
    expect(nothingSignedFrom(trades, observed)).toBe(true)
    expect(await devnet.client.getTransactionCount({ address: r.signer })).toBe(nonce)
  })

  test('behavior: a base fee above the cap pauses (EXEC_PAUSED, not persisted): the next run under a higher cap trades', async () => {
    const r = await rig(devnet, { max_base_fee_wei: '1' })
    const paused = await runLive(r)
    const [trade] = paused.ledger.list()
    expect([trade!.state, trade!.code]).toEqual(['REJECTED', 'EXEC_PAUSED'])
    expect(trade!.transitions.at(-1)!.detail).toMatch(/^base fee \d+ wei is above kill.max_base_fee_wei 1$/)
    expect(paused.ledger.halt().state).toBe('running')
    expect(paused.outcomes[0]!.artifacts.truth.execution!.kill!.paused).toMatch(/^base fee/)
    paused.ledger.close()
    writeFileSync(r.configPath, readFileSync(r.configPath, 'utf8').replace('max_base_fee_wei: "1"', 'max_base_fee_wei: "200000000"'))
    const resumed = await runLive(r, { store: paused.store })
    expect(resumed.ledger.list().map((t) => t.state)).toEqual(['REJECTED', 'SETTLED'])
  })

  test('error: simulations that disagree with the prediction quarantine their routes; enough of them halt before anything is signed', async () => {
    const r = await rig(devnet)
    // A source whose sell quotes claim one wei more than the pools give: every simulation mismatches.
    const lying = (source: Parameters<NonNullable<Parameters<typeof runLive>[1]>['source'] & {}>[0]) => ({
      ...source,
      simulate: source.simulate!.bind(source),
      async readCycle(cycle: number) {
        const input = await source.readCycle(cycle)
        return { ...input, quotes: input.quotes.map((q) => (q.ok && q.request.side === 'sell' ? { ...q, amountOut: q.amountOut + 1n } : q)) }
      },
    })
    const nonce = await devnet.client.getTransactionCount({ address: r.signer })
    const run = await runLive(r, { source: lying })
    const snapshot = run.outcomes[0]!.artifacts.snapshot
    expect(snapshot.stats.sim_mismatches).toBeGreaterThan(0)
    expect(snapshot.rejects.filter((x) => x.code === 'SIM_MISMATCH').length).toBe(snapshot.stats.sim_mismatches)
    const kill = run.outcomes[0]!.artifacts.truth.execution!.kill!
    expect(kill.quarantined.length).toBeGreaterThanOrEqual(3)
    expect(kill.state).toBe('halted')
    expect(kill.reason).toMatch(/^\d+ routes quarantined after simulation mismatches \(kill.max_quarantined_routes 3\)$/)
    // Optimal sizes come from the pools' own state, not the lying quotes: their plans pass, and are refused by the halt.
    expect(run.ledger.list().map((t) => [t.state, t.code, t.tx])).toEqual(run.ledger.list().map(() => ['REJECTED', 'EXEC_HALTED', null]))
    expect(await devnet.client.getTransactionCount({ address: r.signer })).toBe(nonce)
  })
})
