/**
 * Gate M5 (guarded execution, devnet only): unit tests, then `scan --devnet --execute` as a
 * subprocess (clean environment: the devnet's own signer, an executor it deploys) on the
 * devnet's seeded gaps, then the run's execution artifacts: trades settle; for every trade mined
 * at the pinned state the realized profit equals the simulated profit to the wei and the gas the
 * simulated gas; nothing was signed without a simulation at the block it was signed at; the
 * ledger, exec.log and the execution report agree and validate. Gate M4 is unchanged (run it too).
 *
 *   bun run gates/m5.ts [--skip-tests] [--cycles N] [--artifacts DIR]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as v from 'valibot'
import { ExecLogLine, ExecutionReport } from '../lib/contract/execution.ts'
import { TruthReport } from '../lib/contract/truthReport.ts'
import { TradeStore } from '../lib/exec/store.ts'
import { isTerminal } from '../lib/exec/fsm.ts'
import { banner, finish, Report, runScan, runUnitTests } from './_gate.ts'
import { truthReportFiles } from '../lib/report/outputDir.ts'

const { values } = parseArgs({ options: { 'skip-tests': { type: 'boolean' }, cycles: { type: 'string', default: '3' }, artifacts: { type: 'string' } } })
const report = new Report()
banner('ARBY M5 CI GATE (guarded execution, devnet)')

if (values.artifacts) {
  checkExecution(report, values.artifacts)
} else {
  if (!values['skip-tests']) await runUnitTests(report)
  const dir = mkdtempSync(join(tmpdir(), 'arby-m5-'))
  try {
    if (await runScan(report, `Live scan on the devnet (${values.cycles} cycles)`, ['--devnet', '--execute', '--cycles', values.cycles, '--output-dir', dir], 180_000)) {
      checkExecution(report, dir)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
finish(report, 'M5 CI GATE')

function checkExecution(report: Report, dir: string): void {
  const reportFile = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith('execution_report_') && f.endsWith('.json')) : undefined
  const ledgerPath = join(dir, 'exec.sqlite')
  const logPath = join(dir, 'exec.log')
  for (const [found, name] of [[reportFile, 'execution_report_*.json'], [existsSync(ledgerPath), 'exec.sqlite (ledger)'], [existsSync(logPath), 'exec.log']] as const) {
    if (found) report.ok(`Found: ${name}`)
    else report.fail(`Missing: ${name}`)
  }
  if (!reportFile || !existsSync(ledgerPath) || !existsSync(logPath)) return

  const parsed = v.safeParse(ExecutionReport, JSON.parse(readFileSync(join(dir, reportFile), 'utf8')))
  const logLines = readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map((line) => v.safeParse(ExecLogLine, JSON.parse(line)))
  const truths = truthReportFiles(dir).map((f) => v.safeParse(TruthReport, JSON.parse(readFileSync(join(dir, 'reports', f), 'utf8'))))
  const valid = report.step(parsed.success && logLines.every((l) => l.success) && truths.every((t) => t.success) && truths.length > 0,
    `Execution report, ${logLines.length} exec.log lines and ${truths.length} truth reports valid`, 'Execution artifacts invalid')
  if (!valid || !parsed.success) return
  const execution = parsed.output
  const ledger = TradeStore.open(ledgerPath)
  const trades = ledger.list()
  ledger.close()

  const start = report.size
  const settled = trades.filter((t) => t.state === 'SETTLED' && t.receipt?.status === 'success')
  report.expect(execution.mode === 'live', `mode: ${execution.mode}`)
  report.expect(settled.length >= 1, `trades settled: ${settled.length} of ${trades.length} (>= 1 required)`)
  const signed = trades.filter((t) => t.tx && t.mode === 'live')
  report.expect(signed.every((t) => t.sim_block !== null && t.sim_block === t.signed_block), `signed only what was simulated at the block it was signed at: ${signed.length} of ${signed.length}`)
  const atPin = settled.filter((t) => t.receipt!.block === t.signed_block! + 1 && t.sim_block === t.pin_block)
  report.expect(atPin.length === settled.length, `mined at the pinned state: ${atPin.length} of ${settled.length}`)
  report.expect(atPin.every((t) => t.realized!.profit === t.predicted.profit && t.realized!.profit_diff === '0'), `realized profit = simulated profit to the wei: ${atPin.filter((t) => t.realized!.profit_diff === '0').length} of ${atPin.length}`)
  report.expect(atPin.every((t) => t.realized!.gas_diff === '0'), `gas used = simulated gas: ${atPin.filter((t) => t.realized!.gas_diff === '0').length} of ${atPin.length}`)
  report.expect(trades.every((t) => isTerminal(t.state)), `every trade terminal: ${trades.filter((t) => isTerminal(t.state)).length} of ${trades.length}`)
  const nonces = signed.map((t) => t.tx!.nonce)
  report.expect(new Set(nonces).size === nonces.length, `one signed transaction per nonce: ${nonces.length} nonces, ${new Set(nonces).size} distinct`)
  const lines = logLines.map((l) => l.output as ExecLogLine)
  const persistedFirst = signed.every((t) => {
    const order = lines.filter((l) => l.trade === t.id).map((l) => l.to)
    return order.indexOf('SIGNED') !== -1 && (order.indexOf('SUBMITTED') === -1 || order.indexOf('SIGNED') < order.indexOf('SUBMITTED'))
  })
  report.expect(persistedFirst, 'every signed transaction was persisted before it was sent (SIGNED before SUBMITTED)')
  report.expect(JSON.stringify(execution.trades.map((t) => t.id)) === JSON.stringify(trades.map((t) => t.id)), `ledger and execution report agree: ${trades.length} trades`)
  report.expect(execution.kill.state === 'running', `kill switch: ${execution.kill.state}${execution.kill.reason ? ` (${execution.kill.reason})` : ''}`)
  const lastTruth = truths.at(-1)!.output as TruthReport
  report.expect(lastTruth.execution_enabled && lastTruth.execution !== null, `truth reports carry execution (enabled: ${lastTruth.execution_enabled})`)
  report.step(report.allSince(start), 'M5 invariants satisfied', 'M5 invariants violated')
}
