import * as v from 'valibot'
import { ExecutionReport, type KillState, type TradeRecord } from '../contract/execution.ts'
import { SCHEMA_VERSION } from '../contract/primitives.ts'
import { ContractError } from '../errors.ts'

export type ReportHead = {
  runId: string
  startedAt: string
  endedAt: string
  mode: ExecutionReport['mode']
  chainId: number
  signer: string
  executor: string
  submitPath: string
  store: string
  reconciled: string[]
}

/** The per-run execution report: this run's trades (and those it reconciled), totals, the kill switch. Pure. */
export function buildExecutionReport(head: ReportHead, trades: TradeRecord[], kill: KillState): ExecutionReport {
  const count = <K extends string>(keys: (K | null)[]) => {
    const out: Record<string, number> = {}
    for (const key of keys) if (key !== null) out[key] = (out[key] ?? 0) + 1
    return out
  }
  const settled = trades.filter((t) => t.state === 'SETTLED')
  const mined = settled.filter((t) => t.receipt?.status === 'success')
  const profit: Record<string, bigint> = {}
  let costWei = 0n
  let netUsd = 0
  for (const t of settled) {
    profit[t.quote_token.symbol] = (profit[t.quote_token.symbol] ?? 0n) + BigInt(t.realized!.profit)
    costWei += BigInt(t.realized!.cost_wei)
    netUsd += t.realized!.net_usd ?? 0
  }
  const report: ExecutionReport = {
    schema_version: SCHEMA_VERSION,
    artifact: 'execution_report',
    run_id: head.runId,
    started_at: head.startedAt,
    ended_at: head.endedAt,
    mode: head.mode,
    chain_id: head.chainId,
    signer: head.signer,
    executor: head.executor,
    submit_path: head.submitPath,
    store: head.store,
    reconciled: head.reconciled,
    kill,
    totals: {
      trades: trades.length,
      by_state: count(trades.map((t) => t.state)),
      by_code: count(trades.map((t) => t.code)),
      sent: trades.filter((t) => t.sends > 0).length,
      settled: settled.length,
      reverted: settled.filter((t) => t.receipt?.status === 'reverted').length,
      profit_exact: mined.filter((t) => t.realized!.profit_diff === '0').length,
      gas_exact: mined.filter((t) => t.realized!.gas_diff === '0').length,
      realized_profit: Object.fromEntries(Object.entries(profit).map(([symbol, amount]) => [symbol, amount.toString()])),
      cost_wei: costWei.toString(),
      realized_net_usd: Math.round(netUsd * 1e6) / 1e6,
    },
    trades,
  }
  const checked = v.safeParse(ExecutionReport, report)
  if (!checked.success) {
    throw new ContractError('ARTIFACT_SCHEMA_VIOLATION', 'the execution report breaks its own schema', {
      hint: 'this is a bug in ARBY; please report it with exec.log',
      details: checked.issues.slice(0, 5).map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`),
    })
  }
  return checked.output
}
