import { afterAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runProcess } from '../lib/proc.ts'
import { truthReportFiles } from '../lib/report/outputDir.ts'
import { readRun, runCli, tempDir } from './helpers/cli.ts'

/** A tmpfs of `size` mounted at a fresh directory (root only); null where mounting is not allowed. */
async function tmpfs(options: string): Promise<string | null> {
  const dir = tempDir('arby-mnt-')
  const result = await runProcess(['mount', '-t', 'tmpfs', '-o', options, 'tmpfs', dir])
  if (result.exitCode !== 0) {
    console.warn(`tmpfs not available here (${result.stderr.trim()}): skipping`)
    return null
  }
  mounts.push(dir)
  return dir
}
const mounts: string[] = []

const smoke = (dir: string) => runCli(['scan', '--mode', 'smoke', '--output-dir', dir])

describe('the output directory: problems are the user\'s or the machine\'s, never "a bug"', () => {
  afterAll(async () => {
    for (const dir of mounts) await runProcess(['umount', dir])
    for (const dir of mounts) rmSync(dir, { recursive: true, force: true })
  })

  test('error: a path through a file is bad input (exit 2), plainly worded', async () => {
    const file = join(tempDir(), 'file')
    writeFileSync(file, 'x')
    for (const dir of [file, join(file, 'below')]) {
      const result = await smoke(dir)
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain('OUTPUT_DIR_INVALID')
      expect(result.stderr).not.toContain('bug')
    }
  })

  test('error: a read-only filesystem is infrastructure (exit 3)', async () => {
    const ro = await tmpfs('size=1m,ro')
    if (!ro) return
    const result = await smoke(join(ro, 'run'))
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('the filesystem is read-only')
  })

  test('error: a full disk is infrastructure (exit 3) and leaves no temp file behind', async () => {
    // Room for the log and the first small files, not for a whole cycle's snapshot.
    const full = await tmpfs('size=24k')
    if (!full) return
    const result = await smoke(full)
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('OUTPUT_WRITE_FAILED')
    expect(result.stderr).toContain('no space left on the device')
    const all = ['.', 'snapshots', 'reports'].flatMap((sub) => (existsSync(join(full, sub)) ? readdirSync(join(full, sub)) : []))
    expect(all.filter((name) => name.includes('.tmp-'))).toEqual([])
    expect(all).not.toContain('.arby.lock')
  })

  test('error: a second run into a directory in use is refused (exit 2); the first is untouched', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, '.arby.lock'), `${process.pid}\n`)
    const result = await smoke(dir)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`OUTPUT_DIR_BUSY: another ARBY run (pid ${process.pid}) is writing to ${dir}`)
    expect(readdirSync(dir)).toEqual(['.arby.lock'])
  })

  test('behavior: a killed run\'s lock and temp files are cleaned up by the next run', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'reports'), { recursive: true })
    const dead = 2 ** 22 + 12_345 // above the default pid_max: no such process
    writeFileSync(join(dir, '.arby.lock'), `${dead}\n`)
    writeFileSync(join(dir, 'reports', `truth_report_x.json.tmp-${dead}`), '{"half":')
    const result = await smoke(dir)
    expect(result.exitCode).toBe(0)
    expect(readdirSync(join(dir, 'reports')).filter((name) => name.includes('.tmp-'))).toEqual([])
    expect(existsSync(join(dir, '.arby.lock'))).toBe(false)
    expect(readRun(dir).truths).toHaveLength(1)
  })

  test('behavior: two scans started together into one directory never interleave: the second waits its turn or is refused', async () => {
    const dir = tempDir()
    const scan = () => runCli(['scan', '--mode', 'smoke', '--cycles', '30', '--output-dir', dir])
    const results = await Promise.all([scan(), scan(), scan()])
    const written = results.filter((r) => r.exitCode === 0).length
    for (const result of results.filter((r) => r.exitCode !== 0)) {
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain('OUTPUT_DIR_BUSY')
    }
    expect(written).toBeGreaterThanOrEqual(1)
    const run = readRun(dir)
    // Every cycle of every run that wrote is there (none overwritten)...
    expect(run.truths).toHaveLength(30 * written)
    // ...and each run's log lines are one block: start, its cycles, done.
    const events = run.log.map((line) => line.event).filter((e) => e === 'run.start' || e === 'run.done')
    expect(events).toEqual(Array.from({ length: written }, () => ['run.start', 'run.done']).flat())
  })
})

describe('a run\'s truth reports as a reader of a live run sees them', () => {
  test('behavior: only finished reports are listed, oldest first — a report still being written (its temp file) and other files are not; a run without reports lists none', () => {
    const dir = tempDir()
    expect(truthReportFiles(dir)).toEqual([])
    mkdirSync(join(dir, 'reports'))
    for (const name of ['truth_report_20261126_230338_318_c2.json', 'truth_report_20261126_230338_100_c1.json', 'truth_report_20261126_230338_500_c3.json.tmp-4242', 'snapshot_20261126_230338_100_c1.json']) writeFileSync(join(dir, 'reports', name), '{}')
    expect(truthReportFiles(dir)).toEqual(['truth_report_20261126_230338_100_c1.json', 'truth_report_20261126_230338_318_c2.json'])
  })
})
