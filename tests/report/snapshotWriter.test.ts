import { describe, expect, test } from 'bun:test'
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ContractError } from '../../lib/errors.ts'
import { writeSnapshotSliced } from '../../lib/report/snapshotWriter.ts'
import { writeJsonAtomic } from '../../lib/report/write.ts'
import { tempDir } from '../helpers/cli.ts'
import { artifacts } from './snapshotWriter.fixture.ts'

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

  test('behavior: a process that exits in the middle of a write (a stop\'s hard deadline between two slices) leaves neither the snapshot nor half of it', () => {
    const dir = tempDir()
    const script = join(dir, 'exit.ts')
    writeFileSync(script, `
      import { writeSnapshotSliced } from ${JSON.stringify(new URL('../../lib/report/snapshotWriter.ts', import.meta.url).pathname)}
      import { artifacts } from ${JSON.stringify(new URL('./snapshotWriter.fixture.ts', import.meta.url).pathname)}
      let slices = 0
      // The third slice never comes: the process exits between two (as the hard deadline does).
      void writeSnapshotSliced(${JSON.stringify(join(dir, 'snapshot.json'))}, artifacts().snapshotParts(), async () => { if (++slices === 3) process.exit(130) })
    `)
    const child = spawnSync(process.execPath, ['run', script], { encoding: 'utf8' })
    expect(child.status).toBe(130)
    expect(readdirSync(dir)).toEqual(['exit.ts'])
  })
})
