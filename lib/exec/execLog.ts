import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { redactText } from '../redact.ts'
import { fsError } from '../report/outputDir.ts'
import type { ExecLogLine } from '../contract/execution.ts'

/** `exec.log`: NDJSON, one line per trade transition and kill-switch event, redacted like every output. */
export class ExecLog {
  readonly path: string
  constructor(outputDir: string, private readonly runId: string) {
    this.path = join(outputDir, 'exec.log')
  }

  write(level: ExecLogLine['level'], event: string, msg: string, extra: Omit<ExecLogLine, 'ts' | 'run_id' | 'level' | 'event' | 'msg'> = {}): void {
    const line: ExecLogLine = { ts: new Date().toISOString(), run_id: this.runId, level, event, msg, ...extra }
    try {
      appendFileSync(this.path, `${redactText(JSON.stringify(line))}\n`)
    } catch (error) {
      throw fsError(error, this.path)
    }
  }
}
