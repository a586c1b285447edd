import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { discoverPools } from '../../lib/chain/registry.ts'
import { loadConfig } from '../../lib/config/load.ts'
import { market } from '../../lib/devnet/market.ts'
import { loadSeedSpec } from '../../lib/devnet/seedSpec.ts'
import { DEVNET_GENESIS_NUMBER, startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { InputError } from '../../lib/errors.ts'
import { createRpcClient } from '../../lib/rpc/client.ts'
import { UniverseCache } from '../../lib/universe/cache.ts'
import { discoverCreated, poolsOfInterest } from '../../lib/universe/discover.ts'
import { runCli, tempDir } from '../helpers/cli.ts'
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.ts'

/** config/smoke.yaml lists every devnet venue (Algebra included). */
const config = loadConfig(new URL('../../config/smoke.yaml', import.meta.url).pathname)
const FROM = BigInt(DEVNET_GENESIS_NUMBER)

describe('universe discovery from the factories\' creation events', () => {
  let devnet: Devnet
  let proxy: FaultProxy
  beforeAll(async () => {
    // Seeded, not loaded: a loaded state keeps the accounts but not the blocks' logs.
    devnet = await startDevnet({ state: 'fresh' })
    // A provider that serves at most 16 blocks per eth_getLogs.
    proxy = await startFaultProxy({ upstream: devnet.url, maxLogRange: 16 })
  }, 60_000)
  afterAll(async () => {
    proxy?.stop()
    await devnet?.stop()
  })

  test('behavior: the pools found in creation events are exactly the registry\'s verified pools; pages adapt to a provider\'s range limit; a restart resumes from the cache; a new pool is one small read away', async () => {
    const { client, pool } = createRpcClient([proxy.url], config)
    const path = join(tempDir(), 'universe.sqlite')
    try {
      const head = await client.getBlockNumber()
      let cache = UniverseCache.open(path, 42_161)
      const first = await discoverCreated({ client, config, cache, toBlock: head, fromBlock: FROM, initialRange: 1_000n })
      cache.close()
      // The 1,000-block first page was refused (down to 16), then served: every page within the limit.
      expect(first.refusals).toBeGreaterThan(0)
      expect(proxy.log.filter((e) => e.method === 'eth_getLogs').length).toBe(first.requests)
      const registry = await discoverPools({ client, config, blockNumber: head })
      const expected = registry.pools.map((p) => [p.pair.name, p.venue.key, p.address.toLowerCase()]).sort()
      expect(poolsOfInterest(config, first.pools).map((p) => [p.pair, p.venue, p.address]).sort()).toEqual(expected)
      expect(expected.length).toBe(18)

      // A restart at the same head reads nothing: every factory's progress is in the cache.
      cache = UniverseCache.open(path, 42_161)
      const again = await discoverCreated({ client, config, cache, toBlock: head, fromBlock: FROM })
      expect([again.requests, poolsOfInterest(config, again.pools).length]).toEqual([0, 18])

      // A pool created later: one page per factory covers the new blocks, and it is there.
      const missing = registry.dropped.find((d) => d.code === 'POOL_NOT_FOUND' && d.dex !== 'algebra_integral')!
      const venue = missing.fee === null ? missing.dex : `${missing.dex}:${missing.fee}`
      const seeded = loadSeedSpec().pools.find((p) => p.pair === missing.pair)!
      await market(devnet.client, devnet.deployment).addLiquidity({ pair: missing.pair, venue, price: seeded.price, depth: seeded.depth })
      const later = await discoverCreated({ client, config, cache, toBlock: await client.getBlockNumber(), fromBlock: FROM })
      cache.close()
      const factories = new Set(config.venues.map((v) => v.factory.toLowerCase())).size
      expect(later.requests).toBe(factories)
      expect(poolsOfInterest(config, later.pools).filter((p) => p.pair === missing.pair && p.venue === venue).length).toBe(1)
    } finally {
      pool.close()
    }
  })

  test('error: a cache written for another chain, or another history of the same chain id, is refused (exit 2), never mixed', () => {
    const path = join(tempDir(), 'universe.sqlite')
    UniverseCache.open(path, 1).close()
    let error: unknown
    try {
      UniverseCache.open(path, 42_161)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InputError)
    expect([(error as InputError).code, (error as InputError).exitCode]).toEqual(['UNIVERSE_CACHE_OTHER_CHAIN', 2])
    // Same chain id, another history (a devnet beside mainnet, a fork): refused by the start block's hash.
    const cache = UniverseCache.open(path.replace('.sqlite', '-2.sqlite'), 42_161)
    cache.bindHistory(FROM, '0xaa')
    cache.bindHistory(FROM, '0xAA')
    expect(() => cache.bindHistory(FROM, '0xbb')).toThrow('another history')
    cache.close()
  })

  test('error: a failure that is not about the page size is not retried smaller: it reaches the caller', async () => {
    const dead = await startFaultProxy({ upstream: devnet.url, faultMethods: ['eth_getLogs'], rates: { rpc_error: 1 }, rpcErrorCode: -32602 })
    const { client, pool } = createRpcClient([dead.url], config)
    const cache = UniverseCache.open(':memory:', 42_161)
    try {
      let error: unknown
      await discoverCreated({ client, config, cache, toBlock: await client.getBlockNumber(), fromBlock: FROM }).catch((caught) => { error = caught })
      expect(String(error)).toContain('invalid params')
      expect(dead.log.filter((e) => e.method === 'eth_getLogs').length).toBe(1)
    } finally {
      cache.close()
      pool.close()
      dead.stop()
    }
  })
})

describe('arby universe', () => {
  test('behavior: --devnet lists the 18 pools of interest from creation events; a cache file from another devnet (another history) is refused, exit 2', async () => {
    const cache = join(tempDir(), 'universe.sqlite')
    const first = await runCli(['universe', '--devnet', '--cache', cache, '--json'])
    expect(first.exitCode).toBe(0)
    const result = JSON.parse(first.stdout) as { pools: { pair: string; venue: string }[]; requests: number; created: number }
    expect([result.pools.length, result.created]).toEqual([18, 18])
    expect(result.pools.filter((p) => p.venue === 'algebra_integral').map((p) => p.pair).sort()).toEqual(['ARB/WETH', 'WETH/USDC'])
    // A new devnet is seeded at other timestamps: same chain id, other block hashes.
    const again = await runCli(['universe', '--devnet', '--cache', cache])
    expect(again.exitCode).toBe(2)
    expect(again.stderr).toContain('another history')
    // Without --cache, a devnet's cache lives in memory: every run reads its whole (short) history.
    expect(JSON.parse((await runCli(['universe', '--devnet', '--json'])).stdout).pools.length).toBe(18)
  }, 60_000)

  test('error: a --from-block that is not a block number is bad input (exit 2), before any chain is touched', async () => {
    const result = await runCli(['universe', '--devnet', '--from-block', 'yesterday'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('FROM_BLOCK_INVALID')
  })
})
