import { formatUnitsFixed } from '../math/ratio.ts'
import type { Config } from '../config/resolve.ts'
import type { CycleArtifacts } from './build.ts'

/** The human end-of-cycle summary (stderr): block, counts, top opportunities, rejects by code. */
export function renderSummary({ truth, histogram, snapshot }: CycleArtifacts, config: Config): string {
  const s = truth.stats
  const pinFailure = snapshot.rejects.find((r) => r.code === 'INFRA_BLOCK_PIN_FAILED')
  const lines = [
    `${truth.run_mode} cycle ${truth.cycle} · chain ${truth.chain_id} · block ${truth.current_block}${truth.synthetic ? ' · SYNTHETIC data' : ''}`,
    ...(pinFailure ? [`void cycle, nothing read: ${pinFailure.message}`] : []),
    `pools ${s.pools_registered} (+${s.pools_dropped} not found/dropped) · quotes ${s.quotes_fetched}/${s.quotes_total} · candidates ${s.candidates_total} · opportunities ${s.opportunities} · execution-ready ${s.execution_ready_count} (execution disabled)`,
  ]
  if (truth.top_opportunities.length) {
    const rows = truth.top_opportunities.map((o) => {
      const pair = config.pairs.find((p) => p.name === o.pair)
      const baseDec = pair?.base.decimals ?? 18
      const quoteDec = pair?.quote.decimals ?? 18
      return [
        o.pair,
        `${o.buy.venue} → ${o.sell.venue}`,
        `${formatUnitsFixed(BigInt(o.size), baseDec)} ${o.base}`,
        `${formatUnitsFixed(BigInt(o.net_profit), quoteDec)} ${o.quote}`,
        o.net_profit_usd === null ? '-' : `$${o.net_profit_usd.toFixed(2)}`,
        o.spread_bps.toFixed(1),
      ]
    })
    lines.push('', ...table(['pair', 'buy → sell', 'size', 'net profit', 'usd', 'bps'], rows))
  } else {
    lines.push('no opportunity passed every gate')
  }
  if (truth.optimal_sizes.length) {
    const rows = truth.optimal_sizes.slice(0, 5).map((o) => {
      const pair = config.pairs.find((p) => p.name === o.pair)
      return [
        o.pair,
        `${o.buy_venue} → ${o.sell_venue}`,
        `${formatUnitsFixed(BigInt(o.size), pair?.base.decimals ?? 18, 4)} ${pair?.base.symbol ?? ''}`,
        o.net_profit === null ? '-' : `${formatUnitsFixed(BigInt(o.net_profit), pair?.quote.decimals ?? 18)} ${pair?.quote.symbol ?? ''}`,
        o.net_profit_usd === null ? '-' : `$${o.net_profit_usd.toFixed(2)}`,
      ]
    })
    lines.push('', 'optimal sizes (exact local math; informational, not gated):', ...table(['pair', 'buy → sell', 'size', 'net profit', 'usd'], rows))
  }
  const codes = Object.entries(histogram.by_code).sort((a, b) => b[1] - a[1])
  if (codes.length) lines.push('', `rejects ${histogram.total}: ${codes.map(([code, n]) => `${code} ${n}`).join(' · ')}`)
  return lines.join('\n')
}

/** Aligned text table; numbers are right-aligned. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const numeric = header.map((_, i) => rows.every((r) => /^[-$\d.,]/.test(r[i] ?? '') || r[i] === '-'))
  const fmt = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()
  return [fmt(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(fmt)]
}
