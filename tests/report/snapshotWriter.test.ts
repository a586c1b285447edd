import { describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../../lib/config/load.ts'
import { ContractError } from '../../lib/errors.ts'
import { buildArtifacts } from '../../lib/report/build.ts'
import { writeSnapshotSliced } from '../../lib/report/snapshotWriter.ts'
import { writeJsonAtomic } from '../../lib/report/write.ts'
import { evaluateCycle } from '../../lib/scan/evaluate.ts'
import type { Side } from '../../lib/scan/types.ts'
import { tempDir } from '../helpers/cli.ts'
import { cycleInput, quoteOf } from '../scan/fixtures.ts'

const base = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
// WETH/USDC at 32 sizes on every venue: 320 quotes, 32 × 5 × 4 = 640 candidates (two slices of spreads).
const WETH = 10n ** 18n
const sizes = Array.from({ length: 32 }, (_, i) => (BigInt(i) + 1n) * WETH / 10n)
const pair = { ...base.pairs[0]!, sizes }
const config = { ...base, pairs: [pair, ...base.pairs.slice(1)] }

function artifacts() {
  const quotes = config.venues.flatMap((venue, v) => sizes.flatMap((size) => (['sell', 'buy'] as Side[]).map((side) =>
    // Prices a few USDC apart by venue, 2,990–3,010 USDC per WETH.
    quoteOf(config, pair.name, venue.key, side, size, (size * (side === 'sell' ? 2_995n + BigInt(v * 3) : 3_005n + BigInt(v))) * 10n ** 6n / WETH))))
  const input = cycleInput(quotes, { block: 77 })
  return buildArtifacts(input, evaluateCycle(input, config), config, '2026-11-26T00:00:00.000Z')
}

describe('the snapshot written a slice at a time', () => {
  test('behavior: the file is byte for byte the whole snapshot as writeJsonAtomic writes it, in several slices with the event loop between them', async () => {
    const made = artifacts()
    expect(made.snapshot.all_spreads.length).toBeGreaterThan(500)
    const dir = tempDir()
    writeJsonAtomic(join(dir, 'whole.json'), made.snapshot)
    let yields = 0
    await writeSnapshotSliced(join(dir, 'sliced.json'), made.snapshotParts(), async () => { yields++ })
    expect(readFileSync(join(dir, 'sliced.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole.json'), 'utf8'))
    // quotes: 1 slice; rejects: 2; all_spreads: 2.
    expect(yields).toBeGreaterThanOrEqual(4)
    expect(readdirSync(dir).sort()).toEqual(['sliced.json', 'whole.json'])
  })

  test('error: an entry that breaks its schema, or a quote id listed twice, is the snapshot\'s contract violation (exit 4), and nothing is left behind', async () => {
    const dir = tempDir()
    for (const [name, broken] of [
      ['spread', (parts: ReturnType<ReturnType<typeof artifacts>['snapshotParts']>) => {
        const spreads = parts.lists.find((l) => l.key === 'all_spreads')!
        const entry = spreads.entry
        spreads.entry = ((row: never, i: number) => (i === 600 ? { ...(entry(row, i) as object), fee_buy: -1 } : entry(row, i))) as never
      }],
      ['duplicate', (parts: ReturnType<ReturnType<typeof artifacts>['snapshotParts']>) => {
        const quotes = parts.lists.find((l) => l.key === 'quotes')!
        const rows = quotes.rows
        quotes.rows = () => [...rows(), rows()[0]]
      }],
    ] as const) {
      const parts = artifacts().snapshotParts()
      broken(parts)
      let error: unknown
      await writeSnapshotSliced(join(dir, `${name}.json`), parts, async () => {}).catch((caught) => { error = caught })
      expect(error).toBeInstanceOf(ContractError)
      expect((error as ContractError).code).toBe('ARTIFACT_SCHEMA_VIOLATION')
      expect((error as ContractError).exitCode).toBe(4)
      expect((error as ContractError).details[0]).toStartWith(name === 'spread' ? 'all_spreads.600.fee_buy' : 'quotes: quote ids must be unique')
      expect(existsSync(join(dir, `${name}.json`))).toBe(false)
    }
    expect(readdirSync(dir)).toEqual([])
  })
})
