import type { OpportunityCore } from '../contract/parts.ts'
import { formatUnitsFixed } from '../math/ratio.ts'
import type { DecimalsOf } from '../report/ledger.ts'
import { bestByRoute, type CycleOutcome } from '../scan/run.ts'
import { opportunityRoute } from '../scan/candidates.ts'

/** One opportunity as the views show it: exact base units, and the same in whole tokens for reading. */
export type TopRow = { id: string; route: string; size: string; base: string; quote: string; net_profit: string; size_display: string; net_display: string; net_usd: number | null; gross_bps: number; net_bps: number | null; blocks_alive: number | null }

/** The views' row of an opportunity (decimals by token symbol; 18 where unknown). */
export function topRow(o: OpportunityCore, block: number, decimals: DecimalsOf, persisted: Map<string, { firstBlock: number }>): TopRow {
  const route = opportunityRoute(o)
  const cost = BigInt(o.buy.amount_in)
  return {
    id: o.id, route, size: o.size, base: o.base, quote: o.quote, net_profit: o.net_profit,
    size_display: `${formatUnitsFixed(BigInt(o.size), decimals.get(o.base) ?? 18, 4)} ${o.base}`,
    net_display: `${formatUnitsFixed(BigInt(o.net_profit), decimals.get(o.quote) ?? 18)} ${o.quote}`,
    net_usd: o.net_profit_usd, gross_bps: o.spread_bps,
    net_bps: cost === 0n ? null : Number((BigInt(o.net_profit) * 1_000_000n) / cost) / 100,
    blocks_alive: persisted.has(route) ? block - persisted.get(route)!.firstBlock + 1 : null,
  }
}

/** What the dashboard and the live terminal view show of one cycle: small, JSON-ready. */
export type CycleView = {
  cycle: number
  block: number
  timestamp: string
  block_timestamp: number | null
  elapsed_ms: number
  skipped_blocks: number
  opportunities: number
  rejects: number
  quotes_fetched: number
  quotes_total: number
  best_net_usd: number | null
  /** Best net USD per route this cycle (the charts' series). */
  routes: Record<string, number>
  rejects_by_code: Record<string, number>
  top: TopRow[]
  execution: { mode: string; trade: { id: string; state: string; code: string | null } | null; kill: string | null } | null
}

/**
 * The latest cycle and a bounded history (a ring of `size` cycles): what /api/latest and
 * /api/history serve and the terminal redraws. Memory stays bounded however long the run.
 */
export class LiveState {
  private readonly history: CycleView[] = []
  latest: CycleView | null = null
  totals = { cycles: 0, void: 0, skipped_blocks: 0 }

  constructor(private readonly decimals: DecimalsOf = new Map(), private readonly size = 600) {}

  add(outcome: CycleOutcome, persisted: Map<string, { firstBlock: number }> = new Map()): CycleView {
    const { truth, digest } = outcome.artifacts
    const routes = bestByRoute(outcome.artifacts)
    const rejectsByCode: Record<string, number> = {}
    for (const r of digest.rejects) rejectsByCode[r.code] = (rejectsByCode[r.code] ?? 0) + r.count
    const view: CycleView = {
      cycle: truth.cycle,
      block: truth.current_block,
      timestamp: truth.timestamp,
      block_timestamp: digest.blockTimestamp,
      elapsed_ms: Math.round(outcome.elapsedMs),
      skipped_blocks: outcome.skippedBlocks,
      opportunities: truth.stats.opportunities,
      rejects: truth.stats.rejects_total,
      quotes_fetched: truth.stats.quotes_fetched,
      quotes_total: truth.stats.quotes_total,
      best_net_usd: digest.opportunities.length ? digest.opportunities.reduce((best, o) => Math.max(best, o.net_profit_usd ?? 0), -Infinity) : null,
      routes,
      rejects_by_code: rejectsByCode,
      top: digest.opportunities.slice(0, 10).map((o) => topRow(o, truth.current_block, this.decimals, persisted)),
      execution: truth.execution && { mode: truth.execution.mode, trade: truth.execution.trade && { id: truth.execution.trade.id, state: truth.execution.trade.state, code: truth.execution.trade.code }, kill: truth.execution.kill?.state === 'halted' ? truth.execution.kill.reason : truth.execution.kill?.paused ?? null },
    }
    this.latest = view
    this.history.push(view)
    if (this.history.length > this.size) this.history.shift()
    this.totals.cycles++
    if (view.block === 0) this.totals.void++
    this.totals.skipped_blocks += view.skipped_blocks
    return view
  }

  recent(): CycleView[] {
    return [...this.history]
  }
}
