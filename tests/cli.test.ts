import { describe, expect, test } from 'bun:test'
import { runCli } from './helpers/cli.ts'

describe('CLI contract', () => {
  test('default: --help explains every scan flag, exit 0, on stdout', async () => {
    const result = await runCli(['scan', '--help'])
    expect(result.exitCode).toBe(0)
    for (const flag of ['--mode', '--devnet', '--rpc', '--quoter', '--cycles', '--watch', '--output-dir', '--config', '--json', '--quiet', '--verbose']) {
      expect(result.stdout).toContain(flag)
    }
  })

  test.each([
    [['scan', '--mode', 'bogus'], '--mode must be one of real, smoke; got "bogus"'],
    [['scan', '--quoter', 'fast'], '--quoter must be one of local, onchain; got "fast"'],
    [['bogus'], 'unknown command "bogus"'],
    [['sacn'], 'did you mean scan?'],
    [['scan', '--cylces', '3'], 'unknown flag --cylces for arby scan\nhint: did you mean --cycles?'],
    [['scan', 'smoke'], 'unexpected argument "smoke" for arby scan'],
    [['scan', '--config'], '--config needs a value'],
    [['config'], 'arby config needs a command: check'],
    [['config', 'chek'], 'did you mean check?'],
    [['scan', '--rpc', 'http://127.0.0.1:99999/'], 'RPC_URL_INVALID'],
    [['scan', '--cycles', 'abc'], 'CYCLES_INVALID'],
    [['scan', '--mode', 'smoke', '--rpc', 'http://127.0.0.1:1'], 'MODE_CONFLICT'],
    [['schema', 'bogus'], 'SCHEMA_UNKNOWN'],
  ])('error: %p is bad input: exit 2, a message, no stack trace', async (args, message) => {
    const result = await runCli(args)
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/)
    expect(result.stdout).toBe('')
  })

  test('behavior: each command file runs alone', async () => {
    const { runProcess } = await import('../lib/proc.ts')
    const { ROOT } = await import('./helpers/cli.ts')
    const result = await runProcess([process.execPath, 'run', `${ROOT}cmd/schema.ts`, 'scan_log_line'], { cwd: ROOT })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout).title).toBe('scan_log_line')
  })

  test.each([['piped'], ['piped, NO_COLOR unset']])('behavior: --help %s: plain text, no ANSI escapes, lines within 80 columns', async (how) => {
    const env: Record<string, string> = how === 'piped' ? {} : { NO_COLOR: '' }
    for (const args of [['--help'], ['scan', '--help'], ['config', 'check', '--help'], ['devnet', '--help']]) {
      const result = await runCli(args, { env })
      expect(result.exitCode).toBe(0)
      expect(result.stdout).not.toContain('\u001b[')
      for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80)
    }
  })

  test('behavior: hints name a command the user can run from here, not `arby` (which is not on their PATH)', async () => {
    const result = await runCli(['scan', '--cylces', '3'])
    expect(result.stderr).toContain('npx bun run cmd/main.ts scan --help')
    expect(result.stderr).not.toMatch(/run `?arby /)
  })
})
