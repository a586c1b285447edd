import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import * as v from 'valibot'
import { ScanSnapshot } from '../../lib/contract/scanSnapshot.ts'
import { TruthReport } from '../../lib/contract/truthReport.ts'
import { startAnvil } from '../../lib/devnet/anvil.ts'
import { market } from '../../lib/devnet/market.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { scanJob } from '../../lib/scan/scanJob.ts'
import { allText, readRun, runCli, tempDir } from '../helpers/cli.ts'
import { configWithRpc } from '../helpers/config.ts'

const WETH = 10n ** 18n

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}


describe('REAL scan on a market the test sets itself', () => {
  let devnet: Devnet
  beforeAll(async () => {
    devnet = await startDevnet()
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  test('behavior: a new WETH/USDT 0.3% pool priced at 3100 (anchor ~3001) is found, sized and priced exactly', async () => {
    const m = market(devnet.client, devnet.deployment)
    await m.addLiquidity({ pair: 'WETH/USDT', venue: 'uniswap_v3:3000', price: '3100', depth: '100' })
    const { outcomes } = await scanJob({ mode: 'real', configPath: 'config/arbitrum.yaml', rpc: [devnet.url], cycles: 1, outputDir: tempDir() })
    const { snapshot } = outcomes[0]!.artifacts
    const quote = (venue: string, side: string, size: bigint) => snapshot.quotes.find((q) => q.id === `WETH/USDT|${venue}|${side}|${size}`)!

    expect(snapshot.registry.pools.some((p) => p.pair === 'WETH/USDT' && p.venue === 'uniswap_v3:3000')).toBe(true)
    const opportunity = snapshot.opportunities.find((o) => o.pair === 'WETH/USDT' && o.size === WETH.toString())!
    expect(opportunity.buy.venue).toBe('uniswap_v3:500')
    expect(opportunity.sell.venue).toBe('uniswap_v3:3000')
    const buy = quote('uniswap_v3:500', 'buy', WETH)
    const sell = quote('uniswap_v3:3000', 'sell', WETH)
    expect(BigInt(opportunity.gross_profit)).toBe(BigInt(sell.amount_out!) - BigInt(buy.amount_in!))
    // What the prices imply: selling 1 into a 100-WETH full-range pool at 3100 gives
    // 3100 × 100/101 × 0.997 ≈ 3059.9; buying 1 from the 800-WETH anchor at 3001 costs
    // ≈ 3001 × 1.0005 × (1 + 1/800) ≈ 3006.3, so ≈ 54 USDT gross.
    expect(BigInt(opportunity.gross_profit)).toBeGreaterThan(50n * 10n ** 6n)
    expect(BigInt(opportunity.gross_profit)).toBeLessThan(58n * 10n ** 6n)
    expect(opportunity.execution_blockers).toEqual(['EXECUTION_DISABLED_M4'])
    // The reverse route loses money; 10 WETH into a 100-WETH pool slips far past 300 bps.
    expect(snapshot.rejects.some((r) => r.code === 'PNL_NEGATIVE' && r.buy_venue === 'uniswap_v3:3000' && r.sell_venue === 'uniswap_v3:500' && r.pair === 'WETH/USDT')).toBe(true)
    expect(quote('uniswap_v3:3000', 'sell', 10n * WETH).reject_code).toBe('SLIPPAGE_TOO_HIGH')
  })

  test('behavior: `scan --devnet` (the main job) runs end to end and cleans up', async () => {
    const dir = tempDir()
    const result = await runCli(['scan', '--devnet', '--output-dir', dir, '--json'])
    expect(result.exitCode).toBe(0)
    const truth = v.parse(TruthReport, JSON.parse(result.stdout))
    expect(truth.run_mode).toBe('REGISTRY_REAL')
    expect(truth.stats.quotes_fetched).toBeGreaterThan(0)
    expect(truth.top_opportunities.length).toBeGreaterThan(0)
    expect(result.stderr).toContain('opportunities')
    expect(readRun(dir).truths).toHaveLength(1)
    // Cleaned up: the devnet it started no longer answers, and nothing is left in the run directory.
    const url = /devnet ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(result.stderr)![1]!
    expect(await fetch(url, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' }).then(() => 'answered', () => 'refused')).toBe('refused')
    expect(readdirSync(dir).sort()).toEqual(['opportunities.sqlite', 'reports', 'scan.log', 'snapshots'])
  })

  test('error: `scan --devnet` failing after the devnet started (a config for another chain) stops the devnet and exits at once (3)', async () => {
    const config = join(tempDir(), 'chain1.yaml')
    writeFileSync(config, readFileSync('config/arbitrum.yaml', 'utf8').replace('chain_id: 42161', 'chain_id: 1'))
    const started = performance.now()
    const result = await runCli(['scan', '--devnet', '--config', config, '--output-dir', tempDir()])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('CHAIN_MISMATCH')
    expect(performance.now() - started).toBeLessThan(10_000)
    const url = /devnet ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(result.stderr)![1]!
    expect(await fetch(url, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' }).then(() => 'answered', () => 'refused')).toBe('refused')
  })
})

describe('REAL scan against a bad RPC', () => {
  test('error: another chain id fails with a clear message and exit 3', async () => {
    const anvil = await startAnvil(['--chain-id', '1'])
    try {
      const result = await runCli(['scan', '--mode', 'real', '--rpc', anvil.url, '--output-dir', tempDir()])
      expect(result.exitCode).toBe(3)
      expect(result.stderr).toContain('CHAIN_MISMATCH: RPC is on chain 1, the config expects 42161 (arbitrum_one)')
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/)
    } finally {
      await anvil.stop()
    }
  })

  test('error: an unreachable RPC voids the cycle with INFRA_BLOCK_PIN_FAILED, writes valid artifacts, exit 3, no key leaked', async () => {
    const dir = tempDir()
    const secret = 'k3yS3cr3tDoNotLeak'
    const url = `http://127.0.0.1:${await freePort()}/v2/${secret}?apikey=${secret}`
    // A short retry budget: a refused connection is retried (it is transient on real networks).
    const config = configWithRpc({ cycle_retry_budget_ms: 1500, backoff_base_ms: 50 })
    const result = await runCli(['scan', '--mode', 'real', '--config', config, '--rpc', url, '--output-dir', dir], { timeoutMs: 60_000 })
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('INFRA_BLOCK_PIN_FAILED')
    const run = readRun(dir)
    const snapshot = v.parse(ScanSnapshot, run.snapshots[0])
    const truth = v.parse(TruthReport, run.truths[0])
    expect(snapshot.current_block).toBe(0)
    expect(snapshot.rejects.map((r) => r.code)).toEqual(['INFRA_BLOCK_PIN_FAILED'])
    expect(truth.health.gate_breakdown.infra).toBe(1)
    expect(truth.health.rpc.failed_requests).toBeGreaterThan(0)
    for (const text of [allText(dir), result.stderr, result.stdout]) expect(text).not.toContain(secret)
  })
})
