/**
 * Every error a user can meet is an ArbyError: a stable code, a one-line message,
 * a hint, and the exit code the CLI leaves with. Anything else is a bug (exit 1).
 */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  badInput: 2,
  infra: 3,
  contract: 4,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

export type ArbyErrorOptions = {
  hint?: string
  details?: string[]
  cause?: unknown
}

export class ArbyError extends Error {
  override name = 'ArbyError'
  readonly code: string
  readonly hint: string | undefined
  readonly details: string[]
  readonly exitCode: number

  constructor(code: string, message: string, exitCode: ExitCode | number, options: ArbyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.exitCode = exitCode
    this.hint = options.hint
    this.details = options.details ?? []
  }
}

/** Bad flags, bad values, bad config: exit 2. */
export class InputError extends ArbyError {
  override name = 'InputError'
  constructor(code: string, message: string, options?: ArbyErrorOptions) {
    super(code, message, ExitCode.badInput, options)
  }
}

/** The chain or RPC could not be used (unreachable, wrong chain, no block): exit 3. */
export class InfraError extends ArbyError {
  override name = 'InfraError'
  constructor(code: string, message: string, options?: ArbyErrorOptions) {
    super(code, message, ExitCode.infra, options)
  }
}

/** ARBY produced something that breaks its own contract (schema, invariant): exit 4. */
export class ContractError extends ArbyError {
  override name = 'ContractError'
  constructor(code: string, message: string, options?: ArbyErrorOptions) {
    super(code, message, ExitCode.contract, options)
  }
}

/** Stopped by a signal before the work in progress could finish: exit 128 + the signal's number. */
export class InterruptedError extends ArbyError {
  override name = 'InterruptedError'
  constructor(readonly signal: string, exitCode: number, message: string, options?: ArbyErrorOptions) {
    super('INTERRUPTED', message, exitCode, { hint: 'nothing half-read was written; rerun the command to scan again', ...options })
  }
}

export function isArbyError(error: unknown): error is ArbyError {
  return error instanceof ArbyError
}
