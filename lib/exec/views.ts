import type { KillState, TradeRecord } from '../contract/execution.ts'
import { formatUnitsFixed } from '../math/ratio.ts'
import { table } from '../report/table.ts'
import { isTerminal } from './fsm.ts'

/** `exec status` as data: the kill switch, the nonce, the ledger's counts and unfinished trades. */
export function statusOf(store: string, kill: KillState, nextNonce: number | null, trades: readonly TradeRecord[]) {
  const byState: Record<string, number> = {}
  for (const t of trades) byState[t.state] = (byState[t.state] ?? 0) + 1
  const last = trades[trades.length - 1] ?? null
  return {
    store,
    kill,
    next_nonce: nextNonce,
    trades: trades.length,
    by_state: byState,
    unfinished: trades.filter((t) => !isTerminal(t.state)).map((t) => ({ id: t.id, state: t.state, nonce: t.tx?.nonce ?? null, tx_hash: t.tx?.hash ?? null })),
    last: last && { id: last.id, state: last.state, route: last.route, code: last.code, updated_at: last.updated_at },
  }
}

export function renderStatus(s: ReturnType<typeof statusOf>): string {
  const kill = s.kill.state === 'halted'
    ? `HALTED since ${s.kill.since ?? '?'}${s.kill.since_block === null ? '' : ` (block ${s.kill.since_block})`}: ${s.kill.reason}`
    : 'running'
  const lines = [
    `ledger ${s.store}`,
    `kill switch: ${kill}`,
    ...s.kill.quarantined.map((q) => `quarantined until ${q.until}: ${q.route} (${q.reason})`),
    `next nonce: ${s.next_nonce ?? 'not set (no live run yet)'}`,
    `trades: ${s.trades}${s.trades ? ` (${Object.entries(s.by_state).map(([state, n]) => `${state} ${n}`).join(' · ')})` : ''}`,
    ...s.unfinished.map((u) => `unfinished: ${u.id} ${u.state} nonce ${u.nonce ?? '-'} ${u.tx_hash ?? ''} (the next live run reconciles it first)`),
  ]
  if (s.last) lines.push(`last: ${s.last.id} ${s.last.state} ${s.last.route}${s.last.code ? ` ${s.last.code}` : ''} at ${s.last.updated_at}`)
  return lines.join('\n')
}

/** `exec history`: one row per trade, amounts in the quote token's units. */
export function renderHistory(trades: readonly TradeRecord[]): string {
  if (!trades.length) return 'no trades'
  const amount = (t: TradeRecord, value: string | null | undefined) => (value == null ? '-' : formatUnitsFixed(BigInt(value), t.quote_token.decimals))
  const rows = trades.map((t) => [
    t.id,
    t.state,
    t.route,
    t.tx ? String(t.tx.nonce) : '-',
    t.receipt ? String(t.receipt.block) : String(t.pin_block),
    `${amount(t, t.predicted.profit)} ${t.quote_token.symbol}`,
    t.realized ? `${amount(t, t.realized.profit)} ${t.quote_token.symbol}` : '-',
    t.realized ? t.realized.profit_diff : '-',
    t.receipt ? t.receipt.gas_used : '-',
    t.realized?.net_usd == null ? '-' : `$${t.realized.net_usd.toFixed(2)}`,
    t.code ?? '',
  ])
  return table(['trade', 'state', 'route', 'nonce', 'block', 'predicted', 'realized', 'diff', 'gas', 'net usd', 'code'], rows).join('\n')
}
