import { describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { loadConfig } from '../../lib/config/load.ts'
import { scanJob } from '../../lib/scan/scanJob.ts'
import { candidatePairs } from '../../lib/universe/pairs.ts'
import { readRun, runCli, tempDir } from '../helpers/cli.ts'

/**
 * config/smoke.yaml (every devnet venue) with no pairs: its tokens carry the sizes of the pairs
 * it lists (as bases) and their least profits (as quotes), and the universe is every pair of them.
 */
function tokensConfig(extra: Record<string, unknown> = {}): string {
  const file = parse(readFileSync('config/smoke.yaml', 'utf8'))
  for (const pair of file.pairs) {
    file.tokens[pair.base].sizes = pair.sizes
    file.tokens[pair.quote].min_net_profit = pair.min_net_profit
  }
  const path = join(tempDir(), 'tokens.yaml')
  writeFileSync(path, stringify({ ...file, pairs: [], universe: { pairs: 'tokens' }, ...extra }))
  return path
}

describe('universe: every pair among the tokens of interest', () => {
  test('behavior: candidates are every two tokens, quoted by a USD stablecoin, then WETH; a base without sizes is named, not guessed', () => {
    const config = loadConfig(tokensConfig())
    const { pairs, skipped } = candidatePairs(config)
    // 5 tokens: 10 pairs; USDC/USDT and the pairs whose base (USDC, USDT) has no sizes are skipped.
    expect(pairs.map((p) => p.name).sort()).toEqual(['ARB/USDC', 'ARB/USDT', 'ARB/WETH', 'ARB/WBTC', 'WBTC/USDC', 'WBTC/USDT', 'WBTC/WETH', 'WETH/USDC', 'WETH/USDT'].sort())
    expect(skipped).toEqual(['USDT/USDC (tokens.USDT.sizes not set)'])
    const wethUsdc = pairs.find((p) => p.name === 'WETH/USDC')!
    expect([wethUsdc.sizes, wethUsdc.minNetProfit]).toEqual([[10n ** 17n, 10n ** 18n, 10n ** 19n], 500_000n])
    // Listed first, WBTC quotes ARB (above); named in quote_order, it quotes WETH too.
    const ordered = loadConfig(tokensConfig({ universe: { pairs: 'tokens', quote_order: ['WBTC'] } }))
    expect(candidatePairs(ordered).pairs.map((p) => p.name)).toContain('WETH/WBTC')
  })

  test('behavior: on the devnet the scan finds exactly the seeded pairs (two venues or more), each anchored at its deepest pool, and quotes them as the configured list does', async () => {
    const found = await scanJob({ mode: 'real', devnet: true, execution: 'off', configPath: tokensConfig(), cycles: 1, outputDir: tempDir() })
    const listed = await scanJob({ mode: 'real', devnet: true, execution: 'off', configPath: 'config/smoke.yaml', cycles: 1, outputDir: tempDir() })
    expect(found.config.pairs.map((p) => p.name).sort()).toEqual(listed.config.pairs.map((p) => p.name).sort())
    for (const pair of found.config.pairs) expect(pair.sizes).toEqual(listed.config.pairs.find((p) => p.name === pair.name)!.sizes)
    const [a, b] = [found.outcomes[0]!.artifacts.snapshot, listed.outcomes[0]!.artifacts.snapshot]
    const pools = (s: typeof a) => s.registry.pools.map((p) => `${p.pair} ${p.venue} ${p.address}`).sort()
    expect(pools(a)).toEqual(pools(b))
    expect(a.stats.quotes_total).toBe(b.stats.quotes_total)
    // The anchor: the pool holding the most base tokens.
    for (const pair of found.config.pairs) {
      const mine = a.registry.pools.filter((p) => p.pair === pair.name)
      const deepest = mine.reduce((x, y) => (BigInt(y.base_balance) > BigInt(x.base_balance) ? y : x))
      expect(pair.anchor).toBe(deepest.venue)
    }
    expect(readRun(found.outputDir).log[0]!.data.pairs).toEqual(found.config.pairs.map((p) => p.name))
  }, 60_000)

  test('behavior: arby universe with universe.pairs: tokens lists the pairs the scan would trade, each with its anchor and sizes', async () => {
    const { exitCode, stdout } = await runCli(['universe', '--devnet', '--config', tokensConfig(), '--json'])
    expect(exitCode).toBe(0)
    const result = JSON.parse(stdout)
    const listed = loadConfig('config/smoke.yaml')
    expect(result.universe).toBe('tokens')
    expect(result.discovered.pairs.map((p: { pair: string }) => p.pair).sort()).toEqual(listed.pairs.map((p) => p.name).sort())
    for (const pair of listed.pairs) {
      const found = result.discovered.pairs.find((p: { pair: string }) => p.pair === pair.name)
      expect(found.sizes).toEqual(pair.sizes.map(String))
    }
    expect(result.discovered.skipped).toEqual(['USDT/USDC (tokens.USDT.sizes not set)'])
  }, 60_000)

  test('error: no two tokens with pools on two venues: UNIVERSE_EMPTY (exit 2), with a command to look', async () => {
    const file = parse(readFileSync(tokensConfig(), 'utf8'))
    // Only WETH and a token no venue has a pool for.
    file.tokens = { WETH: file.tokens.WETH, NONE: { address: '0x0000000000000000000000000000000000000001', decimals: 18, sizes: ['1'] } }
    const path = join(tempDir(), 'none.yaml')
    writeFileSync(path, stringify(file))
    let error: unknown
    await scanJob({ mode: 'real', devnet: true, execution: 'off', configPath: path, cycles: 1, outputDir: tempDir() }).catch((caught) => { error = caught })
    const e = error as { code: string; message: string; hint: string; exitCode: number }
    expect([e.code, e.exitCode]).toEqual(['UNIVERSE_EMPTY', 2])
    expect(e.hint).toContain('arby universe')
  }, 60_000)
})
