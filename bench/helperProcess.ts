/**
 * A bench helper in a process of its own (so the bench's CPU figures are the scanner's alone):
 * runs `script` with `args`, its stdin a lifeline (when this process ends, however it ends, the
 * helper ends too), and answers the first line it prints, parsed as JSON by `reviver`.
 */
import { spawnProcess } from '../lib/proc.ts'

export async function startHelperProcess<T>(script: string, args: string[], what: string, reviver?: (key: string, value: unknown) => unknown): Promise<{ first: T; stop(): void }> {
  const child = spawnProcess([process.execPath, script, ...args], { stdin: 'pipe' })
  const reader = child.stdout.getReader()
  const decoder = new TextDecoder()
  let text = ''
  while (!text.includes('\n')) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`the ${what} process ended before it was ready`)
    text += decoder.decode(value, { stream: true })
  }
  reader.releaseLock()
  return { first: JSON.parse(text.slice(0, text.indexOf('\n')), reviver) as T, stop: () => child.kill('SIGTERM') }
}

/** The helper's side: prints `first` as its one JSON line, then ends with `stop` on SIGTERM or when its lifeline (stdin) closes. */
export function helperReady(first: unknown, stop: () => void, replacer?: (key: string, value: unknown) => unknown): void {
  process.stdout.write(`${JSON.stringify(first, replacer)}\n`)
  const end = () => {
    stop()
    process.exit(0)
  }
  process.on('SIGTERM', end)
  process.stdin.on('end', end)
  process.stdin.resume()
}
