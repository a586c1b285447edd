import { log } from '../../lib/log.ts'

/** What the process logger (stderr) said at info level while `run` ran — kept instead of printed — one string per message, type first ("info devnet ready at …"). */
export async function captureLog<T>(run: () => Promise<T>): Promise<{ lines: string[]; result: T | undefined; error: unknown }> {
  const lines: string[] = []
  const reporter = { log: (entry: { type: string; args: unknown[] }) => { lines.push(`${entry.type} ${entry.args.map(String).join(' ')}`) } }
  const saved = { reporters: log.options.reporters, level: log.level }
  log.setReporters([reporter])
  log.level = 3
  try {
    const result = await run()
    return { lines, result, error: undefined }
  } catch (error) {
    return { lines, result: undefined, error }
  } finally {
    log.setReporters(saved.reporters)
    log.level = saved.level
  }
}
