/**
 * The market state engine against re-reading every cycle, on the devnet universe (18 pools,
 * 108 quotes) under random traffic: per block, requests and round trips, wall time from the
 * new head to local quotes for every pool, and CPU; on loopback and through a proxy adding 20 ms
 * to every request (a hosted RPC). Not a test; prints a table.
 * Run: npm run bench:sync [-- --blocks 40]
 */
import { parseArgs } from 'node:util'
import { fetchQuotes } from '../lib/chain/quotes.ts'
import { discoverPools } from '../lib/chain/registry.ts'
import { loadConfig } from '../lib/config/load.ts'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { table } from '../lib/report/table.ts'
import { createRpcClient } from '../lib/rpc/client.ts'
import { readLocalStates } from '../lib/state/readLocalStates.ts'
import { SyncEngine } from '../lib/sync/engine.ts'
import { startFaultProxy } from '../tests/helpers/faultProxy.ts'
import { mulberry32 } from '../tests/helpers/random.ts'
import { randomAction } from '../tests/helpers/traffic.ts'

const { values } = parseArgs({ options: { blocks: { type: 'string', default: '40' } } })
const blocks = Number(values.blocks)
const config = loadConfig('config/smoke.yaml')
const devnet = await startDevnet()
const rows: string[][] = []
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
try {
  for (const latencyMs of [0, 20]) {
    const proxy = await startFaultProxy({ upstream: devnet.url, latencyMs, maxRequests: 10_000_000 })
    const { client, pool } = createRpcClient([proxy.url], { ...config, rpc: { ...config.rpc, timeout_ms: 30_000 } })
    const random = mulberry32(3)
    const snapshot = await devnet.client.snapshot()
    const head = await client.getBlockNumber()
    const coldStart = performance.now()
    const before = proxy.requests
    const { pools } = await discoverPools({ client, config, blockNumber: head })
    const engine = new SyncEngine({ client, config, requestAll: (requests) => pool.requestAll(requests) })
    await engine.start(pools, head)
    const cold = { ms: performance.now() - coldStart, requests: proxy.requests - before }
    const sync = { ms: [] as number[], cpu: [] as number[], requests: [] as number[] }
    const full = { ms: [] as number[], cpu: [] as number[], requests: [] as number[] }
    for (let i = 0; i < blocks; i++) {
      await randomAction(devnet, random)
      const block = await devnet.client.getBlockNumber()
      // Sync: one round for the new block, then local quotes of every pool.
      let n = proxy.requests
      let cpu = process.cpuUsage()
      let t = performance.now()
      await engine.advance(block)
      await fetchQuotes(client, config, engine.registered(), block, { quoter: 'local', states: engine.localStates() })
      sync.ms.push(performance.now() - t)
      sync.cpu.push((process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000)
      sync.requests.push(proxy.requests - n)
      // Full: what a cycle without the engine reads: registry, states, then quotes.
      n = proxy.requests
      cpu = process.cpuUsage()
      t = performance.now()
      const registry = await discoverPools({ client, config, blockNumber: block })
      const states = await readLocalStates(client, config, registry.pools, block)
      await fetchQuotes(client, config, registry.pools, block, { quoter: 'local', states })
      full.ms.push(performance.now() - t)
      full.cpu.push((process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000)
      full.requests.push(proxy.requests - n)
    }
    const label = latencyMs ? '+20 ms/request' : 'loopback'
    rows.push([label, 'sync', `${cold.ms.toFixed(0)} ms / ${cold.requests}`, (sync.requests.reduce((a, b) => a + b, 0) / blocks).toFixed(1), median(sync.ms).toFixed(0), median(sync.cpu).toFixed(1)])
    rows.push([label, 're-read', '-', (full.requests.reduce((a, b) => a + b, 0) / blocks).toFixed(1), median(full.ms).toFixed(0), median(full.cpu).toFixed(1)])
    pool.close()
    proxy.stop()
    await devnet.client.revert({ id: snapshot })
  }
} finally {
  await devnet.stop()
}
console.log(`market state per block, devnet universe (18 pools, 108 quotes), ${blocks} blocks of random traffic:`)
console.log(table(['endpoint', 'mode', 'cold start (ms / requests)', 'requests/block', 'median ms/block', 'median CPU ms/block'], rows).join('\n'))
console.log('HTTP requests (a JSON-RPC batch is one). sync: the new block\'s header and logs in one batch; re-read: registry, bitmap words and ticks every block.')
