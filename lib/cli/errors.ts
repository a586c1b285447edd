import { ExitCode, isArbyError } from '../errors.ts'
import { log } from '../log.ts'
import { redactText } from '../redact.ts'

/**
 * Runs a command body and turns any error into a rendered message and an exit code.
 * ArbyErrors show code, message, details and hint; anything else is a bug (exit 1),
 * with the stack only when ARBY_DEBUG is set.
 */
export async function withExitCode(body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (error) {
    process.exitCode = renderError(error)
  }
}

export function renderError(error: unknown): number {
  if (isArbyError(error)) {
    const lines = [`${error.code}: ${error.message}`, ...error.details.map((d) => `  ${d}`)]
    if (error.hint) lines.push(`hint: ${error.hint}`)
    log.error(redactText(lines.join('\n')))
    return error.exitCode
  }
  const message = error instanceof Error ? error.message : String(error)
  log.error(redactText(`UNEXPECTED: ${message.split('\n')[0]}\nhint: this is a bug in ARBY; rerun with ARBY_DEBUG=1 for the stack`))
  if (process.env.ARBY_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${redactText(error.stack)}\n`)
  return ExitCode.unexpected
}
