import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { chainSource } from '../../lib/chain/chainSource.ts'
import { loadConfig } from '../../lib/config/load.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { HeadFeed } from '../../lib/rpc/heads.ts'
import { startFaultProxy } from '../helpers/faultProxy.ts'
import { market } from '../../lib/devnet/market.ts'
import type { SyncEngine } from '../../lib/sync/engine.ts'
import type { QuoteOk } from '../../lib/scan/types.ts'

const config = loadConfig(new URL('../../config/smoke.yaml', import.meta.url).pathname)

describe('new heads over WebSocket', () => {
  let devnet: Devnet
  beforeAll(async () => {
    devnet = await startDevnet()
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  test('behavior: a head announced on the socket wakes the waiter at once; without one it waits its safety interval', async () => {
    const warnings: string[] = []
    const feed = new HeadFeed(devnet.url.replace(/^http/, 'ws'), (message) => warnings.push(message))
    try {
      const head = await devnet.client.getBlockNumber()
      const signal = new AbortController().signal
      // Nothing new: the wait runs out its interval.
      let started = performance.now()
      expect(await feed.wait(head + 1000n, 300, signal)).toBe(false)
      expect(performance.now() - started).toBeGreaterThanOrEqual(290)
      // A block mined while waiting: announced and woken well before the 5 s interval.
      started = performance.now()
      const waiting = feed.wait(head, 5_000, signal)
      await Bun.sleep(50)
      await devnet.client.mine({ blocks: 1 })
      expect(await waiting).toBe(true)
      expect(performance.now() - started).toBeLessThan(2_000)
      expect(feed.announced).toBeGreaterThan(0)
      expect(warnings).toEqual([])
    } finally {
      await feed.close()
    }
  })

  test('behavior: a watch follower with heads_ws starts its next cycle on the announcement; its HTTP endpoint is polled about once a second, not every 20 ms', async () => {
    const proxy = await startFaultProxy({ upstream: devnet.url })
    const source = chainSource({ ...config, rpc: { ...config.rpc, heads_ws: devnet.url.replace(/^http/, 'ws') } }, [proxy.url])
    try {
      const head = Number(await devnet.client.getBlockNumber())
      const controller = new AbortController()
      const waiting = source.waitForNewBlock!(head, controller.signal).then(() => performance.now())
      await Bun.sleep(1_300)
      const mined = performance.now()
      await devnet.client.mine({ blocks: 1 })
      // Woken by the announcement right after the block, not at the next safety poll (~2 s).
      expect((await waiting) - mined).toBeLessThan(400)
      // The announcement is taken at its word: no HTTP poll between the block and the wake-up.
      expect(proxy.log.filter((e) => e.method === 'eth_blockNumber' && e.at > mined)).toEqual([])
      // Over ~1.3 s idle: the immediate look and about one safety poll, not 60 polls at 20 ms.
      expect(proxy.log.filter((e) => e.method === 'eth_blockNumber').length).toBeLessThanOrEqual(4)
    } finally {
      await source.close()
      proxy.stop()
    }
  })

  test('behavior: a synced follower with heads_ws spends one HTTP request per block: the block\'s logs, asked by its announced hash (no probe, no poll, no header); its quotes follow the swaps', async () => {
    const proxy = await startFaultProxy({ upstream: devnet.url })
    const source = chainSource({ ...config, rpc: { ...config.rpc, heads_ws: devnet.url.replace(/^http/, 'ws') } }, [proxy.url], 'local', { sync: true })
    const snapshot = await devnet.client.snapshot()
    try {
      const signal = new AbortController().signal
      let input = await source.readCycle(1)
      const spent: number[] = []
      const quoteOf = () => input.quotes.find((q) => q.request.venue.key === 'uniswap_v3:500' && q.request.pair.name === 'WETH/USDC' && q.request.side === 'sell' && q.ok) as QuoteOk
      const prices: string[] = [String(quoteOf().amountOut)]
      for (let cycle = 2; cycle <= 6; cycle++) {
        await market(devnet.client, devnet.deployment).swap({ venue: 'uniswap_v3:500', tokenIn: 'WETH', tokenOut: 'USDC', amountIn: 10n ** 17n })
        const [requests, logged] = [proxy.requests, proxy.log.length]
        await source.waitForNewBlock!(input.block, signal)
        input = await source.readCycle(cycle)
        expect(input.block).toBe(Number(await devnet.client.getBlockNumber()))
        spent.push(proxy.requests - requests)
        if (cycle === 6) expect(proxy.log.slice(logged).map((r) => [r.method, r.batch, 'blockHash' in JSON.parse(r.params)[0]])).toEqual([['eth_getLogs', 2, true], ['eth_getLogs', 2, true]])
        prices.push(String(quoteOf().amountOut))
      }
      // The first wait opens the socket and looks over HTTP once; every block after it: one request.
      expect(spent.slice(1)).toEqual([1, 1, 1, 1])
      // Each swap moved the pool, and the synced quotes saw it.
      expect(new Set(prices).size).toBe(6)
      await (source.engine as SyncEngine).verify(input.pools.length)
    } finally {
      await source.close()
      proxy.stop()
      await devnet.client.revert({ id: snapshot })
    }
  })

  test('behavior: a synced follower without heads_ws pins the head its poll just saw: after the wait, one HTTP request per block (the logs by range and the header, one batch)', async () => {
    const proxy = await startFaultProxy({ upstream: devnet.url })
    const source = chainSource(config, [proxy.url], 'local', { sync: true })
    const snapshot = await devnet.client.snapshot()
    try {
      const signal = new AbortController().signal
      let input = await source.readCycle(1)
      for (let cycle = 2; cycle <= 4; cycle++) {
        await market(devnet.client, devnet.deployment).swap({ venue: 'uniswap_v3:500', tokenIn: 'WETH', tokenOut: 'USDC', amountIn: 10n ** 17n })
        await source.waitForNewBlock!(input.block, signal)
        const [requests, logged] = [proxy.requests, proxy.log.length]
        input = await source.readCycle(cycle)
        expect(input.block).toBe(Number(await devnet.client.getBlockNumber()))
        expect(proxy.requests - requests).toBe(1)
        expect(proxy.log.slice(logged).map((r) => [r.method, r.batch])).toEqual([['eth_getLogs', 3], ['eth_getLogs', 3], ['eth_getBlockByNumber', 3]])
        // The health report names the head the cycle stood on.
        expect(input.rpc.endpoints[0]!.head).toBe(input.block)
      }
      await (source.engine as SyncEngine).verify(input.pools.length)
    } finally {
      await source.close()
      proxy.stop()
      await devnet.client.revert({ id: snapshot })
    }
  })
})
