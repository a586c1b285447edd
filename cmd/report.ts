import { defineCommand } from 'citty'
import { join } from 'node:path'
import { withExitCode } from '../lib/cli/errors.ts'
import { runCli } from '../lib/cli/runCli.ts'
import { log, setLogLevel } from '../lib/log.ts'
import { staticReport } from '../lib/monitor/staticReport.ts'
import { writeTextAtomic } from '../lib/report/write.ts'
import { commonArgs } from './_args.ts'

const command = defineCommand({
  meta: { name: 'report', description: 'Write a finished run\'s dashboard (latest cycle, opportunity table, charts over blocks) as one static HTML file.' },
  args: {
    quiet: commonArgs.quiet, verbose: commonArgs.verbose,
    from: { type: 'string', required: true, description: 'The run directory.', valueHint: 'dir' },
    out: { type: 'string', description: 'The HTML file to write (default DIR/report.html).', valueHint: 'file' },
  },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    const out = args.out ?? join(args.from, 'report.html')
    writeTextAtomic(out, await staticReport(args.from))
    process.stdout.write(`${out}\n`)
    log.success(`report of ${args.from} written`)
  }),
})

export default command

// `bun run cmd/report.ts …` runs this command alone.
if (import.meta.main) await runCli(command)
