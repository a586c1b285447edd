import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { discoverPools } from '../../lib/chain/registry.ts'
import { loadConfig } from '../../lib/config/load.ts'
import type { Config } from '../../lib/config/resolve.ts'
import { buildLargeMarket, largeMarketConfig, largeTraffic, type LargeMarket } from '../../lib/devnet/largeMarket.ts'
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
})
