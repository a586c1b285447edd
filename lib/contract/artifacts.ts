import { ExecLogLine, ExecutionReport, PaperTrade } from './execution.ts'
import { RejectHistogram } from './rejectHistogram.ts'
import { ScanLogLine } from './scanLog.ts'
import { ScanSnapshot } from './scanSnapshot.ts'
import { TruthReport } from './truthReport.ts'

/** The artifacts by name (the four of a cycle, and execution's two): the schemas the CLI writes and the gates read. */
export const ARTIFACT_SCHEMAS = {
  scan_snapshot: ScanSnapshot,
  reject_histogram: RejectHistogram,
  truth_report: TruthReport,
  scan_log_line: ScanLogLine,
  execution_report: ExecutionReport,
  paper_trade: PaperTrade,
  exec_log_line: ExecLogLine,
} as const
export type ArtifactName = keyof typeof ARTIFACT_SCHEMAS
export const ARTIFACT_NAMES = Object.keys(ARTIFACT_SCHEMAS) as ArtifactName[]
