import { arbyCommand } from '../invocation.ts'
import { formatUnitsFixed } from '../math/ratio.ts'
import type { Config } from '../config/resolve.ts'
import type { CycleArtifacts } from './build.ts'
import { table } from './table.ts'

/** What execution did this cycle, in words: the trade and its outcome, paper totals, the kill switch. */
function executionLines(truth: CycleArtifacts['truth']): string[] {
  const e = truth.execution
  if (!e) return []
  const lines: string[] = []
  if (e.trade) {
    const outcome = e.trade.realized_profit !== null ? `realized ${e.trade.realized_profit} (predicted ${e.trade.predicted_profit})` : e.trade.code ?? ''
    lines.push(`trade ${e.trade.id}: ${e.trade.route} → ${e.trade.state}${outcome ? ` · ${outcome}` : ''}${e.trade.tx_hash ? ` · tx ${e.trade.tx_hash}` : ''}`)
  }
  if (e.paper) lines.push(`paper: ${e.paper.recorded} recorded this cycle (${e.paper.skipped_cooldown} in cooldown) · ${e.paper.total_trades} in session · PnL ${e.paper.total_pnl_usdc} USDC (${e.paper.normalized_return_pct}% of ${e.paper.notional_capital_usdc})`)
  if (e.kill?.state === 'halted') lines.push(`KILL SWITCH HALTED: ${e.kill.reason} (resume: ${arbyCommand()} exec resume)`)
  else if (e.kill?.paused) lines.push(`kill switch paused: ${e.kill.paused}`)
  return lines
}

/** The human end-of-cycle summary (stderr): block, counts, top opportunities, rejects by code. */
export function renderSummary({ truth, histogram, snapshot }: CycleArtifacts, config: Config): string {
  const s = truth.stats
  const pinFailure = snapshot.rejects.find((r) => r.code === 'INFRA_BLOCK_PIN_FAILED')
  const lines = [
    `${truth.run_mode} cycle ${truth.cycle} · chain ${truth.chain_id} · block ${truth.current_block}${truth.synthetic ? ' · SYNTHETIC data' : ''}`,
    ...(pinFailure ? [`void cycle, nothing read: ${pinFailure.message}`] : []),
    `pools ${s.pools_registered} (+${s.pools_dropped} not found/dropped) · quotes ${s.quotes_fetched}/${s.quotes_total} · candidates ${s.candidates_total} · opportunities ${s.opportunities} · execution-ready ${s.execution_ready_count} (${truth.execution_blocker ? `blocked: ${truth.execution_blocker}` : 'live'})`,
    ...executionLines(truth),
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
