import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TruthReport } from '../contract/truthReport.ts'
import { InputError } from '../errors.ts'
import { OpportunityLedger } from '../report/ledger.ts'
import { dashboardHtml } from './dashboard.ts'
import { historyFromRun } from './history.ts'
import { topRow, type CycleView } from './live.ts'
import { truthReportFiles } from '../report/outputDir.ts'

/**
 * `arby report --from DIR`: the dashboard's charts as one static HTML file for a finished run —
 * the history from scan.log, the last cycle from the newest truth report, the route episodes
 * from the ledger — everything embedded, nothing fetched.
 */
export async function staticReport(dir: string): Promise<string> {
  if (!existsSync(join(dir, 'scan.log'))) throw new InputError('RUN_MISSING', `${dir} holds no scan.log: not a run directory`, { hint: 'pass the output directory of a scan (-o DIR)' })
  const history = historyFromRun(dir)
  const reports = truthReportFiles(dir)
  const newest = reports.length ? JSON.parse(readFileSync(join(dir, 'reports', reports.at(-1)!), 'utf8')) as TruthReport : null
  const ledgerPath = join(dir, 'opportunities.sqlite')
  const episodes = existsSync(ledgerPath) ? (() => {
    const ledger = OpportunityLedger.open(ledgerPath, { create: false })
    try {
      return ledger.episodes()
    } finally {
      ledger.close()
    }
  })() : []
  const openFirst = new Map(episodes.filter((e) => e.open).map((e) => [e.route, e.first_block]))
  // Token decimals as the ledger recorded them (whole-token display).
  const decimals = new Map(episodes.flatMap((e) => [[e.base, e.base_decimals], [e.quote, e.quote_decimals]] as [string, number][]))
  const point = newest ? history.find((p) => p.cycle === newest.cycle && p.block === newest.current_block) : undefined
  const latest: Partial<CycleView> | null = newest && {
    cycle: newest.cycle,
    block: newest.current_block,
    block_timestamp: null,
    elapsed_ms: point?.elapsed_ms ?? 0,
    skipped_blocks: point?.skipped_blocks ?? 0,
    opportunities: newest.stats.opportunities,
    rejects: newest.stats.rejects_total,
    top: newest.top_opportunities.map((o) => topRow(o, newest.current_block, decimals, new Map([...openFirst].map(([route, firstBlock]) => [route, { firstBlock }])))),
    execution: newest.execution && { mode: newest.execution.mode, trade: newest.execution.trade && { id: newest.execution.trade.id, state: newest.execution.trade.state, code: newest.execution.trade.code }, kill: newest.execution.kill?.state === 'halted' ? newest.execution.kill.reason : null },
  }
  return dashboardHtml({ title: dir, latest, history, episodes })
}
