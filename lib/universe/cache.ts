import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { InputError } from '../errors.ts'

/** A pool as its factory's creation event announced it. */
export type CreatedPool = { factory: string; address: string; token0: string; token1: string; fee: number | null; block: number }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS created (factory TEXT NOT NULL, address TEXT NOT NULL, token0 TEXT NOT NULL, token1 TEXT NOT NULL, fee INTEGER, block INTEGER NOT NULL, PRIMARY KEY (factory, address));
CREATE TABLE IF NOT EXISTS progress (factory TEXT NOT NULL, filter TEXT NOT NULL, block INTEGER NOT NULL, PRIMARY KEY (factory, filter));
`

/**
 * The universe cache (bun:sqlite under data/): every creation event read so far, and per
 * factory and token filter the last block read, so a restart resumes where it stopped instead
 * of scanning the chain's history again. A page's pools and its progress are one transaction.
 */
export class UniverseCache {
  private constructor(private readonly db: Database, readonly path: string) {}

  static open(path: string, chainId: number): UniverseCache {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    let db: Database
    try {
      db = new Database(path, { create: true, strict: true })
      db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;')
      db.exec(SCHEMA)
    } catch (error) {
      throw new InputError('UNIVERSE_CACHE_UNUSABLE', `cannot open the universe cache ${path}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'pass a writable path (--cache FILE)' })
    }
    const cache = new UniverseCache(db, path)
    const stored = db.query<{ value: string }, [string]>('SELECT value FROM meta WHERE key = ?').get('chain_id')?.value
    if (stored === undefined) db.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['chain_id', String(chainId)])
    else if (stored !== String(chainId)) {
      db.close()
      throw new InputError('UNIVERSE_CACHE_OTHER_CHAIN', `the universe cache ${path} holds chain ${stored}, not ${chainId}`, { hint: 'pass another --cache file for this chain' })
    }
    return cache
  }

  close(): void {
    this.db.close()
  }

  /**
   * Ties the cache to one history: the hash of the block its reading starts from. A chain with
   * the same id but another history (a devnet, a fork) is refused, never mixed in.
   */
  bindHistory(block: bigint, hash: string): void {
    const key = `block:${block}`
    const stored = this.db.query<{ value: string }, [string]>('SELECT value FROM meta WHERE key = ?').get(key)?.value
    if (stored === undefined) this.db.run('INSERT INTO meta (key, value) VALUES (?, ?)', [key, hash.toLowerCase()])
    else if (stored !== hash.toLowerCase()) throw new InputError('UNIVERSE_CACHE_OTHER_CHAIN', `the universe cache ${this.path} was read from another history (block ${block} is ${stored.slice(0, 10)}…, here ${hash.slice(0, 10)}…)`, { hint: 'pass another --cache file for this chain' })
  }

  /** The last block read for this factory and filter, or null (never read). */
  progress(factory: string, filter: string): number | null {
    return this.db.query<{ block: number }, [string, string]>('SELECT block FROM progress WHERE factory = ? AND filter = ?').get(factory.toLowerCase(), filter)?.block ?? null
  }

  /** One page read: its pools and the block it reached, together. */
  record(factory: string, filter: string, reached: number, pools: readonly CreatedPool[]): void {
    this.db.transaction(() => {
      for (const p of pools) {
        this.db.run('INSERT OR REPLACE INTO created (factory, address, token0, token1, fee, block) VALUES (?, ?, ?, ?, ?, ?)', [p.factory.toLowerCase(), p.address.toLowerCase(), p.token0.toLowerCase(), p.token1.toLowerCase(), p.fee, p.block])
      }
      this.db.run('INSERT OR REPLACE INTO progress (factory, filter, block) VALUES (?, ?, ?)', [factory.toLowerCase(), filter, reached])
    })()
  }

  pools(factory: string): CreatedPool[] {
    return this.db.query<CreatedPool, [string]>('SELECT factory, address, token0, token1, fee, block FROM created WHERE factory = ? ORDER BY block, address').all(factory.toLowerCase())
  }
}
