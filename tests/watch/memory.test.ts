import { describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, tempDir } from '../helpers/cli.ts'

describe('a long run keeps its memory flat', () => {
  test('behavior: 1,200 smoke cycles through the CLI: resident memory stops growing once warm (no list of every cycle kept alive)', async () => {
    const dir = tempDir()
    const result = await runCli(['scan', '-m', 'smoke', '-c', '1200', '--artifacts', 'summary', '--keep', '50', '-o', dir, '--quiet'], { timeoutMs: 120_000 })
    expect(result.exitCode).toBe(0)
    const done = readFileSync(join(dir, 'scan.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.event === 'cycle.done')
    expect(done).toHaveLength(1200)
    const rss = done.map((l) => l.data.rss_mb as number)
    const warm = Math.max(...rss.slice(200, 400))
    const late = Math.max(...rss.slice(1000))
    // Retaining each cycle's outcome grew ~0.3 MB a cycle (+240 MB here); a flat run stays within GC noise.
    expect(late - warm).toBeLessThan(80)
    // --keep 50: every cycle was written (its path printed), only the last 50 remain.
    expect(result.stdout.trim().split('\n')).toHaveLength(1200)
    expect(readdirSync(join(dir, 'reports')).sort().map((f) => f.replace(/^.*_c/, ''))).toEqual(Array.from({ length: 50 }, (_, i) => `${1151 + i}.json`).sort())
  }, 150_000)
})
