import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CycleView } from './live.ts'

/** One cycle as the charts plot it: the same shape live (from the run) and afterwards (from scan.log). */
export type HistoryPoint = Pick<CycleView, 'cycle' | 'block' | 'timestamp' | 'elapsed_ms' | 'skipped_blocks' | 'opportunities' | 'rejects' | 'best_net_usd' | 'routes' | 'rejects_by_code'>

export function pointOf(view: CycleView): HistoryPoint {
  const { cycle, block, timestamp, elapsed_ms, skipped_blocks, opportunities, rejects, best_net_usd, routes, rejects_by_code } = view
  return { cycle, block, timestamp, elapsed_ms, skipped_blocks, opportunities, rejects, best_net_usd, routes, rejects_by_code }
}

/**
 * A finished run's history from its scan.log (and the rotated scan.log.1, .2): every cycle.done
 * line carries what the charts need, so the report needs no artifact retention kept.
 */
export function historyFromRun(dir: string): HistoryPoint[] {
  const files = [join(dir, 'scan.log.2'), join(dir, 'scan.log.1'), join(dir, 'scan.log')].filter(existsSync)
  const points: HistoryPoint[] = []
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('"cycle.done"')) continue
      const entry = JSON.parse(line) as { ts: string; cycle: number; block: number; data: Record<string, any> }
      const routes = (entry.data.best_by_route ?? {}) as Record<string, number>
      const values = Object.values(routes)
      points.push({
        cycle: entry.cycle, block: entry.block, timestamp: entry.ts, elapsed_ms: entry.data.elapsed_ms ?? 0, skipped_blocks: entry.data.skipped_blocks ?? 0,
        opportunities: entry.data.opportunities ?? 0, rejects: entry.data.rejects_total ?? 0, best_net_usd: values.length ? Math.max(...values) : null,
        routes, rejects_by_code: entry.data.rejects_by_code ?? {},
      })
    }
  }
  return points
}
