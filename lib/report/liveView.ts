import type { CycleView, LiveState } from '../monitor/live.ts'
import { alignAmounts } from './summary.ts'
import { table } from './table.ts'

/** ANSI: cursor home, clear to the end of the screen (the redraw of a live view). */
export const REDRAW = '\u001B[H\u001B[J'

/**
 * The watch mode's screen, redrawn in place each cycle on a terminal: the block and its age,
 * the cycle's latency, blocks skipped, the top opportunities with how many blocks each has stood,
 * the rejects by code. Plain text; the caller adds the redraw escape only on a terminal.
 */
export function renderLiveScreen(view: CycleView, live: LiveState, nowMs = Date.now()): string {
  const age = view.block_timestamp === null ? '-' : `${Math.max(0, nowMs / 1000 - view.block_timestamp).toFixed(1)} s`
  const lines = [
    `ARBY watch · block ${view.block} (age ${age}) · cycle ${view.cycle} in ${view.elapsed_ms} ms · skipped ${view.skipped_blocks} (total ${live.totals.skipped_blocks}) · void ${live.totals.void} · Ctrl-C stops after this cycle`,
    `quotes ${view.quotes_fetched}/${view.quotes_total} · opportunities ${view.opportunities} · rejects ${view.rejects}${view.execution ? ` · execution ${view.execution.mode}${view.execution.trade ? `: ${view.execution.trade.id} ${view.execution.trade.state}${view.execution.trade.code ? ` ${view.execution.trade.code}` : ''}` : ''}${view.execution.kill ? ` · KILL: ${view.execution.kill}` : ''}` : ''}`,
    '',
  ]
  if (view.top.length) {
    const rows = view.top.map((o) => [
      o.route,
      o.size_display,
      o.net_display,
      o.net_usd === null ? '-' : `$${o.net_usd.toFixed(2)}`,
      o.gross_bps.toFixed(1),
      o.net_bps === null ? '-' : o.net_bps.toFixed(1),
      o.blocks_alive === null ? '-' : String(o.blocks_alive),
    ])
    lines.push(`top ${rows.length} of ${view.opportunities}:`, ...table(['route', 'size', 'net profit', 'usd', 'gross bps', 'net bps', 'blocks alive'], alignAmounts(rows, [1, 2])))
  } else {
    lines.push('no opportunity passed every gate')
  }
  const codes = Object.entries(view.rejects_by_code).sort((a, b) => b[1] - a[1])
  if (codes.length) lines.push('', `rejects: ${codes.map(([code, n]) => `${code} ${n}`).join(' · ')}`)
  return lines.join('\n')
}

/** One line per cycle, for logs (stderr not a terminal, or NO_COLOR). */
export function renderCycleLine(view: CycleView): string {
  const best = view.top[0]
  return `block ${view.block} · cycle ${view.cycle} · ${view.elapsed_ms} ms · skipped ${view.skipped_blocks} · quotes ${view.quotes_fetched}/${view.quotes_total} · opportunities ${view.opportunities}${best ? ` · best ${best.route} ${best.net_usd === null ? '' : `$${best.net_usd.toFixed(2)}`}` : ''} · rejects ${view.rejects}${view.execution?.trade ? ` · trade ${view.execution.trade.state}` : ''}${view.execution?.kill ? ` · KILL: ${view.execution.kill}` : ''}`
}
