import { beforeAll, describe, expect, test } from 'bun:test'
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runProcess } from '../lib/proc.ts'
import { ROOT, runCli, tempDir } from './helpers/cli.ts'

let run = ''

function gate(dir: string) {
  return runProcess([process.execPath, 'run', join(ROOT, 'gates/m3.ts'), '--artifacts', dir], { cwd: ROOT, env: { PATH: process.env.PATH!, NO_COLOR: '1' } })
}

/** A copy of the good run with one file changed by `mutate`. */
function broken(mutate: (dir: string) => void): string {
  const dir = tempDir('arby-gate-')
  cpSync(run, dir, { recursive: true })
  mutate(dir)
  return dir
}

function editTruth(dir: string, edit: (truth: Record<string, any>) => void, prefix = 'truth_report_'): void {
  const reports = join(dir, 'reports')
  const file = join(reports, readdirSync(reports).find((f) => f.startsWith(prefix))!)
  const truth = JSON.parse(readFileSync(file, 'utf8'))
  edit(truth)
  writeFileSync(file, JSON.stringify(truth))
}

describe('gate M3', () => {
  beforeAll(async () => {
    run = tempDir('arby-gate-run-')
    const result = await runCli(['scan', '--mode', 'smoke', '--output-dir', run])
    expect(result.exitCode).toBe(0)
  })

  test('default: passes on a real smoke run', async () => {
    const result = await gate(run)
    expect(result.stdout).toContain('✅ M3 CI GATE PASSED')
    expect(result.stdout.trim().split('\n').pop()).toMatch(/^\d+ passed, 0 failed$/)
    expect(result.exitCode).toBe(0)
  })

  test('error: fails when an artifact is missing', async () => {
    const dir = broken((d) => rmSync(join(d, 'scan.log')))
    const result = await gate(dir)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('✗ Missing: scan.log')
  })

  test('error: fails on a wrong schema_version', async () => {
    const dir = broken((d) => editTruth(d, (t) => { t.schema_version = '2.0.0' }))
    const result = await gate(dir)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('schema_version')
    expect(result.stdout).toContain('❌ M3 CI GATE FAILED')
  })

  test('error: fails when execution_ready_count > 0', async () => {
    const dir = broken((d) => editTruth(d, (t) => { t.stats.execution_ready_count = 1 }))
    const result = await gate(dir)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('stats.execution_ready_count')
  })

  test('error: fails on a reject code outside the closed list', async () => {
    const dir = broken((d) => editTruth(d, (h) => { h.by_code.QUOTE_TOO_GOOD = 1 }, 'reject_histogram_'))
    const result = await gate(dir)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('reject_histogram_*.json: schema violation')
  })
})
