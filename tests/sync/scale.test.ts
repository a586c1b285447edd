import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseAbi } from 'viem'
import { parse } from 'yaml'
import { discoverPools } from '../../lib/chain/registry.ts'
import { loadConfig } from '../../lib/config/load.ts'
import type { Config } from '../../lib/config/resolve.ts'
import { arbitrageMarket, buildLargeMarket, largeMarketConfig, largeTraffic, type LargeMarket } from '../../lib/devnet/largeMarket.ts'
import { CANONICAL } from '../../lib/devnet/addresses.ts'
import { currentSqrtPrice } from '../../lib/devnet/periphery.ts'
import { chainSource } from '../../lib/chain/chainSource.ts'
import { evaluateCycle } from '../../lib/scan/evaluate.ts'
import { priceDiffBps } from '../../lib/math/ratio.ts'
import { encodeSqrtPriceX96 } from '../../lib/math/sqrt.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { createRpcClient, type RpcClient } from '../../lib/rpc/client.ts'
import { RpcPool } from '../../lib/rpc/pool.ts'
import { SyncEngine } from '../../lib/sync/engine.ts'
import { tempDir } from '../helpers/cli.ts'
import { quotesAgree } from '../helpers/syncCheck.ts'
import { mulberry32 } from '../helpers/random.ts'

/** CI: 20 tokens × 10 venues (200 pools), 20 blocks; ARBY_SCALE_TOKENS / ARBY_SCALE_BLOCKS for the long proof. */
const TOKENS = Number(process.env.ARBY_SCALE_TOKENS ?? 20)
const BLOCKS = Number(process.env.ARBY_SCALE_BLOCKS ?? 20)

describe('the market state engine on a large market', () => {
  let devnet: Devnet
  let market: LargeMarket
  let config: Config
  let client: RpcClient
  let pool: RpcPool
  beforeAll(async () => {
    devnet = await startDevnet({ state: 'fresh' === process.env.ARBY_SYNC_FRESH ? 'fresh' : 'auto' })
    market = await buildLargeMarket(devnet.client, devnet.deployment, { tokens: TOKENS })
    const path = join(tempDir(), 'large.yaml')
    writeFileSync(path, largeMarketConfig(parse(readFileSync(new URL('../../config/smoke.yaml', import.meta.url).pathname, 'utf8')), market))
    config = loadConfig(path)
    ;({ client, pool } = createRpcClient([devnet.url], config))
  }, 300_000)
  afterAll(async () => {
    pool?.close()
    await devnet?.stop()
  })

  test(`behavior: ${TOKENS * 10} pools built through the real factories (every venue kind, bands of ticks); after ${BLOCKS} blocks of swaps, mints and burns on ~5% of them, every pool's synced state equals a fresh read and every local quote equals the quoters, 0 wei`, async () => {
    const head = await client.getBlockNumber()
    const { pools, dropped } = await discoverPools({ client, config, blockNumber: head })
    expect(dropped.filter((d) => d.pair !== 'WETH/USDC')).toEqual([])
    expect(pools.filter((p) => p.pair.name !== 'WETH/USDC').map((p) => p.address.toLowerCase()).sort()).toEqual(market.pools.map((p) => p.address.toLowerCase()).sort())
    const engine = new SyncEngine({ client, config })
    await engine.start(pools, head)
    const random = mulberry32(5)
    const done = { pools: 0, swaps: 0, mints: 0, burns: 0 }
    for (let i = 0; i < BLOCKS; i++) {
      const block = await largeTraffic(devnet.client, devnet.deployment, market, random)
      for (const key of Object.keys(done) as (keyof typeof done)[]) done[key] += block[key]
      await engine.advance(await client.getBlockNumber())
    }
    expect(done.pools).toBeGreaterThan(BLOCKS * TOKENS * 10 * 0.02)
    expect([done.swaps, done.mints, done.burns].every((n) => n > 0)).toBe(true)
    expect(engine.stats.touched).toBeGreaterThan(0)
    await engine.verify(pools.length)
    expect(await quotesAgree(client, config, engine)).toBe(pools.length * 6)
  }, 600_000)

  test('behavior: arbitrageurs bring every pool to its token\'s market price (a concentrated pool exactly, a V2 pair to its rounding), where no route grosses anything; arbitraged traffic (swaps stopped at a price limit inside a range) keeps the synced state exact', async () => {
    await arbitrageMarket(devnet.client, devnet.deployment, market)
    for (const pool of market.pools) {
      const tokenFirst = BigInt(pool.token.address) < BigInt(CANONICAL.WETH)
      const [num, den] = tokenFirst ? [pool.token.priceWei, WAD] : [WAD, pool.token.priceWei]
      if (pool.venue === 'uniswap_v2') {
        const [reserve0, reserve1] = await devnet.client.readContract({ address: pool.address, abi: reservesAbi, functionName: 'getReserves' })
        expect(Math.abs(priceDiffBps(reserve1, reserve0, num, den))).toBeLessThan(0.01)
      } else expect(await currentSqrtPrice(devnet.client, pool.address, pool.venue)).toBe(encodeSqrtPriceX96(num, den))
    }
    const source = chainSource(config, [devnet.url], 'local', { sync: true })
    try {
      // The seed's WETH/USDC pools are not the market's: their gaps stay.
      const settled = evaluateCycle(await source.readCycle(1), config)
      const spreads = settled.spreads.filter((spread) => spread.pair.name !== 'WETH/USDC')
      expect(spreads.length).toBeGreaterThan(TOKENS * 200)
      expect(spreads.filter((spread) => spread.gross > 0n)).toEqual([])
      const random = mulberry32(7)
      const done = { pools: 0, arbitrages: 0 }
      for (let i = 0; i < 10; i++) {
        const block = await largeTraffic(devnet.client, devnet.deployment, market, random, { arbitraged: 0.5 })
        done.pools += block.pools
        done.arbitrages += block.arbitrages
        await source.readCycle(2 + i)
      }
      // A pool chosen for arbitrage that is already at its price takes other traffic: ~5% touched still.
      expect(done.pools).toBeGreaterThan(10 * TOKENS * 10 * 0.02)
      expect(done.arbitrages).toBeGreaterThan(0)
    } finally {
      await source.close()
    }
    const engine = new SyncEngine({ client, config })
    const head = await client.getBlockNumber()
    const { pools } = await discoverPools({ client, config, blockNumber: head })
    await engine.start(pools, head)
    for (let i = 0; i < 5; i++) {
      await largeTraffic(devnet.client, devnet.deployment, market, mulberry32(100 + i), { share: 0.2, arbitraged: 1 })
      await engine.advance(await client.getBlockNumber())
    }
    await engine.verify(pools.length)
    expect(await quotesAgree(client, config, engine)).toBe(pools.length * 6)
  }, 600_000)
})

const WAD = 10n ** 18n
const reservesAbi = parseAbi(['function getReserves() view returns (uint112, uint112, uint32)'])
