/**
 * The one place that spawns processes (Bun.spawn), so a move off Bun stays cheap.
 */
export type ChildProcess = {
  pid: number
  stdout: ReadableStream<Uint8Array>
  /** Present when spawned with `stderr: 'pipe'`. */
  stderr: ReadableStream<Uint8Array> | null
  exited: Promise<number>
  kill(signal?: NodeJS.Signals): void
  /** The signal that ended it, once it has ended by one. */
  signal(): NodeJS.Signals | null
  /** Writes to its stdin (spawned with `stdin: 'pipe'`). */
  write(text: string): void
}

export function spawnProcess(argv: string[], options: { env?: Record<string, string>; cwd?: string; stderr?: 'pipe' | 'ignore'; stdin?: 'pipe' | 'ignore' } = {}): ChildProcess {
  const child = Bun.spawn(argv, {
    stdout: 'pipe',
    stderr: options.stderr ?? 'ignore',
    stdin: options.stdin ?? 'ignore',
    env: options.env ?? (process.env as Record<string, string>),
    cwd: options.cwd,
  })
  return {
    pid: child.pid,
    stdout: child.stdout,
    stderr: (child.stderr as ReadableStream<Uint8Array> | undefined) ?? null,
    exited: child.exited,
    kill: (signal = 'SIGTERM') => child.kill(signal),
    signal: () => signalName(child.signalCode),
    write: (text) => {
      const stdin = child.stdin as { write(data: string): void; flush(): void } | undefined
      if (!stdin || typeof stdin === 'number') throw new Error('spawned without stdin: "pipe"')
      stdin.write(text)
      stdin.flush()
    },
  }
}

/** Runs a command to completion, capturing stdout, stderr and the exit code. */
export async function runProcess(
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<{ exitCode: number; signal: NodeJS.Signals | null; stdout: string; stderr: string; timedOut: boolean }> {
  const child = Bun.spawn(argv, { stdout: 'pipe', stderr: 'pipe', stdin: 'ignore', env: options.env, cwd: options.cwd })
  let timedOut = false
  const timer = options.timeoutMs ? setTimeout(() => { timedOut = true; child.kill('SIGKILL') }, options.timeoutMs) : undefined
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ])
  clearTimeout(timer)
  return { exitCode, signal: signalName(child.signalCode), stdout, stderr, timedOut }
}

/** Runs a command with its output streamed to ours; resolves to the exit code. */
export async function runInherited(argv: string[], env: Record<string, string> = process.env as Record<string, string>): Promise<number> {
  return Bun.spawn(argv, { stdout: 'inherit', stderr: 'inherit', stdin: 'ignore', env }).exited
}

function signalName(code: NodeJS.Signals | number | null | undefined): NodeJS.Signals | null {
  return typeof code === 'string' ? code : null
}
