import { runCommand, type CommandDef, type CommandMeta } from 'citty'
import { ExitCode, InputError } from '../errors.ts'
import { arbyCommand } from '../invocation.ts'
import { redactText } from '../redact.ts'
import { colorAllowed, stripAnsi, textWidth } from '../tty.ts'
import { checkArgs, resolveCommand } from './argv.ts'
import { renderError } from './errors.ts'
import { resolveValue } from './resolvable.ts'
import { renderUsage } from './usage.ts'

/** After the work is done, how long stdout/stderr may take to drain before the process is ended. */
const EXIT_GRACE_MS = 1_000

/**
 * Runs a command line the way a user expects: unknown flags, stray arguments and unknown
 * commands are bad input (exit 2, with a suggestion), `--help` is plain text when piped, and
 * the process ends when the work is done — nothing left pending (a timer, a socket) keeps it.
 */
export async function runCli(root: CommandDef<any>, rawArgs: string[] = process.argv.slice(2)): Promise<void> {
  let code: number
  try {
    code = await run(root, rawArgs)
  } catch (error) {
    code = renderError(error)
  }
  process.exitCode = code
  // Leaving naturally lets stdout drain (process.exit would cut a piped stdout short); this
  // unref'd timer ends the process anyway if some handle would keep it alive.
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref()
}

async function run(root: CommandDef<any>, rawArgs: string[]): Promise<number> {
  const rootMeta = (await resolveValue(root.meta ?? {})) as CommandMeta
  // A command file run alone (`bun run cmd/scan.ts`) is still `arby scan` to the user.
  const { command, names, rest } = await resolveCommand(root, rawArgs, rootMeta.name === 'arby' ? [] : [rootMeta.name ?? ''])
  const meta = (await resolveValue(command.meta ?? {})) as CommandMeta
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${await renderUsage(command, names, { color: colorAllowed(process.stdout), width: textWidth(process.stdout) })}\n`)
    return ExitCode.ok
  }
  if (names.length === 1 && rest.length === 1 && (rest[0] === '--version' || rest[0] === '-v')) {
    process.stdout.write(`${rootMeta.version ?? ''}\n`)
    return ExitCode.ok
  }
  const subCommands = await resolveValue(command.subCommands ?? {})
  if (!command.run && Object.keys(subCommands).length) {
    process.stderr.write(`${await renderUsage(command, names, { color: colorAllowed(process.stderr), width: textWidth(process.stderr) })}\n`)
    throw new InputError('NO_COMMAND', `${names.join(' ')} needs a command: ${Object.keys(subCommands).join(', ')}`, { hint: `run \`${arbyCommand()}${names.length > 1 ? ` ${names.slice(1).join(' ')}` : ''} --help\`` })
  }
  checkArgs(rest, (await resolveValue(command.args ?? {})) as never, names)
  try {
    await runCommand(root, { rawArgs })
  } catch (error) {
    // citty's own argument errors (should be caught above): bad input, without its colours.
    if (error instanceof Error && error.name === 'CLIError') throw new InputError('BAD_ARGUMENTS', stripAnsi(redactText(error.message)), { hint: `run \`${arbyCommand()} ${names.slice(1).join(' ')} --help\`` })
    throw error
  }
  return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok
}
