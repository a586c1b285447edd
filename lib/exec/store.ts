import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import * as v from 'valibot'
import { TradeRecord, type KillState, type TradeEvent } from '../contract/execution.ts'
import { ContractError, InputError } from '../errors.ts'
import { isTerminal, transition } from './fsm.ts'

/**
 * The trade ledger in bun:sqlite (WAL, synchronous=FULL: a write is on disk when it returns).
 * Every transition is one transaction (the trade row and its history line together); a nonce is
 * reserved in the same transaction that stores the signed bytes, so a crash can never leave a
 * signed transaction the ledger does not know, nor a nonce handed out twice. A partial unique
 * index makes "two live trades with one nonce" impossible at the storage level.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS trades (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  run_id TEXT NOT NULL,
  state TEXT NOT NULL,
  route TEXT NOT NULL,
  signer TEXT NOT NULL,
  nonce INTEGER,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS trades_live_nonce ON trades (signer, nonce) WHERE nonce IS NOT NULL AND state NOT IN ('ABANDONED', 'DROPPED');
CREATE INDEX IF NOT EXISTS trades_state ON trades (state);
CREATE TABLE IF NOT EXISTS transitions (
  trade_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (trade_id, seq)
);
CREATE TABLE IF NOT EXISTS nonces (signer TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS kill (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL, reason TEXT, since_ms INTEGER, since_block INTEGER);
CREATE TABLE IF NOT EXISTS quarantine (route TEXT PRIMARY KEY, until_ms INTEGER NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS baselines (key TEXT PRIMARY KEY, value TEXT NOT NULL, block INTEGER NOT NULL);
`

type Transition = TradeRecord['transitions'][number]
type Body = Omit<TradeRecord, 'transitions'>
export type TradePatch = Partial<Omit<TradeRecord, 'id' | 'state' | 'transitions' | 'created_at' | 'updated_at'>>
export type Baseline = { key: string; value: bigint; block: number }
export type Halt = { state: 'running' | 'halted'; reason: string | null; sinceMs: number | null; sinceBlock: number | null }

export class TradeStore {
  private constructor(private readonly db: Database, readonly path: string, private readonly now: () => number) {}

  static open(path: string, { now = () => Date.now() }: { now?: () => number } = {}): TradeStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    let db: Database
    try {
      db = new Database(path, { create: true, strict: true })
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;')
      db.exec(SCHEMA)
    } catch (error) {
      throw new InputError('EXEC_STORE_UNUSABLE', `cannot open the trade ledger ${path}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'check execution.store (or --store): a writable sqlite file' })
    }
    return new TradeStore(db, path, now)
  }

  close(): void {
    this.db.close()
  }

  /** A ledger belongs to one chain and one signer: mixing them would mix nonces. */
  bind(chainId: number, signer: string): void {
    const read = (key: string) => this.db.query<{ value: string }, [string]>('SELECT value FROM meta WHERE key = ?').get(key)?.value
    const [chain, owner] = [read('chain_id'), read('signer')]
    if (chain === undefined) {
      this.db.transaction(() => {
        this.db.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['chain_id', String(chainId)])
        this.db.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['signer', signer.toLowerCase()])
      })()
      return
    }
    if (chain !== String(chainId) || owner !== signer.toLowerCase()) {
      throw new InputError('EXEC_STORE_MISMATCH', `the trade ledger ${this.path} belongs to chain ${chain} and signer ${owner}, not chain ${chainId} and signer ${signer.toLowerCase()}`, { hint: 'use another execution.store (or --store) for this chain and key' })
    }
  }

  /** A new trade (state DETECTED), written with its first history line. */
  insert(trade: Omit<TradeRecord, 'state' | 'transitions' | 'created_at' | 'updated_at'>, block: number | null): TradeRecord {
    const at = this.now()
    const body: Body = { ...trade, state: 'DETECTED', created_at: iso(at), updated_at: iso(at) }
    this.db.transaction(() => {
      this.db.run('INSERT INTO trades (id, run_id, state, route, signer, nonce, created_ms, updated_ms, body) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)', [body.id, body.run_id, body.state, body.route, body.signer.toLowerCase(), at, at, JSON.stringify(body)])
      this.addTransition(body.id, { from: null, to: 'DETECTED', event: null, at: iso(at), block, detail: null })
    })()
    return this.get(body.id)!
  }

  /**
   * Applies one event (the state machine decides the next state) with the fields it brings, and
   * any balance baselines that must change with it (a settlement moves them) in the same transaction.
   */
  apply(id: string, event: TradeEvent, patch: TradePatch = {}, { block = null, detail = null, baselines = [] }: { block?: number | null; detail?: string | null; baselines?: readonly Baseline[] } = {}): TradeRecord {
    this.db.transaction(() => {
      this.write(id, event, patch, block, detail)
      for (const b of baselines) this.setBaseline(b.key, b.value, b.block)
    })()
    return this.get(id)!
  }

  /**
   * SIMULATED → SIGNED and the nonce reservation, atomically: the nonce must be the signer's
   * next one, which then moves past it. The signed bytes are on disk before anyone may send them.
   */
  sign(id: string, patch: TradePatch & { tx: NonNullable<TradeRecord['tx']> }, block: number, { reserve }: { reserve: boolean }): TradeRecord {
    this.db.transaction(() => {
      const trade = this.get(id)!
      if (reserve) {
        const next = this.nextNonce(trade.signer)
        if (next !== patch.tx.nonce) throw new ContractError('NONCE_NOT_NEXT', `nonce ${patch.tx.nonce} is not the signer's next (${next})`, { hint: 'this is a bug in ARBY; run `bun run arby exec status` and report it' })
        this.db.run('UPDATE nonces SET next = ? WHERE signer = ?', [patch.tx.nonce + 1, trade.signer.toLowerCase()])
        this.db.run('UPDATE trades SET nonce = ? WHERE id = ?', [patch.tx.nonce, id])
      }
      this.write(id, 'sign', patch, block, null)
    })()
    return this.get(id)!
  }

  /** A refused send never used its nonce: the signer's next nonce goes back to it (one trade in flight). */
  release(id: string, event: 'refused' | 'dropped', patch: TradePatch, detail: string): TradeRecord {
    this.db.transaction(() => {
      const trade = this.get(id)!
      this.write(id, event, patch, null, detail)
      if (trade.tx) this.db.run('UPDATE nonces SET next = ? WHERE signer = ? AND next = ?', [trade.tx.nonce, trade.signer.toLowerCase(), trade.tx.nonce + 1])
    })()
    return this.get(id)!
  }

  private write(id: string, event: TradeEvent, patch: TradePatch, block: number | null, detail: string | null): void {
    // Inside the write transaction the row was written by this code: its JSON is read as is (reads from outside are validated, see get).
    const row = this.db.query<{ body: string }, [string]>('SELECT body FROM trades WHERE id = ?').get(id)
    if (!row) throw new ContractError('TRADE_UNKNOWN', `no trade ${id} in the ledger`, { hint: 'run `bun run arby exec history` to list trades' })
    const current = JSON.parse(row.body) as Body
    const to = transition(current.state, event)
    const at = this.now()
    const next: Body = { ...current, ...patch, state: to, updated_at: iso(at) }
    this.db.run('UPDATE trades SET state = ?, updated_ms = ?, body = ? WHERE id = ?', [to, at, JSON.stringify(next), id])
    this.addTransition(id, { from: current.state, to, event, at: iso(at), block, detail })
  }

  private addTransition(id: string, line: Transition): void {
    const seq = this.db.query<{ n: number }, [string]>('SELECT COUNT(*) AS n FROM transitions WHERE trade_id = ?').get(id)!.n
    this.db.run('INSERT INTO transitions (trade_id, seq, body) VALUES (?, ?, ?)', [id, seq, JSON.stringify(line)])
  }

  get(id: string): TradeRecord | null {
    const row = this.db.query<{ body: string }, [string]>('SELECT body FROM trades WHERE id = ?').get(id)
    return row ? this.decode(id, row.body) : null
  }

  private decode(id: string, body: string): TradeRecord {
    const lines = this.db.query<{ body: string }, [string]>('SELECT body FROM transitions WHERE trade_id = ? ORDER BY seq').all(id).map((r) => JSON.parse(r.body))
    const parsed = v.safeParse(TradeRecord, { ...JSON.parse(body), transitions: lines })
    if (!parsed.success) throw new ContractError('EXEC_STORE_CORRUPT', `trade ${id} in the ledger ${this.path} breaks its schema`, { hint: 'inspect it with `bun run arby exec history --json`', details: parsed.issues.slice(0, 3).map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`) })
    return parsed.output
  }

  /** Trades in insertion order, optionally only some. */
  list({ runId, route, sinceMs, states, limit }: { runId?: string; route?: string; sinceMs?: number; states?: readonly string[]; limit?: number } = {}): TradeRecord[] {
    const where: string[] = []
    const args: (string | number)[] = []
    if (runId) { where.push('run_id = ?'); args.push(runId) }
    if (route) { where.push('route = ?'); args.push(route) }
    if (sinceMs !== undefined) { where.push('created_ms >= ?'); args.push(sinceMs) }
    if (states) { where.push(`state IN (${states.map(() => '?').join(', ')})`); args.push(...states) }
    const sql = `SELECT id, body FROM trades ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${limit ? ` DESC LIMIT ${Math.trunc(limit)}` : ''}`
    const rows = this.db.query<{ id: string; body: string }, (string | number)[]>(sql).all(...args)
    const trades = rows.map((row) => this.decode(row.id, row.body))
    return limit ? trades.reverse() : trades
  }

  /** Every trade that is not terminal: what a restart must reconcile before signing anything. */
  unfinished(): TradeRecord[] {
    return this.list().filter((trade) => !isTerminal(trade.state))
  }

  nextNonce(signer: string): number | null {
    return this.db.query<{ next: number }, [string]>('SELECT next FROM nonces WHERE signer = ?').get(signer.toLowerCase())?.next ?? null
  }

  setNextNonce(signer: string, next: number): void {
    this.db.run('INSERT INTO nonces (signer, next) VALUES (?, ?) ON CONFLICT (signer) DO UPDATE SET next = excluded.next', [signer.toLowerCase(), next])
  }

  halt(): Halt {
    const row = this.db.query<{ state: string; reason: string | null; since_ms: number | null; since_block: number | null }, []>('SELECT state, reason, since_ms, since_block FROM kill WHERE id = 1').get()
    return row ? { state: row.state === 'halted' ? 'halted' : 'running', reason: row.reason, sinceMs: row.since_ms, sinceBlock: row.since_block } : { state: 'running', reason: null, sinceMs: null, sinceBlock: null }
  }

  /** HALT persists until resume; the first reason is kept (a second halt does not overwrite it). */
  setHalted(reason: string, block: number | null): Halt {
    if (this.halt().state !== 'halted') {
      this.db.run('INSERT INTO kill (id, state, reason, since_ms, since_block) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, reason = excluded.reason, since_ms = excluded.since_ms, since_block = excluded.since_block', ['halted', reason, this.now(), block])
    }
    return this.halt()
  }

  resume(): void {
    this.db.transaction(() => {
      this.db.run('INSERT INTO kill (id, state, reason, since_ms, since_block) VALUES (1, ?, NULL, NULL, NULL) ON CONFLICT (id) DO UPDATE SET state = excluded.state, reason = NULL, since_ms = NULL, since_block = NULL', ['running'])
      // A resume accepts the balances as they are now: they are read again before the next signature.
      this.db.run('DELETE FROM baselines')
      this.db.run('DELETE FROM quarantine')
    })()
  }

  quarantine(route: string, untilMs: number, reason: string): void {
    this.db.run('INSERT INTO quarantine (route, until_ms, reason) VALUES (?, ?, ?) ON CONFLICT (route) DO UPDATE SET until_ms = excluded.until_ms, reason = excluded.reason', [route, untilMs, reason])
  }

  quarantined(nowMs = this.now()): { route: string; untilMs: number; reason: string }[] {
    return this.db.query<{ route: string; until_ms: number; reason: string }, [number]>('SELECT route, until_ms, reason FROM quarantine WHERE until_ms > ? ORDER BY route').all(nowMs)
      .map((row) => ({ route: row.route, untilMs: row.until_ms, reason: row.reason }))
  }

  baseline(key: string): { value: bigint; block: number } | null {
    const row = this.db.query<{ value: string; block: number }, [string]>('SELECT value, block FROM baselines WHERE key = ?').get(key)
    return row ? { value: BigInt(row.value), block: row.block } : null
  }

  setBaseline(key: string, value: bigint, block: number): void {
    this.db.run('INSERT INTO baselines (key, value, block) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, block = excluded.block', [key, value.toString(), block])
  }

  killState(nowMs = this.now(), paused: string | null = null): KillState {
    const halt = this.halt()
    return {
      state: halt.state,
      reason: halt.reason,
      since_block: halt.sinceBlock,
      since: halt.sinceMs === null ? null : iso(halt.sinceMs),
      paused,
      quarantined: this.quarantined(nowMs).map((q) => ({ route: q.route, until: iso(q.untilMs), reason: q.reason })),
    }
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
