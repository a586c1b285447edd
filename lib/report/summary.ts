import { arbyCommand } from '../invocation.ts'
import { formatPrice, formatUnitsFixed } from '../math/ratio.ts'
import { quoteId } from '../scan/types.ts'
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

/** Where this cycle's numbers came from, in words that do not contradict each other. */
function sourceLine(truth: CycleArtifacts['truth']): string {
  if (truth.quote_source === 'fixture') return 'replayed from a recorded fixture (SYNTHETIC: recorded on the devnet, no chain read)'
  return truth.quoter === 'local'
    ? `pool state read from the chain at block ${truth.current_block}; quotes computed by ARBY's exact V2/V3 math (the venues' quoters where it cannot)`
    : `quotes from the venues' on-chain quoters at block ${truth.current_block}`
}

/** Venues whose price failed the sanity gate: which venue, its price, the anchor's, the deviation. */
function sanityLines({ snapshot }: CycleArtifacts, config: Config): string[] {
  const quotes = new Map(snapshot.quotes.map((q) => [q.id, q]))
  const seen = new Set<string>()
  const lines: string[] = []
  for (const reject of snapshot.rejects.filter((r) => r.code === 'PRICE_SANITY_FAILED')) {
    const key = `${reject.pair}|${reject.venue}`
    if (seen.has(key)) continue
    seen.add(key)
    const pair = config.pairs.find((p) => p.name === reject.pair)
    const quote = reject.quote_id ? quotes.get(reject.quote_id) : undefined
    const anchor = quote && pair ? quotes.get(quoteId(pair.name, pair.anchor, quote.side, BigInt(quote.size))) : undefined
    const price = (q: typeof quote) => (q && pair && q.amount_in && q.amount_out && q.amount_in !== '0' && q.amount_out !== '0'
      ? q.side === 'sell' ? formatPrice(BigInt(q.amount_out), BigInt(q.amount_in), pair.base.decimals, pair.quote.decimals) : formatPrice(BigInt(q.amount_in), BigInt(q.amount_out), pair.base.decimals, pair.quote.decimals)
      : '?')
    const deviation = /deviates ([\d.]+) bps/.exec(reject.message)?.[1]
    lines.push(`  ${reject.pair} ${reject.venue}: ${quote?.side ?? ''} price ${price(quote)} vs anchor ${pair?.anchor ?? '?'} ${price(anchor)} ${pair?.quote.symbol ?? ''}/${pair?.base.symbol ?? ''} (${deviation ?? '?'} bps off)`)
  }
  return lines.length ? ['', `price sanity failed on ${lines.length} venue(s) (max ${config.gates.max_price_deviation_bps} bps from the anchor):`, ...lines] : []
}

/** The human end-of-cycle summary (stderr): block, counts, top opportunities, rejects by code. */
export function renderSummary(artifacts: CycleArtifacts, config: Config): string {
  const { truth, histogram, snapshot } = artifacts
  const s = truth.stats
  const pinFailure = snapshot.rejects.find((r) => r.code === 'INFRA_BLOCK_PIN_FAILED')
  const lines = [
    `${truth.run_mode} cycle ${truth.cycle} · chain ${truth.chain_id} · block ${truth.current_block}${truth.synthetic ? ' · SYNTHETIC data' : ''}`,
    ...(pinFailure ? [`void cycle, nothing read: ${pinFailure.message}`] : [sourceLine(truth)]),
    `pools ${s.pools_registered} (+${s.pools_dropped} not found/dropped) · quotes ${s.quotes_fetched}/${s.quotes_total} · candidates ${s.candidates_total} · opportunities ${s.opportunities} · execution-ready ${s.execution_ready_count} (${truth.execution_blocker ? `blocked: ${truth.execution_blocker}` : 'live'})`,
    ...executionLines(truth),
  ]
  if (truth.top_opportunities.length) {
    const rows = truth.top_opportunities.map((o) => {
      const pair = config.pairs.find((p) => p.name === o.pair)
      const cost = BigInt(o.buy.amount_in)
      return [
        o.pair,
        `${o.buy.venue} → ${o.sell.venue}`,
        `${formatUnitsFixed(BigInt(o.size), pair?.base.decimals ?? 18)} ${o.base}`,
        `${formatUnitsFixed(BigInt(o.net_profit), pair?.quote.decimals ?? 18)} ${o.quote}`,
        o.net_profit_usd === null ? '-' : `$${o.net_profit_usd.toFixed(2)}`,
        o.spread_bps.toFixed(1),
        cost === 0n ? '-' : (Number((BigInt(o.net_profit) * 1_000_000n) / cost) / 100).toFixed(1),
      ]
    })
    lines.push('', `top ${rows.length} of ${s.opportunities} opportunities (net of gas${truth.top_opportunities.some((o) => o.gas_source === 'simulation') ? ', simulated' : ''}):`, ...table(['pair', 'buy → sell', 'size', 'net profit', 'usd', 'gross bps', 'net bps'], alignAmounts(rows, [2, 3])))
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
    lines.push('', `optimal sizes, top ${rows.length} of ${truth.optimal_sizes.length} (exact local math; informational, not gated):`, ...table(['pair', 'buy → sell', 'size', 'net profit', 'usd'], alignAmounts(rows, [2, 3])))
  }
  lines.push(...sanityLines(artifacts, config))
  const codes = Object.entries(histogram.by_code).sort((a, b) => b[1] - a[1])
  if (codes.length) lines.push('', `rejects ${histogram.total}: ${codes.map(([code, n]) => `${code} ${n}`).join(' · ')}`)
  return lines.join('\n')
}

/**
 * Amount cells ("12.5 WETH") aligned on the decimal point: the number's integer part padded
 * left and its fraction padded right, so digits of one magnitude stand in one column.
 */
export function alignAmounts(rows: string[][], columns: number[]): string[][] {
  const out = rows.map((row) => [...row])
  for (const column of columns) {
    const parts = rows.map((row) => {
      const [number = '', unit = ''] = (row[column] ?? '').split(' ')
      const [whole = '', fraction] = number.split('.')
      return { whole, fraction: fraction ?? null, unit, raw: row[column] ?? '' }
    })
    const wholeWidth = Math.max(...parts.map((p) => p.whole.length))
    const fractionWidth = Math.max(...parts.map((p) => (p.fraction === null ? 0 : p.fraction.length + 1)))
    const unitWidth = Math.max(...parts.map((p) => p.unit.length))
    parts.forEach((p, i) => {
      if (p.raw === '-') return
      const fraction = p.fraction === null ? ''.padEnd(fractionWidth) : `.${p.fraction}`.padEnd(fractionWidth)
      out[i]![column] = `${p.whole.padStart(wholeWidth)}${fraction} ${p.unit.padEnd(unitWidth)}`.trimEnd()
    })
  }
  return out
}
