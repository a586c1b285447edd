/**
 * A watch run on the devnet with Arbitrum's 250 ms blocks, once per output setting: blocks the
 * chain made, cycles written, blocks skipped while a cycle was busy, and the bytes written
 * (per cycle, and per day at that pace). Not a test; prints a table.
 * Run: npm run bench:watch [-- --seconds 60]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { spawnCli, tempDir, removeTempDirs } from '../tests/helpers/cli.ts'
import { table } from '../lib/report/table.ts'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } })
const seconds = Number(values.seconds)

function bytesUnder(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size
  }
  return total
}

const rows: string[][] = []
try {
  for (const artifacts of ['all', 'changed', 'summary'] as const) {
    const dir = tempDir('arby-bench-watch-')
    // --keep-for far beyond the run: measure what is written, not what retention keeps.
    const child = spawnCli(['scan', '--devnet', '--watch', '--artifacts', artifacts, '--keep-for', '7d', '-o', dir, '--quiet'])
    await Bun.sleep(seconds * 1000)
    child.kill('SIGINT')
    await child.exited
    const done = readFileSync(join(dir, 'scan.log'), 'utf8').split('\n').filter((l) => l.includes('"cycle.done"')).map((l) => JSON.parse(l))
    const blocks = done.length ? done.at(-1).block - done[0].block + 1 : 0
    const skipped = done.reduce((n, l) => n + (l.data.skipped_blocks ?? 0), 0)
    const bytes = bytesUnder(dir)
    const span = done.length > 1 ? (Date.parse(done.at(-1).ts) - Date.parse(done[0].ts)) / 1000 : seconds
    const perCycle = bytes / Math.max(1, done.length)
    const median = done.map((l) => l.data.elapsed_ms as number).sort((a, b) => a - b)[Math.floor(done.length / 2)] ?? 0
    rows.push([artifacts, String(done.length), String(blocks), String(skipped), `${median}`, `${(perCycle / 1024).toFixed(1)} KB`, `${((perCycle * done.length / span) * 86_400 / 1e9).toFixed(1)} GB`])
  }
} finally {
  removeTempDirs()
}
console.log(`devnet watch, 250 ms blocks, ${seconds} s per setting (simulation on):`)
console.log(table(['--artifacts', 'cycles', 'blocks', 'skipped', 'median cycle ms', 'bytes/cycle', 'bytes/day at this pace'], rows).join('\n'))
console.log('With --keep-for 1h (the watch default) a day\'s run holds at most one hour of these files; scan.log rotates at 64 MB (2 kept).')
