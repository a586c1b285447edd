import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as v from 'valibot'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { ExecutionReport, PaperTrade } from '../../lib/contract/execution.ts'
import { TruthReport } from '../../lib/contract/truthReport.ts'
import { deployExecutor } from '../../lib/devnet/executor.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { PUBLISHED_KEYS } from '../../lib/exec/signer.ts'
import { TradeStore } from '../../lib/exec/store.ts'
import { readRun, runCli, spawnCli, tempDir } from '../helpers/cli.ts'
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.ts'

/** Every byte under a directory (sqlite files included), as latin1 text, for greps. */
function allBytes(dir: string): string {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]))
  return walk(dir).map((f) => readFileSync(f).toString('latin1')).join('\n')
}

const spellings = (key: string) => [key, key.slice(2), key.slice(2).toUpperCase(), key.toUpperCase().replace('0X', '0x')]

describe('execution from the command line', () => {
  test('behavior: `scan --devnet --execute` trades with the key from the environment; the key is nowhere: not in stdout, stderr, artifacts, exec.log or the ledger', async () => {
    const key = generatePrivateKey()
    const dir = tempDir()
    const result = await runCli(['scan', '--devnet', '--execute', '-c', '2', '-o', dir, '--verbose'], { env: { ARBY_EXEC_PRIVATE_KEY: key } })
    expect(result.exitCode).toBe(0)
    const report = v.parse(ExecutionReport, JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith('execution_report_'))!), 'utf8')))
    expect(report.signer).toBe(privateKeyToAccount(key).address)
    expect([report.mode, report.totals.settled, report.totals.profit_exact, report.totals.gas_exact]).toEqual(['live', 2, 2, 2])
    expect(result.stderr).toContain(`execution live as ${report.signer}`)
    const everything = `${result.stdout}\n${result.stderr}\n${allBytes(dir)}`
    for (const spelling of spellings(key)) expect(everything.includes(spelling)).toBe(false)
    const truths = readRun(dir).truths.map((t) => v.parse(TruthReport, t))
    expect(truths.map((t) => t.execution!.trade!.state)).toEqual(['SETTLED', 'SETTLED'])

    // exec history and status read the same ledger.
    const history = await runCli(['exec', 'history', '--store', join(dir, 'exec.sqlite'), '--json'])
    expect(history.exitCode).toBe(0)
    expect((JSON.parse(history.stdout) as { id: string }[]).map((t) => t.id)).toEqual(report.trades.map((t) => t.id))
    const status = await runCli(['exec', 'status', '--store', join(dir, 'exec.sqlite')])
    expect(status.stdout).toContain('kill switch: running')
    expect(status.stdout).toContain(`next nonce: ${report.trades.at(-1)!.tx!.nonce + 1}`)
  })

  test('error: a malformed key is described by its shape only (exit 2), never echoed', async () => {
    const bad = `0x${'7'.repeat(63)}`
    const result = await runCli(['scan', '--devnet', '--execution', 'dry-run', '-o', tempDir()], { env: { ARBY_EXEC_PRIVATE_KEY: bad } })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('EXEC_KEY_INVALID: ARBY_EXEC_PRIVATE_KEY is not a private key (expected 64 hex digits, got 65 characters)')
    expect(result.stderr.includes('7'.repeat(20))).toBe(false)
  })

  test('behavior: paper mode records WOULD_EXECUTE trades at the simulated fills, once per route per cooldown, and the truth report carries the session totals', async () => {
    const dir = tempDir()
    const result = await runCli(['scan', '--devnet', '--execution', 'paper', '-c', '2', '-o', dir])
    expect(result.exitCode).toBe(0)
    const trades = readFileSync(join(dir, 'paper_trades.jsonl'), 'utf8').trim().split('\n').map((line) => v.parse(PaperTrade, JSON.parse(line)))
    const truths = readRun(dir).truths.map((t) => v.parse(TruthReport, t))
    const [first, second] = truths.map((t) => t.execution!.paper!)
    expect(first!.recorded).toBeGreaterThan(0)
    // The same routes a second later: all in cooldown (60 s), nothing new recorded.
    expect([second!.recorded, second!.skipped_cooldown, second!.total_trades]).toEqual([0, first!.recorded + first!.skipped_cooldown, first!.recorded])
    expect(trades).toHaveLength(first!.recorded)
    expect(new Set(trades.map((t) => t.metadata.route)).size).toBe(trades.length)
    const sumMicro = trades.reduce((sum, t) => sum + BigInt(t.expected_pnl_numeraire.replace('.', '')), 0n)
    expect(BigInt(second!.total_pnl_usdc.replace('.', ''))).toBe(sumMicro)
    for (const truth of truths) {
      expect([truth.execution_enabled, truth.execution_blocker, truth.stats.execution_ready_count]).toEqual([false, 'PAPER_MODE_NO_EXECUTION', 0])
      expect(truth.cumulative_pnl).toEqual({ total_bps: truth.execution!.paper!.total_pnl_bps, total_usdc: truth.execution!.paper!.total_pnl_usdc })
      expect(truth.pnl.would_execute_pnl_usdc).toBe(truth.execution!.paper!.total_pnl_usdc)
    }
    // Each paper trade is the simulation's figure: net after simulated gas, in the quote token.
    const snapshot = readRun(dir).snapshots[0]
    for (const trade of trades) {
      const sim = snapshot.simulations.find((s: { id: string; kind: string }) => s.id === trade.spread_id && s.kind === trade.metadata.kind)
      expect([sim.status, sim.profit, sim.net_after_sim]).toEqual(['passed', trade.metadata.simulated_profit, trade.metadata.net_after_sim])
    }
  })
})

describe('execution refuses what is not safe (exit 2 before any cycle)', () => {
  let devnet: Devnet
  let nitro: FaultProxy
  beforeAll(async () => {
    devnet = await startDevnet()
    // A loopback endpoint that is not an anvil: what a local Nitro node looks like.
    nitro = await startFaultProxy({ upstream: devnet.url, results: { web3_clientVersion: 'nitro/v3.9.3-stable' } })
  })
  afterAll(async () => {
    nitro?.stop()
    await devnet?.stop()
  })

  const config = (extra = '') => {
    const path = join(tempDir(), 'exec.yaml')
    writeFileSync(path, `${readFileSync('config/smoke.yaml', 'utf8')}\nexecution:\n  mode: dry-run\n${extra}`)
    return path
  }

  test('error: anvil\'s published keys are refused anywhere but a local anvil', async () => {
    const result = await runCli(['scan', '--rpc', nitro.url, '-c', '1', '-f', config(), '-o', tempDir()], { env: { ARBY_EXEC_PRIVATE_KEY: PUBLISHED_KEYS[0]! } })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain("EXEC_KEY_PUBLISHED: ARBY_EXEC_PRIVATE_KEY is one of anvil's published test keys (0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266)")
    expect(nitro.log.filter((entry) => entry.method === 'eth_sendRawTransaction')).toHaveLength(0)
  })

  test('error: live trading beyond a local anvil needs ARBY_EXEC_ALLOW_MAINNET=1; then an executor is required', async () => {
    const key = generatePrivateKey()
    const live = await runCli(['scan', '--rpc', nitro.url, '--execute', '-c', '1', '-f', config(), '-o', tempDir()], { env: { ARBY_EXEC_PRIVATE_KEY: key } })
    expect(live.exitCode).toBe(2)
    expect(live.stderr).toContain('EXEC_LIVE_NOT_CONFIRMED')
    expect(live.stderr).toContain('hint: set ARBY_EXEC_ALLOW_MAINNET=1')
    const confirmed = await runCli(['scan', '--rpc', nitro.url, '--execute', '-c', '1', '-f', config(), '-o', tempDir()], { env: { ARBY_EXEC_PRIVATE_KEY: key, ARBY_EXEC_ALLOW_MAINNET: '1' } })
    expect(confirmed.exitCode).toBe(2)
    expect(confirmed.stderr).toContain(`EXECUTOR_REQUIRED: execution.mode live needs execution.executor: an ArbExecutor deployed by ${privateKeyToAccount(key).address}`)
  })

  test('error: no key in the environment: dry-run and live say where it must come from', async () => {
    const result = await runCli(['scan', '--rpc', devnet.url, '-c', '1', '-f', config(), '-o', tempDir()])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('EXEC_KEY_MISSING: ARBY_EXEC_PRIVATE_KEY is not set')
  })

  test('error: the executor must be an ArbExecutor owned by the signer', async () => {
    const key = generatePrivateKey()
    const notExecutor = await runCli(['scan', '--rpc', devnet.url, '-c', '1', '-f', config(`  executor: "${devnet.deployment.uniswapV3.router}"\n`), '-o', tempDir()], { env: { ARBY_EXEC_PRIVATE_KEY: key } })
    expect(notExecutor.exitCode).toBe(2)
    expect(notExecutor.stderr).toContain(`EXECUTOR_INVALID: execution.executor ${devnet.deployment.uniswapV3.router} is not an ArbExecutor`)
    const owner = privateKeyToAccount(generatePrivateKey()).address
    const executor = await deployExecutor(devnet.client, owner)
    const someoneElses = await runCli(['scan', '--rpc', devnet.url, '-c', '1', '-f', config(`  executor: "${executor}"\n`), '-o', tempDir()], { env: { ARBY_EXEC_PRIVATE_KEY: key } })
    expect(someoneElses.exitCode).toBe(2)
    expect(someoneElses.stderr).toContain(`EXECUTOR_OWNER_MISMATCH: ${privateKeyToAccount(key).address} is not the owner of execution.executor ${executor} (its owner is ${owner})`)
  })
})

describe('live execution under a stop signal', () => {
  test('behavior: SIGTERM during `scan --devnet --execute --watch`: nothing is signed after the signal; the process ends (143 or 0) and the ledger is whole', async () => {
    const dir = tempDir()
    const child = spawnCli(['scan', '--devnet', '--execute', '--watch', '-o', dir])
    const log = join(dir, 'exec.log')
    const deadline = Date.now() + 30_000
    const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [])
    while (!lines().some((l) => l.to === 'SETTLED') && Date.now() < deadline) await Bun.sleep(50)
    expect(lines().some((l) => l.to === 'SETTLED')).toBe(true)
    const signalled = Date.now()
    child.kill('SIGTERM')
    const code = await child.exited
    expect([0, 143]).toContain(code)
    expect(Date.now() - signalled).toBeLessThan(2_500)
    const signedAfter = lines().filter((l) => l.to === 'SIGNED' && Date.parse(l.ts) > signalled)
    expect(signedAfter).toEqual([])
    // The ledger reads back whole (every row valid), and its trades match exec.log's.
    const ledger = TradeStore.open(join(dir, 'exec.sqlite'))
    const trades = ledger.list()
    ledger.close()
    expect(trades.map((t) => t.id)).toEqual([...new Set(lines().filter((l) => l.trade).map((l) => l.trade))])
  })
})
