import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodeFunctionData, erc20Abi, getAddress, type Address } from 'viem'
import { parse, stringify } from 'yaml'
import { readTokenInfo } from '../../lib/chain/tokenInfo.ts'
import { loadConfig } from '../../lib/config/load.ts'
import { CANONICAL } from '../../lib/devnet/addresses.ts'
import { OPERATOR, send } from '../../lib/devnet/chain.ts'
import { buildLargeMarket, type LargeMarket } from '../../lib/devnet/largeMarket.ts'
import { DEVNET_GENESIS_NUMBER, startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { createRpcClient } from '../../lib/rpc/client.ts'
import { scanJob } from '../../lib/scan/scanJob.ts'
import { pairsOfUniverse, widenMidRun } from '../../lib/universe/scanPairs.ts'
import { chainSource } from '../../lib/chain/chainSource.ts'
import { readCreated } from '../../lib/universe/job.ts'
import { nameTokens, pairsOfCreated } from '../../lib/universe/pairs.ts'
import { runCli, tempDir } from '../helpers/cli.ts'

/**
 * config/smoke.yaml with no pairs and `universe.pairs: all`: its tokens carry the sizes of the
 * pairs it lists (as bases), their least profits and a liquidity floor (as quotes).
 */
function allConfig(floors: Record<string, string> = {}): string {
  const file = parse(readFileSync('config/smoke.yaml', 'utf8'))
  for (const pair of file.pairs) {
    file.tokens[pair.base].sizes = pair.sizes
    file.tokens[pair.quote].min_net_profit = pair.min_net_profit
    file.tokens[pair.quote].min_liquidity = floors[pair.quote] ?? '1'
  }
  const path = join(tempDir(), 'all.yaml')
  writeFileSync(path, stringify({ ...file, pairs: [], universe: { pairs: 'all', cache: ':memory:', from_block: DEVNET_GENESIS_NUMBER } }))
  return path
}

/** allConfig with `universe.pairs: tokens` and `L1` (at `address`) listed with sizes. */
function tokensConfig(address: string, floors: Record<string, string> = {}) {
  const file = parse(readFileSync(allConfig(floors), 'utf8'))
  file.tokens.L1 = { address, decimals: 18, sizes: ['1', '10'] }
  file.universe.pairs = 'tokens'
  const path = join(tempDir(), 'tokens.yaml')
  writeFileSync(path, stringify(file))
  return loadConfig(path)
}

/** A synced chain source that widens its pairs mid-run as a watch does. */
function syncedSource(config: ReturnType<typeof loadConfig>, url: string) {
  const source = chainSource(config, [url], 'local', { sync: true, widen: widenMidRun(config, false, () => source.client) })
  return source
}

describe('universe: every pool the factories created', () => {
  test('behavior: tokens not listed are named by their symbol, never by a listed one (any case) nor twice; without readable decimals they are left out', () => {
    const [a, b, c, d, e] = ['0xaa', '0xbb', '0xcc', '0xdd', '0xee'].map((prefix) => getAddress(`${prefix}${'0'.repeat(38)}`)) as [Address, Address, Address, Address, Address]
    const reads = new Map([[a, { decimals: 18, symbol: 'usdc' }], [b, { decimals: 6, symbol: 'L-1 x/|' }], [c, null], [d, { decimals: 8, symbol: 'l1X' }], [e, { decimals: 0, symbol: null }]])
    const named = nameTokens([a, b, c, d, e].map((x) => x.toLowerCase()), reads, ['WETH', 'USDC'])
    expect([...named.values()].map((t) => [t.symbol, t.decimals, t.usd, t.discovered])).toEqual([
      [`T${a.slice(2, 12).toLowerCase()}`, 18, false, true],
      ['L1x', 6, false, true],
      [`T${d.slice(2, 12).toLowerCase()}`, 8, false, true],
      [`T${e.slice(2, 12).toLowerCase()}`, 0, false, true],
    ])
  })

  test('behavior: arby universe --devnet with universe.pairs: all lists the pairs a scan would add (the seeded ones) and their pools, as JSON', async () => {
    const { exitCode, stdout } = await runCli(['universe', '--devnet', '--config', allConfig(), '--json'])
    expect(exitCode).toBe(0)
    const result = JSON.parse(stdout)
    const listed = loadConfig('config/smoke.yaml')
    expect(result.discovered.pairs.map((p: { pair: string }) => p.pair).sort()).toEqual(listed.pairs.map((p) => p.name).sort())
    for (const pair of result.discovered.pairs) {
      expect(pair.tokens_not_listed).toEqual([])
      expect(result.pools.filter((p: { pair: string }) => p.pair === pair.pair).length).toBeGreaterThanOrEqual(2)
    }
  }, 60_000)

  describe('on a devnet with two tokens the config does not list', () => {
    let devnet: Devnet
    let market: LargeMarket
    beforeAll(async () => {
      // Seeded, not loaded: the seeded pools' creation events are in its logs.
      devnet = await startDevnet({ state: 'fresh' })
      market = await buildLargeMarket(devnet.client, devnet.deployment, { tokens: 2 })
    }, 120_000)
    afterAll(async () => {
      await devnet?.stop()
    })

    test('behavior: a token answers its decimals and symbol; an address without code has no decimals', async () => {
      const config = loadConfig(allConfig())
      const { client, pool } = createRpcClient([devnet.url], config)
      try {
        const eoa = getAddress(`0x${'12'.repeat(20)}`)
        const info = await readTokenInfo(client, config, [CANONICAL.WETH as Address, market.tokens[0]!.address, eoa], await client.getBlockNumber())
        expect(info.get(CANONICAL.WETH as Address)).toEqual({ decimals: 18, symbol: 'WETH' })
        expect(info.get(market.tokens[0]!.address)).toEqual({ decimals: 18, symbol: 'L1' })
        expect(info.get(eoa)).toBeNull()
      } finally {
        pool.close()
      }
    })

    test('behavior: the scan finds the seeded pairs and the unlisted tokens\' pairs from creation events, reads their decimals, sizes them by depth and quotes them', async () => {
      const listed = loadConfig('config/smoke.yaml')
      const run = await scanJob({ mode: 'real', rpc: [devnet.url], execution: 'off', configPath: allConfig(), cycles: 1, outputDir: tempDir() })
      const names = run.config.pairs.map((p) => p.name)
      for (const pair of listed.pairs) expect(names).toContain(pair.name)
      expect(names).toContain('L1/WETH')
      expect(names).toContain('L2/WETH')
      const snapshot = run.outcomes[0]!.artifacts.snapshot
      for (const token of market.tokens) {
        const pair = run.config.pairs.find((p) => p.name === `${token.symbol}/WETH`)!
        expect([pair.base.address, pair.base.decimals, pair.base.discovered, run.config.tokens.get(token.symbol)]).toEqual([getAddress(token.address), 18, true, pair.base])
        // Six enabled venues (V3 at 0.05 and 0.3% on two DEXes, V2, Algebra); sizes from the deepest.
        const pools = snapshot.registry.pools.filter((p) => p.pair === pair.name)
        expect(pools.length).toBe(6)
        const deepest = pools.reduce((x, y) => (BigInt(y.base_balance) > BigInt(x.base_balance) ? y : x))
        expect(pair.anchor).toBe(deepest.venue)
        expect(pair.sizes).toEqual([10n, 100n, 1000n].map((bps) => (BigInt(deepest.base_balance) * bps) / 10_000n))
        const quotes = snapshot.quotes.filter((q) => q.pair === pair.name)
        expect(quotes.length).toBe(6 * 3 * 2)
        expect(quotes.filter((q) => q.status === 'ok').length).toBeGreaterThan(0)
      }
    }, 60_000)

    test('behavior: a pair whose pools hold less than its quote token\'s floor is left out and named; a quote token without a floor is named', async () => {
      const config = loadConfig(allConfig({ WETH: '1000000' }))
      const { client, pool } = createRpcClient([devnet.url], config)
      try {
        const head = await client.getBlockNumber()
        const created = await readCreated(client, config, { path: ':memory:', start: BigInt(DEVNET_GENESIS_NUMBER), head, everyToken: true })
        const found = await pairsOfCreated(client, config, head, created.pools)
        const names = found.pairs.map((p) => p.name)
        expect(names).not.toContain('L1/WETH')
        expect(names).toContain('WETH/USDC')
        expect(found.skipped).toContain('L1/WETH (0 of its 6 pools hold WETH\'s min_liquidity)')
        // Nothing kept trades them: the tokens not listed are not added.
        expect(found.tokens).toEqual([])

        const noFloor = loadConfig(allConfig())
        noFloor.tokens.get('WETH')!.minLiquidity = null
        const unfloored = await pairsOfCreated(client, noFloor, head, created.pools)
        expect(unfloored.pairs.map((p) => p.name)).not.toContain('L2/WETH')
        expect(unfloored.skipped.some((s) => /pair\(s\) quoted in WETH \(tokens\.WETH\.min_liquidity not set\)/.test(s))).toBe(true)
      } finally {
        pool.close()
      }
    }, 60_000)
  })

  test('behavior: a synced run adds a pair whose pools the factories create mid-run (two venues, above the floor), reads its new token and the universe again, and quotes it; its state is the chain\'s', async () => {
    const chain = await startDevnet({ state: 'fresh' })
    const config = loadConfig(allConfig())
    const source = syncedSource(config, chain.url)
    try {
      await pairsOfUniverse(source.client, config, false)
      const before = config.pairs.map((p) => p.name)
      const first = await source.readCycle(1)
      expect(first.quotes.some((q) => q.request.pair.name.startsWith('L1/'))).toBe(false)
      const market = await buildLargeMarket(chain.client, chain.deployment, { tokens: 1 })
      const next = await source.readCycle(2)
      expect(next.block).toBeGreaterThan(first.block)
      expect(config.pairs.map((p) => p.name)).toEqual([...before, 'L1/WETH'])
      expect(config.tokens.get('L1')).toMatchObject({ address: getAddress(market.tokens[0]!.address), decimals: 18, discovered: true })
      const quotes = next.quotes.filter((q) => q.request.pair.name === 'L1/WETH')
      expect(quotes.length).toBe(6 * 3 * 2)
      expect(quotes.filter((q) => q.ok && q.quoter === 'local').length).toBeGreaterThan(0)
      await source.engine!.verify(next.pools.length)
      expect(source.engine!.createdElsewhere).toEqual([])
    } finally {
      await source.close()
      await chain.stop()
    }
  }, 120_000)

  test('behavior: universe.pairs tokens: a pool the factories create mid-run between two listed tokens makes them a pair at the next cycle (no re-read due), quoted locally; its state is the chain\'s', async () => {
    const chain = await startDevnet({ state: 'fresh' })
    // The token's address, known before it exists: the same builds on the same chain deploy at the same addresses.
    const before = await chain.client.snapshot()
    const planned = await buildLargeMarket(chain.client, chain.deployment, { tokens: 1 })
    await chain.client.revert({ id: before })
    const config = tokensConfig(planned.tokens[0]!.address)
    const source = syncedSource(config, chain.url)
    try {
      await pairsOfUniverse(source.client, config, false)
      expect(config.pairs.map((p) => p.name)).not.toContain('L1/WETH')
      await source.readCycle(1)
      const market = await buildLargeMarket(chain.client, chain.deployment, { tokens: 1 })
      expect(market.tokens[0]!.address).toBe(planned.tokens[0]!.address)
      const next = await source.readCycle(2)
      expect(config.pairs.map((p) => p.name)).toContain('L1/WETH')
      expect(next.quotes.filter((q) => q.request.pair.name === 'L1/WETH' && q.ok && q.quoter === 'local').length).toBeGreaterThan(0)
      await source.engine!.verify(next.pools.length)
    } finally {
      await source.close()
      await chain.stop()
    }
  }, 120_000)

  test('behavior: a pair left out at the start for its floor joins a synced run at its next full re-read once two of its pools hold the floor (universe.pairs all and tokens); its state is the chain\'s', async () => {
    const chain = await startDevnet({ state: 'fresh' })
    const market = await buildLargeMarket(chain.client, chain.deployment, { tokens: 1 })
    const weth = getAddress(CANONICAL.WETH)
    // Concentrated pools of fee tiers the config scans (a V2 pair's depth is its reserves: a transfer alone would not move them).
    const l1Pools = market.pools.filter((p) => p.pair === 'L1/WETH' && ['uniswap_v3:500', 'uniswap_v3:3000'].includes(p.venue))
    expect(l1Pools.length).toBe(2)
    const held = await Promise.all(market.pools.filter((p) => p.pair === 'L1/WETH').map((p) => chain.client.readContract({ address: weth, abi: erc20Abi, functionName: 'balanceOf', args: [p.address] })))
    // A WETH floor above what any L1 pool holds (whole WETH).
    const floor = held.reduce((a, b) => (b > a ? b : a)) / 10n ** 18n + 1n
    const all = loadConfig(allConfig({ WETH: String(floor) }))
    const listed = tokensConfig(market.tokens[0]!.address, { WETH: String(floor) })
    const sources = [all, listed].map((config) => {
      config.quoting.rediscover_every = 3
      return { config, source: syncedSource(config, chain.url) }
    })
    try {
      for (const { config, source } of sources) {
        await pairsOfUniverse(source.client, config, false)
        expect(config.pairs.map((p) => p.name)).not.toContain('L1/WETH')
        expect((await source.readCycle(1)).quotes.some((q) => q.request.pair.name === 'L1/WETH')).toBe(false)
      }
      // Two pools are given the floor (a transfer: no event the sync engine follows, so only a re-read sees it).
      for (const pool of l1Pools) {
        await send(chain.client, 'donate WETH', { from: OPERATOR, to: weth, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [pool.address, floor * 10n ** 18n] }) })
      }
      // Not yet due: the pair waits for the full re-read.
      for (const { config, source } of sources) {
        await source.readCycle(2)
        expect(config.pairs.map((p) => p.name)).not.toContain('L1/WETH')
      }
      await chain.client.mine({ blocks: 3 })
      for (const { config, source } of sources) {
        const next = await source.readCycle(3)
        expect(config.pairs.map((p) => p.name)).toContain('L1/WETH')
        const quotes = next.quotes.filter((q) => q.request.pair.name === 'L1/WETH')
        expect(quotes.filter((q) => q.ok && q.quoter === 'local').length).toBeGreaterThan(0)
        await source.engine!.verify(next.pools.length)
      }
    } finally {
      for (const { source } of sources) await source.close()
      await chain.stop()
    }
  }, 120_000)
})
