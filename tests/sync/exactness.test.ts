import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { discoverPools } from '../../lib/chain/registry.ts'
import { fetchQuotes, type QuoteMemo } from '../../lib/chain/quotes.ts'
import { evaluateCycle, evaluationMemo } from '../../lib/scan/evaluate.ts'
import type { CycleInput } from '../../lib/scan/types.ts'
import { chainSource } from '../../lib/chain/chainSource.ts'
import { market } from '../../lib/devnet/market.ts'
import { loadSeedSpec } from '../../lib/devnet/seedSpec.ts'
import { loadConfig } from '../../lib/config/load.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { createRpcClient, type RpcClient } from '../../lib/rpc/client.ts'
import { RpcPool } from '../../lib/rpc/pool.ts'
import { diffState, SyncEngine, StateDivergence } from '../../lib/sync/engine.ts'
import { readV3Full } from '../../lib/state/v3Lens.ts'
import { readV3States } from '../../lib/state/v3State.ts'
import { optimalSizes, type SizingMemo } from '../../lib/sizing/optimalSizes.ts'
import { mulberry32 } from '../helpers/random.ts'
import { randomAction } from '../helpers/traffic.ts'
import { quotesAgree as checkQuotes } from '../helpers/syncCheck.ts'
import { startFaultProxy } from '../helpers/faultProxy.ts'
import { captureLog } from '../helpers/logs.ts'
import type { Header } from '../../lib/rpc/heads.ts'
import type { AlgebraPoolState } from '../../lib/state/algebraState.ts'
import { enumerable } from '../helpers/traffic.ts'
import { OPERATOR } from '../../lib/devnet/chain.ts'
import type { Block } from 'viem'

const headerOf = (block: Block): Header => ({ number: block.number!, hash: block.hash!, parentHash: block.parentHash, timestamp: block.timestamp, baseFeePerGas: block.baseFeePerGas ?? null })

/** config/smoke.yaml lists every devnet venue (Algebra included). */
const config = loadConfig(new URL('../../config/smoke.yaml', import.meta.url).pathname)
/** CI runs a short sample; ARBY_SYNC_BLOCKS=1000 (or more) the long proof. */
const BLOCKS = Number(process.env.ARBY_SYNC_BLOCKS ?? 40)

describe('the market state engine against the chain', () => {
  let devnet: Devnet
  let client: RpcClient
  let pool: RpcPool
  beforeAll(async () => {
    devnet = await startDevnet({ state: 'fresh' === process.env.ARBY_SYNC_FRESH ? 'fresh' : 'auto' })
    ;({ client, pool } = createRpcClient([devnet.url], config))
  })
  afterAll(async () => {
    pool?.close()
    await devnet?.stop()
  })

  const quotesAgree = (engine: SyncEngine) => checkQuotes(client, config, engine)

  test('behavior: the RPC client never answers the head from a cache: a block mined now is the head read now', async () => {
    const before = await client.getBlockNumber()
    await devnet.client.mine({ blocks: 1 })
    expect(await client.getBlockNumber()).toBe(before + 1n)
  })

  test('behavior: the storage lens (code placed at each pool by state override) reads exactly what the pools\' own getters return: price, tick, liquidity, every bitmap word and tick', async () => {
    const head = await client.getBlockNumber()
    const { pools } = await discoverPools({ client, config, blockNumber: head })
    const heads = pools.flatMap((p) => (p.v3 ? [p.v3] : []))
    expect(heads.length).toBeGreaterThanOrEqual(8)
    const [lens, getters] = await Promise.all([
      readV3Full({ client, multicall3: config.multicall3, heads, blockNumber: head }),
      readV3States({ client, multicall3: config.multicall3, pools: heads.map((h) => h.address), blockNumber: head, wordRadius: 'all' }),
    ])
    let ticks = 0
    for (const { address } of heads) {
      const [a, b] = [lens.get(address)!, getters.get(address)!]
      expect(diffState(address, { kind: 'v3', ...a }, { kind: 'v3', ...b })).toEqual([])
      expect([a.fee, a.tickSpacing, a.bitmap.minWord, a.bitmap.maxWord]).toEqual([b.fee, b.tickSpacing, b.bitmap.minWord, b.bitmap.maxWord])
      ticks += a.liquidityNet.size
    }
    // The seeded pools hold full-range positions and bands: ticks on both sides of the price.
    expect(ticks).toBeGreaterThanOrEqual(2 * heads.length)
  })

  test(`behavior: ${BLOCKS} blocks of random swaps, mints and burns: every pool's synced state equals a fresh read, and local quotes equal the quoters, 0 wei`, async () => {
    const random = mulberry32(Number(process.env.ARBY_SYNC_SEED ?? 5))
    const head = await client.getBlockNumber()
    const { pools } = await discoverPools({ client, config, blockNumber: head })
    // Half the blocks come with their headers already known (as a head subscription announces
    // them), their logs then asked by block hash; the rounds go out as JSON-RPC batches.
    const announced = new Map<bigint, Header>()
    const engine = new SyncEngine({ client, config, requestAll: (requests) => pool.requestAll(requests), headers: (block) => announced.get(block) })
    await engine.start(pools, head)
    const kinds: Record<string, number> = {}
    let checks = 0
    const memo: SizingMemo = { pairs: new Map(), counts: { searched: 0, routes: 0 } }
    const quoteMemo: QuoteMemo = new WeakMap()
    const candidateMemo = evaluationMemo()
    let verdicts = 0
    const start = engine.block
    while (engine.block < start + BLOCKS) {
      // Several blocks between syncs at times: the engine reads a range in one round.
      const steps = 1 + Math.floor(random() * 3)
      for (let i = 0; i < steps; i++) {
        const action = await randomAction(devnet, random)
        kinds[action.kind] = (kinds[action.kind] ?? 0) + 1
      }
      const to = await client.getBlockNumber()
      if (random() < 0.5) for (let block = BigInt(engine.block) + 1n; block <= to; block++) announced.set(block, headerOf(await devnet.client.getBlock({ blockNumber: block })))
      await engine.advance(to)
      // Sizing kept across blocks (only routes through touched pools searched again) = sizing from scratch.
      const remembered = optimalSizes(config, engine.registered(), engine.localStates(), memo)
      expect(remembered).toEqual(optimalSizes(config, engine.registered(), engine.localStates()))
      // Local quotes kept for untouched pools = every quote computed again.
      const block = BigInt(engine.block)
      const kept = await fetchQuotes(client, config, engine.registered(), block, { quoter: 'local', states: engine.localStates(), memo: quoteMemo })
      expect(kept).toEqual(await fetchQuotes(client, config, engine.registered(), block, { quoter: 'local', states: engine.localStates() }))
      // Verdicts kept for candidates whose legs and figures did not change = every verdict reached again.
      const input: CycleInput = {
        runMode: 'REGISTRY_REAL', quoteSource: 'onchain', quoter: 'local', synthetic: false, cycle: 1, chainId: 42161, block: engine.block, pinError: null,
        blockTimestamp: Number(engine.header.timestamp), gasPriceWei: engine.header.baseFeePerGas, pools: engine.registeredRecords(), dropped: [],
        quotes: kept, sizings: remembered, rpc: { requests: 0 } as never,
      }
      const { valuation: _a, ...withMemo } = evaluateCycle(input, config, candidateMemo)
      const { valuation: _b, ...fresh } = evaluateCycle(input, config)
      expect(withMemo).toEqual(fresh)
      verdicts += withMemo.opportunities.length + withMemo.rejects.length
      if (random() < 0.25) {
        await engine.verify(pools.length)
        await quotesAgree(engine)
        // The registry figures the cycle reports (balances, liquidity, fee), kept per pool version = a fresh registry read.
        const fresh = await discoverPools({ client, config, blockNumber: BigInt(engine.block) })
        expect(engine.registeredRecords()).toEqual(fresh.pools.map((p) => p.record))
        checks++
      }
    }
    await engine.verify(pools.length)
    expect(await quotesAgree(engine)).toBe(108)
    expect(kinds.swap! > 0 && kinds.mint! > 0 && kinds.burn! > 0).toBe(true)
    expect(checks).toBeGreaterThan(0)
    // Most routes keep their sizing from one block to the next; those through touched pools are searched again.
    const { searched, routes } = memo.counts!
    expect(searched).toBeGreaterThan(0)
    expect(searched).toBeLessThan(routes / 2)
    expect(verdicts).toBeGreaterThan(BLOCKS * 50)
    // Steady state: one round of requests per advance (headers and logs together), plus Algebra re-reads when touched.
    expect(engine.stats.reorgs).toBe(0)
    // Algebra swaps, mints and burns were applied from their events (never re-read).
    expect(engine.stats.algebraSwaps).toBeGreaterThan(0)
    expect(engine.stats.rereads).toBe(0)
  }, 600_000)

  test('behavior: a block costs one round of short requests whatever the universe: its header (first and last of a range), the Algebra pools\' and factories\' logs, and every pool event and transfer by topic (no V2/V3 pool listed); a swap there still lands', async () => {
    const proxy = await startFaultProxy({ upstream: devnet.url })
    const { client: proxied, pool: proxiedPool } = createRpcClient([proxy.url], config)
    const snapshot = await devnet.client.snapshot()
    try {
      const head = await proxied.getBlockNumber()
      const { pools } = await discoverPools({ client: proxied, config, blockNumber: head })
      const engine = new SyncEngine({ client: proxied, config })
      await engine.start(pools, head)
      const v3 = pools.find((p) => p.venue.key === 'uniswap_v3:500' && p.pair.name === 'WETH/USDC')!
      await market(devnet.client, devnet.deployment).swap({ venue: 'uniswap_v3:500', tokenIn: 'WETH', tokenOut: 'USDC', amountIn: 10n ** 17n })
      const next = await proxied.getBlockNumber()
      const before = proxy.log.length
      const touched = await engine.advance(next)
      const round = proxy.log.slice(before)
      // Headers of the first and last new block (the swap may have taken more than one), two log queries.
      expect(round.filter((r) => r.method === 'eth_getLogs')).toHaveLength(2)
      expect(round.filter((r) => r.method !== 'eth_getLogs').map((r) => r.method)).toEqual(round.length === 3 ? ['eth_getBlockByNumber'] : ['eth_getBlockByNumber', 'eth_getBlockByNumber'])
      const listed = round.map((r) => r.params.toLowerCase()).join(' ')
      for (const pool of pools.filter((p) => p.venue.type !== 'algebra')) expect(listed).not.toContain(pool.address.slice(2).toLowerCase())
      expect(touched.has(v3.address.toLowerCase())).toBe(true)
      await engine.verify(pools.length)
    } finally {
      proxiedPool.close()
      proxy.stop()
      await devnet.client.revert({ id: snapshot })
    }
  })

  test('behavior: with their headers announced, new blocks cost one HTTP request: their log queries in one JSON-RPC batch, by block hash; a hash the node does not know fails loudly and moves nothing', async () => {
    const proxy = await startFaultProxy({ upstream: devnet.url })
    const { client: proxied, pool: proxiedPool } = createRpcClient([proxy.url], config)
    const snapshot = await devnet.client.snapshot()
    const announced = new Map<bigint, Header>()
    try {
      const head = await proxied.getBlockNumber()
      const { pools } = await discoverPools({ client: proxied, config, blockNumber: head })
      const engine = new SyncEngine({ client: proxied, config, requestAll: (requests) => proxiedPool.requestAll(requests), headers: (block) => announced.get(block) })
      await engine.start(pools, head)
      const random = mulberry32(21)
      for (let i = 0; i < 6; i++) {
        await randomAction(devnet, random)
        // Now and then two blocks between rounds: both asked by hash, still one request.
        if (i % 2) await devnet.client.mine({ blocks: 1 })
        const next = await devnet.client.getBlockNumber()
        const blocks: bigint[] = []
        for (let block = BigInt(engine.block) + 1n; block <= next; block++) {
          blocks.push(block)
          announced.set(block, headerOf(await devnet.client.getBlock({ blockNumber: block })))
        }
        const [requests, logged] = [proxy.requests, proxy.log.length]
        await engine.advance(next)
        const round = proxy.log.slice(logged)
        // Algebra positions changed: one more round re-reads those pools (not a header).
        expect(proxy.requests - requests).toBe(round.some((r) => r.method === 'eth_call') ? 2 : 1)
        expect(round.filter((r) => r.batch).map((r) => [r.method, JSON.parse(r.params)[0].blockHash])).toEqual(blocks.flatMap((block) => [['eth_getLogs', announced.get(block)!.hash], ['eth_getLogs', announced.get(block)!.hash]]))
        expect(round.some((r) => r.method === 'eth_getBlockByNumber' || r.method === 'eth_blockNumber')).toBe(false)
      }
      await engine.verify(pools.length)
      expect(engine.stats.blocks).toBeGreaterThan(2)
      // An announcement that does not extend the synced block (a stale fork's): the round reads by
      // range with the node's own headers — no reorg chased forever on it — and syncs.
      await devnet.client.mine({ blocks: 1 })
      const after = await devnet.client.getBlockNumber()
      announced.set(after, { ...headerOf(await devnet.client.getBlock({ blockNumber: after })), parentHash: `0x${'22'.repeat(32)}` })
      const logged = proxy.log.length
      await engine.advance(after)
      expect(engine.block).toBe(Number(after))
      expect(proxy.log.slice(logged).map((r) => r.method).sort()).toEqual(['eth_getBlockByNumber', 'eth_getLogs', 'eth_getLogs'])
      expect(engine.stats.reorgs).toBe(0)
      // A header whose block the node does not have: the round fails; the state stays where it was.
      await devnet.client.mine({ blocks: 1 })
      const next = await devnet.client.getBlockNumber()
      announced.set(next, { ...headerOf(await devnet.client.getBlock({ blockNumber: next })), hash: `0x${'11'.repeat(32)}` })
      const at = engine.block
      expect(await engine.advance(next).then(() => 'synced', (error: Error) => error.message)).toContain('unknown block')
      expect(engine.block).toBe(at)
    } finally {
      proxiedPool.close()
      proxy.stop()
      await devnet.client.revert({ id: snapshot })
    }
  })

  test('behavior: an endpoint that refuses JSON-RPC batches is named once and asked one request at a time from then on; the state stays exact', async () => {
    const proxy = await startFaultProxy({ upstream: devnet.url, batches: false })
    const snapshot = await devnet.client.snapshot()
    const { lines } = await captureLog(async () => {
      const { client: proxied, pool: proxiedPool } = createRpcClient([proxy.url], config)
      try {
        const head = await proxied.getBlockNumber()
        const { pools } = await discoverPools({ client: proxied, config, blockNumber: head })
        const engine = new SyncEngine({ client: proxied, config, requestAll: (requests) => proxiedPool.requestAll(requests) })
        await engine.start(pools, head)
        const random = mulberry32(8)
        for (let i = 0; i < 4; i++) {
          await randomAction(devnet, random)
          await engine.advance(await devnet.client.getBlockNumber())
        }
        await engine.verify(pools.length)
      } finally {
        proxiedPool.close()
      }
    })
    try {
      expect(lines.filter((l) => l.includes('does not take JSON-RPC batches'))).toEqual([`warn ${proxy.url} does not take JSON-RPC batches: one request each from now on`])
      // One refused batch, then single requests only.
      expect(new Set(proxy.log.filter((r) => r.batch).map((r) => r.at)).size).toBe(1)
      expect(proxy.log.filter((r) => !r.batch && r.method === 'eth_getLogs').length).toBeGreaterThanOrEqual(8)
    } finally {
      proxy.stop()
      await devnet.client.revert({ id: snapshot })
    }
  })

  test('behavior: an Algebra swap that crosses initialized ticks is applied from its Swap event: price, tick and the active liquidity after it equal a fresh read', async () => {
    const snapshot = await devnet.client.snapshot()
    try {
      const m = market(devnet.client, devnet.deployment)
      // A band around the price: the swap below leaves it, so the active liquidity changes.
      await m.addBands({ pair: 'WETH/USDC', venue: 'algebra_integral', bands: [{ from: -1, to: 1, amount0: 10n ** 18n, amount1: 3_000n * 10n ** 6n }] })
      const head = await client.getBlockNumber()
      const { pools } = await discoverPools({ client, config, blockNumber: head })
      const engine = new SyncEngine({ client, config })
      await engine.start(pools, head)
      const algebra = pools.find((p) => p.venue.type === 'algebra' && p.pair.name === 'WETH/USDC')!
      const before = engine.localStates().algebra.get(algebra.address)!.liquidity
      await m.swap({ venue: 'algebra_integral', tokenIn: 'WETH', tokenOut: 'USDC', amountIn: 30n * 10n ** 18n })
      const rereads = engine.stats.rereads
      await engine.advance(await client.getBlockNumber())
      expect(engine.stats.rereads).toBe(rereads)
      expect(engine.stats.algebraSwaps).toBe(1)
      expect(engine.localStates().algebra.get(algebra.address)!.liquidity).not.toBe(before)
      await engine.verify(pools.length)
      await quotesAgree(engine)
    } finally {
      await devnet.client.revert({ id: snapshot })
    }
  })

  test('behavior: Algebra mints and burns are applied from their events (in range and out of it, a tick emptied and dropped from the tree): price, liquidity, every tick\'s delta and total equal a fresh read, with no re-read', async () => {
    const snapshot = await devnet.client.snapshot()
    try {
      const m = market(devnet.client, devnet.deployment)
      const head = await client.getBlockNumber()
      const { pools } = await discoverPools({ client, config, blockNumber: head })
      const engine = new SyncEngine({ client, config })
      await engine.start(pools, head)
      const algebra = pools.find((p) => p.venue.type === 'algebra' && p.pair.name === 'WETH/USDC')!
      const state = () => engine.localStates().algebra.get(algebra.address)! as AlgebraPoolState
      const [liquidity, ticks] = [state().liquidity, state().steps.ticks.size]
      // One band around the price (active liquidity grows), one above it (only its ticks change): four new ticks.
      await m.addBands({ pair: 'WETH/USDC', venue: 'algebra_integral', bands: [{ from: -2, to: 2, amount0: 10n ** 18n, amount1: 3_000n * 10n ** 6n }, { from: 7, to: 9, amount0: 10n ** 18n, amount1: 0n }] })
      await engine.advance(await client.getBlockNumber())
      expect(state().liquidity).toBeGreaterThan(liquidity)
      expect(state().steps.ticks.size).toBe(ticks + 4)
      await engine.verify(pools.length)
      // Burn both positions whole: their ticks leave the tree, the active liquidity is what it was.
      const manager = devnet.deployment.algebra.positionManager
      const held = await devnet.client.readContract({ address: manager, abi: enumerable, functionName: 'balanceOf', args: [OPERATOR] })
      for (const index of [held - 1n, held - 2n]) {
        const tokenId = await devnet.client.readContract({ address: manager, abi: enumerable, functionName: 'tokenOfOwnerByIndex', args: [OPERATOR, index] })
        await m.burn({ venue: 'algebra_integral', tokenId, fraction: 1 })
      }
      await engine.advance(await client.getBlockNumber())
      expect([state().liquidity, state().steps.ticks.size]).toEqual([liquidity, ticks])
      expect(engine.stats.rereads).toBe(0)
      await engine.verify(pools.length)
      await quotesAgree(engine)
    } finally {
      await devnet.client.revert({ id: snapshot })
    }
  })

  test('behavior: a factory creates a pool of interest: the block that holds its creation event names it, and the universe is read again at once, the new pool quoted', async () => {
    const snapshot = await devnet.client.snapshot()
    const source = chainSource(config, [devnet.url], 'local', { sync: true })
    try {
      const first = await source.readCycle(1)
      // One missing V3 pool and one missing Algebra pool, created through the real position managers.
      const missing = ['uniswap_v3', 'sushiswap_v3', 'algebra_integral'].map((dex) => first.dropped.find((d) => d.code === 'POOL_NOT_FOUND' && d.dex === dex)).filter((d) => d !== undefined).slice(-2)
      expect(missing.map((d) => d.dex)).toContain('algebra_integral')
      const created = missing.map((d) => ({ pair: d.pair, venue: d.fee === null ? d.dex : `${d.dex}:${d.fee}` }))
      for (const { pair, venue } of created) {
        const seeded = loadSeedSpec().pools.find((p) => p.pair === pair)!
        await market(devnet.client, devnet.deployment).addLiquidity({ pair, venue, price: seeded.price, depth: seeded.depth })
      }
      // The engine alone: the creation events are seen in the round that brings their blocks.
      const engine = source.engine!
      await engine.advance(await client.getBlockNumber())
      expect(engine.created.map((c) => ({ pair: c.pair, venue: c.venue }))).toEqual(created)
      // The cycle: the universe read again at this block, the new pools registered and quoted locally.
      const next = await source.readCycle(2)
      expect(next.pools.length).toBe(first.pools.length + 2)
      for (const { pair, venue } of created) {
        expect(next.quotes.filter((q) => q.request.pair.name === pair && q.request.venue.key === venue && q.ok && q.quoter === 'local').length).toBeGreaterThan(0)
      }
      expect(engine.created).toEqual([])
    } finally {
      await source.close()
      await devnet.client.revert({ id: snapshot })
    }
  })

  test('behavior: a reorg (snapshot, blocks, revert, other blocks): the engine rolls back to the common ancestor and follows the new chain exactly', async () => {
    const random = mulberry32(9)
    const head = await client.getBlockNumber()
    const { pools } = await discoverPools({ client, config, blockNumber: head })
    const engine = new SyncEngine({ client, config })
    await engine.start(pools, head)
    const fork = await devnet.client.snapshot()
    for (let i = 0; i < 4; i++) await randomAction(devnet, random)
    await engine.advance(await client.getBlockNumber())
    const abandoned = engine.block
    await devnet.client.revert({ id: fork })
    // A different history, longer than the abandoned one.
    for (let i = 0; Number(await client.getBlockNumber()) <= abandoned + 1; i++) await randomAction(devnet, mulberry32(100 + i))
    const newHead = await client.getBlockNumber()
    expect(await devnet.client.getBlock({ blockNumber: BigInt(abandoned) }).then((b) => b.hash)).not.toBe(engine.market.hashOf(abandoned))
    await engine.advance(newHead)
    expect(engine.stats.reorgs).toBe(1)
    expect(engine.block).toBe(Number(newHead))
    await engine.verify(pools.length)
    await quotesAgree(engine)
  }, 120_000)

  test('error: a state that drifted from the chain is caught by the sampled re-read, which stops loudly (never heals silently)', async () => {
    const head = await client.getBlockNumber()
    const { pools } = await discoverPools({ client, config, blockNumber: head })
    const engine = new SyncEngine({ client, config })
    await engine.start(pools, head)
    const v2 = pools.find((p) => p.venue.type === 'uniswap_v2')!
    const v3 = pools.find((p) => p.venue.type === 'uniswap_v3')!
    const v2State = engine.market.get(v2.address)!
    const v3State = engine.market.get(v3.address)!
    if (v2State.kind !== 'v2' || v3State.kind !== 'v3') throw new Error('unexpected kinds')
    v2State.reserve0 += 1n
    const tick = [...v3State.liquidityNet.keys()][0]!
    v3State.liquidityNet.set(tick, v3State.liquidityNet.get(tick)! + 1n)
    let error: unknown
    await engine.verify(pools.length).catch((caught) => { error = caught })
    expect(error).toBeInstanceOf(StateDivergence)
    const e = error as StateDivergence
    expect([e.code, e.exitCode]).toEqual(['STATE_DIVERGED', 4])
    expect(e.details).toContain(`${v2.address.toLowerCase()} reserve0: synced ${v2State.reserve0} ≠ read ${v2State.reserve0 - 1n}`)
    expect(e.details.some((d) => d.startsWith(`${v3.address.toLowerCase()} liquidityNet[${tick}]`))).toBe(true)
  }, 60_000)
})
