import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseAbi } from 'viem'
import type { TradeRecord } from '../../lib/contract/execution.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { runCli } from '../helpers/cli.ts'
import { rig, runLive, type Rig } from '../helpers/exec.ts'

const erc20 = parseAbi(['function balanceOf(address) view returns (uint256)'])

describe('operating the ledger: exec halt, resume, status, history, sweep', () => {
  let devnet: Devnet
  let r: Rig
  let store: string
  beforeAll(async () => {
    devnet = await startDevnet()
    r = await rig(devnet)
    const first = await runLive(r)
    store = first.store
    expect(first.ledger.list().map((t) => t.state)).toEqual(['SETTLED'])
    first.ledger.close()
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  test('behavior: exec halt stops the next signature (EXEC_HALTED, persisted); exec resume lets the next run trade', async () => {
    const halt = await runCli(['exec', 'halt', '--store', store, '--reason', 'maintenance'])
    expect(halt.exitCode).toBe(0)
    const status = await runCli(['exec', 'status', '--store', store, '--json'])
    expect(JSON.parse(status.stdout).kill).toMatchObject({ state: 'halted', reason: 'operator: maintenance' })
    const halted = await runLive(r, { store })
    expect(halted.ledger.list().at(-1)!.code).toBe('EXEC_HALTED')
    halted.ledger.close()
    const resume = await runCli(['exec', 'resume', '--store', store])
    expect(resume.exitCode).toBe(0)
    expect(resume.stderr).toContain('resumed (was halted: operator: maintenance)')
    const again = await runLive(r, { store })
    expect(again.ledger.list().at(-1)!.state).toBe('SETTLED')
    again.ledger.close()
  })

  test('error: resume refuses while a KILL file is present (it would halt again at once)', async () => {
    const kill = join(dirname(store), 'KILL')
    writeFileSync(kill, '')
    const result = await runCli(['exec', 'resume', '--store', store])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(`KILL_FILE_PRESENT: ${kill} is present`)
    expect(result.stderr).toContain(`hint: remove it (rm ${kill}), then resume`)
    await Bun.file(kill).delete()
  })

  test('behavior: exec history prints the ledger with prediction and receipt side by side; --route filters', async () => {
    const json = await runCli(['exec', 'history', '--store', store, '--json'])
    const trades = JSON.parse(json.stdout) as TradeRecord[]
    const settled = trades.filter((t) => t.state === 'SETTLED')
    expect(settled.length).toBeGreaterThanOrEqual(2)
    const text = await runCli(['exec', 'history', '--store', store])
    expect(text.stdout.split('\n')[0]).toMatch(/^trade\s+state\s+route\s+nonce\s+block\s+predicted\s+realized\s+diff\s+gas\s+net usd\s+code$/)
    for (const t of settled) expect(text.stdout).toContain(t.id)
    const one = await runCli(['exec', 'history', '--store', store, '--route', settled[0]!.route, '--json'])
    expect((JSON.parse(one.stdout) as TradeRecord[]).every((t) => t.route === settled[0]!.route)).toBe(true)
    const bad = await runCli(['exec', 'history', '--store', store, '--since', 'yesterday-ish'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('SINCE_INVALID')
  })

  test('behavior: exec sweep moves the executor\'s profit to the signer through the ledger; the next live run does not read it as money moving outside a trade', async () => {
    const weth = devnet.deployment.tokens.WETH
    const held = await devnet.client.readContract({ address: weth, abi: erc20, functionName: 'balanceOf', args: [r.executor] })
    expect(held).toBeGreaterThan(0n)
    const before = await devnet.client.readContract({ address: weth, abi: erc20, functionName: 'balanceOf', args: [r.signer] })
    const result = await runCli(['exec', 'sweep', '--token', 'WETH', '--rpc', devnet.url, '-f', r.configPath, '--store', store, '--json'], { env: { ARBY_EXEC_PRIVATE_KEY: r.key } })
    expect(result.exitCode).toBe(0)
    const sweep = JSON.parse(result.stdout) as TradeRecord
    expect([sweep.kind, sweep.state, sweep.receipt!.status, sweep.size, sweep.realized!.balance_delta]).toEqual(['sweep', 'SETTLED', 'success', held.toString(), (-held).toString()])
    expect(await devnet.client.readContract({ address: weth, abi: erc20, functionName: 'balanceOf', args: [r.executor] })).toBe(0n)
    expect(await devnet.client.readContract({ address: weth, abi: erc20, functionName: 'balanceOf', args: [r.signer] })).toBe(before + held)
    const next = await runLive(r, { store })
    const last = next.ledger.list().at(-1)!
    expect([last.state, next.ledger.halt().state]).toEqual(['SETTLED', 'running'])
    next.ledger.close()
  })

  test('error: nothing to sweep is refused with the balance (exit 2)', async () => {
    const result = await runCli(['exec', 'sweep', '--token', 'USDT', '--rpc', devnet.url, '-f', r.configPath, '--store', store], { env: { ARBY_EXEC_PRIVATE_KEY: r.key } })
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('SWEEP_NOTHING: the executor holds 0 USDT base units')
  })
})
