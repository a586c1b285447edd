import { runCommand, runMain, showUsage, type CommandDef } from 'citty'
import { ExitCode } from '../errors.ts'
import { redactText } from '../redact.ts'
import { renderError } from './errors.ts'

/**
 * citty's runMain, with ARBY's exit codes: a bad flag value or a missing command is bad
 * input (exit 2, with the usage), not an unexpected error (citty's exit 1).
 */
export async function runCli(command: CommandDef<any>, rawArgs: string[] = process.argv.slice(2)): Promise<void> {
  const builtin = rawArgs.some((arg) => arg === '--help' || arg === '-h') || (rawArgs.length === 1 && (rawArgs[0] === '--version' || rawArgs[0] === '-v'))
  if (builtin) return runMain(command, { rawArgs })
  try {
    await runCommand(command, { rawArgs })
  } catch (error) {
    if (error instanceof Error && error.name === 'CLIError') {
      if ((error as { code?: string }).code === 'E_NO_COMMAND') await showUsage(command)
      else process.stderr.write(`${redactText(error.message)}\nhint: run with --help for the flags and their values\n`)
      process.exitCode = ExitCode.badInput
      return
    }
    process.exitCode = renderError(error)
  }
}
