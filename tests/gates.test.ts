import { beforeAll, describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
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

describe('gate M4: the seed\'s words and the original\'s own checks', () => {
  let real = ''
  const m4 = (dir: string) => runProcess([process.execPath, 'run', join(ROOT, 'gates/m4.ts'), '--artifacts', dir], { cwd: ROOT, env: { PATH: process.env.PATH!, NO_COLOR: '1' } })
  const copy = (mutate: (dir: string) => void) => {
    const dir = tempDir('arby-gate4-')
    cpSync(real, dir, { recursive: true })
    mutate(dir)
    return dir
  }
  const editJson = (dir: string, sub: string, prefix: string, edit: (json: Record<string, any>) => void) => {
    const file = join(dir, sub, readdirSync(join(dir, sub)).find((f) => f.startsWith(prefix))!)
    const json = JSON.parse(readFileSync(file, 'utf8'))
    edit(json)
    writeFileSync(file, JSON.stringify(json))
  }

  beforeAll(async () => {
    real = tempDir('arby-gate4-run-')
    const result = await runCli(['scan', '--devnet', '--output-dir', real])
    expect(result.exitCode).toBe(0)
  }, 60_000)

  test('default: a REAL devnet run passes, printing the seed status document\'s expected lines', async () => {
    const result = await m4(real)
    expect(result.exitCode).toBe(0)
    for (const line of ['✓ Found: scan_*.json', '✓ Found: reject_histogram_*.json', '✓ Found: truth_report_*.json', '✓ Found: scan.log', '✅ All 4 artifacts present and valid', '✓ run_mode: REGISTRY_REAL', '✓ schema_version: 3.0.0', '✓ execution_ready_count: 0 (M4: execution disabled)', '✅ M4 invariants satisfied', '✅ M4 CI GATE PASSED']) {
      expect(result.stdout).toContain(line)
    }
    expect(result.stdout).toMatch(/✓ current_block: \d+ \(pinned\)/)
    expect(result.stdout).toMatch(/✓ quotes_fetched: \d+ \(>= 1 required\)/)
    expect(result.stdout).toContain('✅ arbybot\'s own gate checks pass on ARBY\'s artifacts')
  })

  test.each([
    ['every opportunity on one DEX (no cross-DEX route)', (d: string) => editJson(d, 'reports', 'truth_report_', (t) => { for (const o of t.top_opportunities) o.dex_sell = o.dex_buy }), 'arbybot cross-DEX: at least one opportunity buys and sells on different DEXes'],
    ['the snapshot\'s rpc_stats claiming no requests', (d: string) => editJson(d, 'snapshots', 'scan_', (s) => { s.rpc_stats.total_requests = 2 }), 'arbybot M4 (87a67a8): rpc_stats.total_requests 2 >= 3'],
    ['snapshot and truth disagreeing on dexes_active', (d: string) => editJson(d, 'snapshots', 'scan_', (s) => { s.stats.dexes_active = 1 }), 'arbybot M4 (87a67a8): stats.dexes_active 1 >= 2'],
    ['an opportunity blocked by the smoke blocker in a REAL run', (d: string) => editJson(d, 'reports', 'truth_report_', (t) => { t.top_opportunities[0].execution_blockers = ['SMOKE_MODE_NO_EXECUTION'] }), 'arbybot M4 (seed): every top opportunity carries EXECUTION_DISABLED_M4'],
  ])('error: the original\'s checks catch %s', async (_, mutate, message) => {
    const result = await m4(copy(mutate))
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(`✗ ${message}`)
    expect(result.stdout).toContain('❌ arbybot\'s own gate checks fail on ARBY\'s artifacts')
  })
})

describe('gate M5: guarded execution on the devnet', () => {
  let real = ''
  const m5 = (dir: string) => runProcess([process.execPath, 'run', join(ROOT, 'gates/m5.ts'), '--artifacts', dir], { cwd: ROOT, env: { PATH: process.env.PATH!, NO_COLOR: '1' } })
  const copy = (mutate: (dir: string) => void) => {
    const dir = tempDir('arby-gate5-')
    cpSync(real, dir, { recursive: true })
    mutate(dir)
    return dir
  }
  /** Edits one trade in the ledger, as a bug (or a hand) would. */
  const editLedger = (dir: string, sql: string) => {
    const db = new Database(join(dir, 'exec.sqlite'))
    db.run(sql)
    db.close()
  }

  beforeAll(async () => {
    real = tempDir('arby-gate5-run-')
    const result = await runCli(['scan', '--devnet', '--execute', '--cycles', '2', '--output-dir', real])
    expect(result.exitCode).toBe(0)
  }, 60_000)

  test('default: a live devnet run passes: trades settle, profit and gas exact, signed only what was simulated', async () => {
    const result = await m5(real)
    expect(result.exitCode).toBe(0)
    for (const line of ['✓ mode: live', '✓ trades settled: 2 of 2 (>= 1 required)', '✓ signed only what was simulated at the block it was signed at: 2 of 2', '✓ realized profit = simulated profit to the wei: 2 of 2', '✓ gas used = simulated gas: 2 of 2', '✓ every signed transaction was persisted before it was sent (SIGNED before SUBMITTED)', '✅ M5 invariants satisfied', '✅ M5 CI GATE PASSED']) {
      expect(result.stdout).toContain(line)
    }
  })

  test.each([
    ['a trade signed after a simulation at another block', `UPDATE trades SET body = json_set(body, '$.sim_block', json_extract(body, '$.pin_block') - 1) WHERE seq = 1`, '✗ signed only what was simulated at the block it was signed at: 2 of 2'],
    ['a realized profit one wei off', `UPDATE trades SET body = json_set(body, '$.realized.profit_diff', '1') WHERE seq = 1`, '✗ realized profit = simulated profit to the wei: 1 of 2'],
    ['two trades on one nonce', `UPDATE trades SET body = json_set(body, '$.tx.nonce', 1) WHERE seq = 2`, '✗ one signed transaction per nonce: 2 nonces, 1 distinct'],
  ])('error: the gate catches %s', async (_, sql, message) => {
    const result = await m5(copy((dir) => editLedger(dir, sql)))
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(message)
    expect(result.stdout).toContain('❌ M5 invariants violated')
  })
})
