import { beforeAll, describe, expect, test } from 'bun:test'
import { copyFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { runProcess } from '../lib/proc.ts'
import { ROOT, runCli, tempDir } from './helpers/cli.ts'

describe('single binary (dist/arby)', () => {
  let binary = ''
  let elsewhere = ''

  beforeAll(async () => {
    const build = await runProcess([process.execPath, 'run', join(ROOT, 'scripts/build.ts')], { cwd: ROOT, timeoutMs: 120_000 })
    expect(build.exitCode).toBe(0)
    // Run it from a directory with no node_modules, no config/, no repo.
    elsewhere = tempDir('arby-bin-')
    binary = join(elsewhere, 'arby')
    copyFileSync(join(ROOT, 'dist/arby'), binary)
    expect(existsSync(join(elsewhere, 'node_modules'))).toBe(false)
  })

  test('default: --help works without node_modules', async () => {
    const result = await runCli(['--help'], { binary, cwd: elsewhere })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Usage: arby <command>')
    expect(result.stdout).toContain('Run `arby <command> --help`')
  })

  test('behavior: its smoke scan writes artifacts that pass gate M3', async () => {
    const out = tempDir('arby-bin-out-')
    const scan = await runCli(['scan', '--mode', 'smoke', '--output-dir', out], { binary, cwd: elsewhere })
    expect(scan.exitCode).toBe(0)
    const gate = await runProcess([process.execPath, 'run', join(ROOT, 'gates/m3.ts'), '--artifacts', out], { cwd: ROOT })
    expect(gate.stdout).toContain('✅ M3 CI GATE PASSED')
    expect(gate.exitCode).toBe(0)
  })
})
