import { defineCommand } from 'citty'
import { runCli } from '../lib/cli/runCli.ts'
import { withExitCode } from '../lib/cli/errors.ts'
import { configSummary } from '../lib/config/summary.ts'
import { DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config/load.ts'
import { setLogLevel } from '../lib/log.ts'
import { commonArgs } from './_args.ts'

const check = defineCommand({
  meta: { name: 'check', description: 'Validate a config file and print what it resolves to (exit 2 with file:line:col on the first problem).' },
  args: { ...commonArgs, config: { ...commonArgs.config, description: `Config YAML to check (default ${DEFAULT_CONFIG_PATH}).` } },
  run: ({ args }) => withExitCode(async () => {
    setLogLevel(args)
    const summary = configSummary(loadConfig(args.config ?? DEFAULT_CONFIG_PATH))
    process.stdout.write(args.json ? `${JSON.stringify(summary, null, 2)}\n` : `${summary.text}\n`)
  }),
})

const command = defineCommand({
  meta: { name: 'config', description: 'Work with config files.' },
  subCommands: { check },
})

export default command

// `bun run cmd/config.ts …` runs this command alone.
if (import.meta.main) await runCli(command)
