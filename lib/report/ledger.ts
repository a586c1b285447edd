import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { InputError } from '../errors.ts'
import { fsError } from './outputDir.ts'
import type { CycleArtifacts } from './build.ts'
import { opportunityRoute } from '../scan/candidates.ts'

/** Token decimals by symbol (a live view: tokens a universe discovers join after the run starts). */
export type DecimalsOf = { get(symbol: string): number | undefined }

/**
 * The opportunity ledger (bun:sqlite, `opportunities.sqlite` in the run directory): one row per
 * route episode — a route (pair, buy venue, sell venue) seen with an opportunity in consecutive
 * cycles — with its first and last block, how many cycles it stood, the best net profit and the
 * size it came at, and whether a simulation passed. It answers "how long do gaps on this route
 * live, and how much was there?" for runs of days, in kilobytes.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS episodes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  route TEXT NOT NULL,
  pair TEXT NOT NULL,
  buy_venue TEXT NOT NULL,
  sell_venue TEXT NOT NULL,
  base TEXT NOT NULL,
  quote TEXT NOT NULL,
  base_decimals INTEGER NOT NULL,
  quote_decimals INTEGER NOT NULL,
  first_block INTEGER NOT NULL,
  last_block INTEGER NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  cycles INTEGER NOT NULL,
  best_net TEXT NOT NULL,
  best_net_usd REAL,
  best_size TEXT NOT NULL,
  best_block INTEGER NOT NULL,
  simulated INTEGER NOT NULL,
  sim_passed INTEGER NOT NULL,
  open INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS episodes_route ON episodes (route, open);
CREATE INDEX IF NOT EXISTS episodes_seen ON episodes (last_seen);
`

export type Episode = {
  id: number
  route: string
  pair: string
  buy_venue: string
  sell_venue: string
  base: string
  quote: string
  base_decimals: number
  quote_decimals: number
  first_block: number
  last_block: number
  first_seen: string
  last_seen: string
  cycles: number
  /** Blocks from the first to the last cycle that saw it (inclusive). */
  blocks: number
  best_net: string
  best_net_usd: number | null
  best_size: string
  best_block: number
  simulated: boolean
  sim_passed: boolean
  open: boolean
}

type Row = Omit<Episode, 'blocks' | 'simulated' | 'sim_passed' | 'open'> & { simulated: number; sim_passed: number; open: number }

export class OpportunityLedger {
  private constructor(private readonly db: Database, readonly path: string, private readonly decimals: DecimalsOf) {}

  /** `decimals`: token symbol → decimals, kept with each episode so its amounts can be shown in whole tokens. */
  static open(path: string, { create = true, decimals = new Map() }: { create?: boolean; decimals?: DecimalsOf } = {}): OpportunityLedger {
    try {
      if (create) mkdirSync(dirname(path), { recursive: true })
      const db = new Database(path, { create, strict: true })
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;')
      db.exec(SCHEMA)
      return new OpportunityLedger(db, path, decimals)
    } catch (error) {
      if (create) throw fsError(error, path)
      throw new InputError('LEDGER_UNUSABLE', `cannot open the opportunity ledger ${path}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'pass a run directory that holds opportunities.sqlite (--from DIR)' })
    }
  }

  close(): void {
    this.db.close()
  }

  /**
   * Folds one cycle in: routes with an opportunity extend their open episode (or open one);
   * open episodes whose route has none close. A void cycle (no block) changes nothing: it saw nothing.
   */
  record(artifacts: CycleArtifacts): void {
    try {
      this.fold(artifacts)
    } catch (error) {
      throw fsError(error, this.path)
    }
  }

  private fold({ digest, truth }: CycleArtifacts): void {
    if (truth.current_block === 0) return
    const at = truth.timestamp
    const block = truth.current_block
    const passed = new Set(digest.simulations.filter((s) => s.status === 'passed').map((s) => s.id))
    const simulated = new Set(digest.simulations.map((s) => s.id))
    // The best opportunity of each route this cycle (by USD, then net).
    const best = new Map<string, (typeof digest.opportunities)[number]>()
    for (const o of digest.opportunities) {
      const route = opportunityRoute(o)
      const current = best.get(route)
      if (!current || (o.net_profit_usd ?? -Infinity) > (current.net_profit_usd ?? -Infinity)) best.set(route, o)
    }
    const routeSims = (route: string, ids: Set<string>) => digest.opportunities.some((o) => opportunityRoute(o) === route && ids.has(o.id))
    this.db.transaction(() => {
      const open = this.db.query<{ id: number; route: string; best_net_usd: number | null; best_net: string }, []>('SELECT id, route, best_net_usd, best_net FROM episodes WHERE open = 1').all()
      const openByRoute = new Map(open.map((e) => [e.route, e]))
      for (const [route, o] of best) {
        const sims = { simulated: routeSims(route, simulated) ? 1 : 0, passed: routeSims(route, passed) ? 1 : 0 }
        const episode = openByRoute.get(route)
        if (!episode) {
          this.db.run(
            'INSERT INTO episodes (route, pair, buy_venue, sell_venue, base, quote, base_decimals, quote_decimals, first_block, last_block, first_seen, last_seen, cycles, best_net, best_net_usd, best_size, best_block, simulated, sim_passed, open) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, 1)',
            [route, o.pair, o.buy.venue, o.sell.venue, o.base, o.quote, this.decimals.get(o.base) ?? 18, this.decimals.get(o.quote) ?? 18, block, block, at, at, o.net_profit, o.net_profit_usd, o.size, block, sims.simulated, sims.passed],
          )
          continue
        }
        const better = (o.net_profit_usd ?? -Infinity) > (episode.best_net_usd ?? -Infinity) || (o.net_profit_usd === null && BigInt(o.net_profit) > BigInt(episode.best_net))
        this.db.run(
          `UPDATE episodes SET last_block = ?, last_seen = ?, cycles = cycles + 1, simulated = MAX(simulated, ?), sim_passed = MAX(sim_passed, ?)${better ? ', best_net = ?, best_net_usd = ?, best_size = ?, best_block = ?' : ''} WHERE id = ?`,
          better ? [block, at, sims.simulated, sims.passed, o.net_profit, o.net_profit_usd, o.size, block, episode.id] : [block, at, sims.simulated, sims.passed, episode.id],
        )
      }
      for (const episode of open) if (!best.has(episode.route)) this.db.run('UPDATE episodes SET open = 0 WHERE id = ?', [episode.id])
    })()
  }

  /** Episodes, newest first; optionally only those seen since a time, or of one route. */
  episodes({ sinceIso, route, limit }: { sinceIso?: string; route?: string; limit?: number } = {}): Episode[] {
    const where: string[] = []
    const args: (string | number)[] = []
    if (sinceIso) { where.push('last_seen >= ?'); args.push(sinceIso) }
    if (route) { where.push('route = ?'); args.push(route) }
    const sql = `SELECT * FROM episodes ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC${limit ? ` LIMIT ${Math.trunc(limit)}` : ''}`
    return this.db.query<Row, (string | number)[]>(sql).all(...args).map((row) => ({
      ...row, blocks: row.last_block - row.first_block + 1, simulated: row.simulated === 1, sim_passed: row.sim_passed === 1, open: row.open === 1,
    }))
  }

  /** Open episodes by route: how many blocks each standing opportunity has persisted (for the live view). */
  openSince(): Map<string, { firstBlock: number; cycles: number }> {
    const rows = this.db.query<{ route: string; first_block: number; cycles: number }, []>('SELECT route, first_block, cycles FROM episodes WHERE open = 1').all()
    return new Map(rows.map((r) => [r.route, { firstBlock: r.first_block, cycles: r.cycles }]))
  }
}
