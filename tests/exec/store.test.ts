import { describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { join } from 'node:path'
import { TradeStore } from '../../lib/exec/store.ts'
import { tempDir } from '../helpers/cli.ts'
import { draft, SIGNER, tx } from '../helpers/trades.ts'

describe('the trade ledger (bun:sqlite)', () => {
  test('behavior: durable settings: WAL journal and synchronous=FULL', () => {
    const path = join(tempDir(), 'exec.sqlite')
    TradeStore.open(path).close()
    const db = new Database(path)
    expect(db.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
    db.close()
    // synchronous is per connection: read it through the store's own connection.
    const store = TradeStore.open(path) as unknown as { db: Database }
    expect(store.db.query('PRAGMA synchronous').get()).toEqual({ synchronous: 2 })
  })

  test('behavior: every transition is written with its history line; a reopened ledger reads the same trade', () => {
    const path = join(tempDir(), 'exec.sqlite')
    let clock = 1_000
    const store = TradeStore.open(path, { now: () => clock })
    store.bind(42161, SIGNER)
    store.setNextNonce(SIGNER, 7)
    store.insert(draft('t1'), 100)
    clock += 5
    store.apply('t1', 'pass', { sim_block: 100 }, { block: 100, detail: 'passed' })
    store.sign('t1', { tx: tx(7), signed_block: 101 }, 101, { reserve: true })
    store.apply('t1', 'send', { sends: 1 })
    store.close()
    const again = TradeStore.open(path)
    const trade = again.get('t1')!
    expect(trade.state).toBe('SUBMITTED')
    expect(trade.tx).toEqual(tx(7))
    expect(trade.transitions.map((t) => [t.from, t.to, t.event, t.block])).toEqual([
      [null, 'DETECTED', null, 100], ['DETECTED', 'SIMULATED', 'pass', 100], ['SIMULATED', 'SIGNED', 'sign', 101], ['SIGNED', 'SUBMITTED', 'send', null],
    ])
    expect(trade.created_at).toBe(new Date(1000).toISOString())
    expect(again.nextNonce(SIGNER)).toBe(8)
    expect(again.unfinished().map((t) => t.id)).toEqual(['t1'])
  })

  test('error: the state machine guards the ledger: an illegal event throws and writes nothing', () => {
    const store = TradeStore.open(join(tempDir(), 'exec.sqlite'))
    store.insert(draft('t1'), 100)
    expect(() => store.apply('t1', 'send')).toThrow('illegal trade transition: send in state DETECTED')
    expect(store.get('t1')!.transitions).toHaveLength(1)
  })

  test('error: a nonce is reserved only if it is the next one, and two live trades can never hold one nonce', () => {
    const store = TradeStore.open(join(tempDir(), 'exec.sqlite'))
    store.setNextNonce(SIGNER, 3)
    for (const id of ['a', 'b']) {
      store.insert(draft(id), 100)
      store.apply(id, 'pass')
    }
    expect(() => store.sign('a', { tx: tx(4) }, 100, { reserve: true })).toThrow('nonce 4 is not the signer\'s next (3)')
    expect(store.get('a')!.state).toBe('SIMULATED')
    store.sign('a', { tx: tx(3) }, 100, { reserve: true })
    // Forcing the same nonce past the allocator hits the storage-level unique index.
    store.setNextNonce(SIGNER, 3)
    expect(() => store.sign('b', { tx: tx(3) }, 100, { reserve: true })).toThrow(/UNIQUE/)
    expect(store.get('b')!.state).toBe('SIMULATED')
  })

  test('behavior: a refused send releases its nonce (it never reached the chain); the next trade may use it', () => {
    const store = TradeStore.open(join(tempDir(), 'exec.sqlite'))
    store.setNextNonce(SIGNER, 3)
    store.insert(draft('a'), 100)
    store.apply('a', 'pass')
    store.sign('a', { tx: tx(3) }, 100, { reserve: true })
    expect(store.nextNonce(SIGNER)).toBe(4)
    store.release('a', 'refused', { code: 'EXEC_SEND_REFUSED' }, 'nonce too high')
    expect(store.nextNonce(SIGNER)).toBe(3)
    expect(store.get('a')!.state).toBe('ABANDONED')
    store.insert(draft('b'), 100)
    store.apply('b', 'pass')
    expect(store.sign('b', { tx: tx(3) }, 100, { reserve: true }).state).toBe('SIGNED')
  })

  test('behavior: HALT persists across reopening until resume; the first reason is kept', () => {
    const path = join(tempDir(), 'exec.sqlite')
    const store = TradeStore.open(path, { now: () => 5_000 })
    store.setHalted('3 reverts in a row', 120)
    store.setHalted('a later reason', 130)
    store.close()
    const again = TradeStore.open(path)
    expect(again.halt()).toEqual({ state: 'halted', reason: '3 reverts in a row', sinceMs: 5_000, sinceBlock: 120 })
    again.resume()
    expect(again.halt().state).toBe('running')
  })

  test('error: a ledger belongs to one chain and one signer', () => {
    const store = TradeStore.open(join(tempDir(), 'exec.sqlite'))
    store.bind(42161, SIGNER)
    store.bind(42161, SIGNER.toLowerCase())
    expect(() => store.bind(1, SIGNER)).toThrow('belongs to chain 42161')
    expect(() => store.bind(42161, '0x0000000000000000000000000000000000000001')).toThrow('not chain 42161 and signer 0x0000000000000000000000000000000000000001')
  })

  test('error: a trade edited into nonsense is refused when read, never used', () => {
    const path = join(tempDir(), 'exec.sqlite')
    const store = TradeStore.open(path)
    store.insert(draft('t1'), 100)
    const db = new Database(path)
    db.run(`UPDATE trades SET body = json_set(body, '$.predicted.profit', 'lots') WHERE id = 't1'`)
    db.close()
    expect(() => store.get('t1')).toThrow('trade t1 in the ledger')
  })
})
