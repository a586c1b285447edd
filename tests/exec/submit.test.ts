import { beforeEach, describe, expect, test } from 'bun:test'
import type { Hex } from 'viem'
import type { Devnet } from '../../lib/devnet/startDevnet.ts'
import { devnetPerTest, rig, runLive, signerTransactions } from '../helpers/exec.ts'
import { FakeSubmitter } from '../helpers/fakeSubmitter.ts'

describe('submission faults: the chain decides, a nonce is never reused on a guess', () => {
  const chain = devnetPerTest()
  let devnet: Devnet
  beforeEach(() => {
    devnet = chain.devnet
  })

  test('behavior: an answer lost in transit (the node took it): tracked as sent, settled from its receipt', async () => {
    const r = await rig(devnet)
    const fake = new FakeSubmitter(devnet.url, ['ambiguous'])
    const run = await runLive(r, { submitter: fake })
    const [trade] = run.ledger.list()
    expect([trade!.state, trade!.code, trade!.realized!.profit_diff]).toEqual(['SETTLED', null, '0'])
    expect(trade!.transitions.find((t) => t.to === 'SUBMITTED')!.detail).toBe('no clear answer (timed out after 10000 ms); tracking it as sent')
  })

  test('behavior: a slow endpoint: the same bytes are sent again (never new ones) until the receipt comes', async () => {
    const r = await rig(devnet)
    const fake = new FakeSubmitter(devnet.url, [{ delayMs: 450 }, 'drop'])
    try {
      const run = await runLive(r, { submitter: fake })
      const [trade] = run.ledger.list()
      expect(trade!.state).toBe('SETTLED')
      expect(trade!.sends).toBeGreaterThanOrEqual(2)
      expect(new Set(fake.sent.map((s) => s.raw))).toEqual(new Set([trade!.tx!.raw as Hex]))
      expect(trade!.transitions.filter((t) => t.event === 'rebroadcast').length).toBe(trade!.sends - 1)
    } finally {
      fake.stop()
    }
  })

  test('behavior: every send dropped: after the rebroadcasts, DROPPED with the nonce still free; the next cycle trades on that nonce', async () => {
    const r = await rig(devnet)
    const nonce = await devnet.client.getTransactionCount({ address: r.signer })
    const dropped = await runLive(r, { submitter: new FakeSubmitter(devnet.url, ['drop']) })
    const [trade] = dropped.ledger.list()
    expect([trade!.state, trade!.code, trade!.sends, trade!.tx!.nonce]).toEqual(['DROPPED', 'EXEC_DROPPED', 4, nonce])
    expect(dropped.ledger.nextNonce(r.signer)).toBe(nonce)
    expect(await devnet.client.getTransactionCount({ address: r.signer })).toBe(nonce)
    dropped.ledger.close()
    const next = await runLive(r, { store: dropped.store })
    const trades = next.ledger.list()
    expect(trades.map((t) => t.state)).toEqual(['DROPPED', 'SETTLED'])
    expect(trades[1]!.tx!.nonce).toBe(nonce)
    const onChain = await signerTransactions(devnet, r.signer, BigInt(trades[0]!.pin_block) + 1n)
    expect([...onChain.entries()]).toEqual([[nonce, trades[1]!.tx!.hash as Hex]])
  })

  test('error: a definitive refusal (nonce too high) abandons the trade and gives the nonce back', async () => {
    const r = await rig(devnet)
    const nonce = await devnet.client.getTransactionCount({ address: r.signer })
    const run = await runLive(r, { submitter: new FakeSubmitter(devnet.url, [{ refuse: '-32000 nonce too high' }]) })
    const [trade] = run.ledger.list()
    expect([trade!.state, trade!.code]).toEqual(['ABANDONED', 'EXEC_SEND_REFUSED'])
    expect(trade!.transitions.at(-1)!.detail).toBe(`refused: -32000 nonce too high; nonce ${nonce} was not used`)
    expect(run.ledger.nextNonce(r.signer)).toBe(nonce)
    expect(run.outcomes[0]!.artifacts.snapshot.rejects.filter((x) => x.stage === 'execution').map((x) => [x.code, x.bucket])).toEqual([['EXEC_SEND_REFUSED', 'infra']])
  })

  test('behavior: a refusal for bytes the node did take (another path carried them): the chain wins, the trade settles', async () => {
    const r = await rig(devnet)
    const run = await runLive(r, { submitter: new FakeSubmitter(devnet.url, [{ forwardThenRefuse: 'insufficient funds for gas' }]) })
    const [trade] = run.ledger.list()
    expect([trade!.state, trade!.code, trade!.receipt!.status]).toEqual(['SETTLED', null, 'success'])
  })
})
