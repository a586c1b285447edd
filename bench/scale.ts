/**
 * The market state engine at scale: a large market built on the devnet (`--tokens` tokens × 10
 * venues against WETH, bands of concentrated liquidity; 100 tokens = 1,000 pools), then per
 * universe size: the cold start (discovery and the full read of every pool) and the steady state
 * under traffic (random swaps, mints and burns on ~5% of the pools every block; `random` leaves
 * the gaps it opens, `arbitraged` starts from a market at its prices and brings half the touched
 * pools back to them, as arbitrageurs do on a live chain), after a warm-up — from the new head to the
 * cycle's decision (pin, sync round, every local quote, route sizing, gates and verdicts; the
 * artifacts are written after: timed apart), its requests and CPU — on loopback and through a
 * proxy adding 20 ms to every request (a hosted RPC), polled or with heads announced over
 * WebSocket. The proxy, and the market's builder and traffic, run in processes of their own: the
 * CPU column is the scanner's.
 * Not a test; prints a table.
 * Run: npm run bench:scale [-- --tokens 100 --blocks 20 --sizes 10,100 --traffic random,arbitraged --warmup 10]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'yaml'
import { chainSource } from '../lib/chain/chainSource.ts'
import { loadConfig } from '../lib/config/load.ts'
import { largeMarketConfig, type LargeMarket } from '../lib/devnet/largeMarket.ts'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { table } from '../lib/report/table.ts'
import { evaluateCycle, evaluationMemo } from '../lib/scan/evaluate.ts'
import { buildArtifacts } from '../lib/report/build.ts'
import { startMarketProcess } from './marketProcess.ts'
import { startProxyProcess } from './proxyProcess.ts'

const { values } = parseArgs({ options: { tokens: { type: 'string', default: '100' }, blocks: { type: 'string', default: '20' }, sizes: { type: 'string' }, traffic: { type: 'string', default: 'random,arbitraged' }, warmup: { type: 'string', default: '10' } } })
const warmup = Number(values.warmup)
const tokens = Number(values.tokens)
const blocks = Number(values.blocks)
// Universes of these many tokens (ten pools each) out of the market built; default a tenth and all of it.
const sizes = values.sizes ? values.sizes.split(',').map(Number) : [...new Set([Math.max(1, Math.floor(tokens / 10)), tokens])]
// random: the gaps the traffic opens are never closed (they add up block after block: the worst
// case); arbitraged: half the touched pools are brought back to the market price, as on a live chain.
const TRAFFIC = { random: 0, arbitraged: 0.5 } as const
const traffics = values.traffic!.split(',').map((name) => {
  if (!(name in TRAFFIC)) throw new Error(`--traffic: ${name} is not one of ${Object.keys(TRAFFIC).join(', ')}`)
  return name as keyof typeof TRAFFIC
})
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? 0
const dir = join('data', 'bench', 'scale')
mkdirSync(dir, { recursive: true })

const devnet = await startDevnet()
const rows: string[][] = []
let builder: Awaited<ReturnType<typeof startMarketProcess>> | undefined
try {
  let started = performance.now()
  // The market is built and moved by a process of its own: the CPU and collections measured are the scanner's.
  builder = await startMarketProcess(devnet.url, devnet.deployment, tokens)
  const { market } = builder
  console.error(`built ${market.pools.length} pools in ${market.blocks} blocks, ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const base = parse(readFileSync('config/smoke.yaml', 'utf8'))
  for (const count of sizes) {
    const chosen = new Set(market.tokens.slice(0, count).map((token) => token.address))
    const subset: LargeMarket = { ...market, tokens: market.tokens.slice(0, count), pools: market.pools.filter((p) => chosen.has(p.token.address)) }
    const path = join(dir, `config_${count}.yaml`)
    writeFileSync(path, largeMarketConfig(base, subset))
    const config = loadConfig(path)
    // A first pass of the first row, not shown: whichever row came first was measured while
    // JavaScriptCore was still compiling for this universe (a watch runs for days; the table is its steady state).
    const passes: [keyof typeof TRAFFIC, number, boolean, boolean][] = [[traffics[0]!, 0, false, false], ...traffics.flatMap((traffic) => [[traffic, 0, false, true], [traffic, 20, false, true], [traffic, 20, true, true]] as [keyof typeof TRAFFIC, number, boolean, boolean][])]
    for (const [traffic, latencyMs, announced, shown] of passes) {
      const proxy = await startProxyProcess(devnet.url, latencyMs)
      // With heads announced over WebSocket (straight from the node: a push costs no round trip).
      const heads_ws = announced ? devnet.url.replace(/^http/, 'ws') : undefined
      const source = chainSource({ ...config, rpc: { ...config.rpc, timeout_ms: 60_000, heads_ws } }, [proxy.url], 'local', { sync: true })
      const waiting = new AbortController()
      const snapshot = await devnet.client.snapshot()
      await builder.seed(11)
      // A live chain's market starts arbitraged too.
      if (TRAFFIC[traffic]) await builder.arbitrage(count)
      started = performance.now()
      let input = await source.readCycle(1)
      if (input.block === 0) throw new Error(`cold start failed: ${input.pinError}`)
      const cold = { ms: performance.now() - started, requests: await proxy.requests(), pools: input.pools.length, quotes: input.quotes.length }
      // What runCycles keeps for a run: the pairs' verdicts (judged again only when their legs or figures change).
      const verdicts = evaluationMemo()
      const per = { ms: [] as number[], beyond: [] as number[], cpu: [] as number[], main: [] as number[], report: [] as number[], requests: [] as number[], touched: [] as number[], opportunities: [] as number[], fallbacks: 0, snapshotMs: 0 }
      // The first blocks warm the JIT and the run's memos up: a watch runs for days, the table is its steady state.
      for (let i = -warmup; i < blocks; i++) {
        const touched = await builder.traffic(count, TRAFFIC[traffic])
        // What the run loop does: wait for the new head (polled, or announced), then decide.
        await source.waitForNewBlock!(input.block, waiting.signal)
        const before = await proxy.requests()
        const servedBefore = await proxy.served()
        const cpu = process.cpuUsage()
        const main = process.threadCpuUsage()
        const t = performance.now()
        input = await source.readCycle(2 + warmup + i)
        const result = evaluateCycle(input, config, verdicts)
        const ms = performance.now() - t
        const used = process.cpuUsage(cpu)
        const usedMain = process.threadCpuUsage(main)
        const requests = await proxy.requests() - before
        // The block's requests as served (node and added latency): its round trip, less the transfers.
        const served = await proxy.served() - servedBefore
        // What a watch writes every block after deciding (--artifacts changed): the truth report
        // and the histogram; and, at most every report.details_every blocks, the snapshot.
        const r = performance.now()
        const artifacts = buildArtifacts(input, result, config, new Date().toISOString())
        JSON.stringify(artifacts.truth, null, 2)
        JSON.stringify(artifacts.histogram, null, 2)
        const report = performance.now() - r
        if (i < 0) continue
        per.touched.push(touched)
        per.ms.push(ms)
        per.beyond.push(ms - served)
        per.cpu.push((used.user + used.system) / 1000)
        per.main.push((usedMain.user + usedMain.system) / 1000)
        per.requests.push(requests)
        per.report.push(report)
        per.opportunities.push(result.opportunities.length)
        if (i === blocks - 1) {
          const d = performance.now()
          JSON.stringify(artifacts.snapshot, null, 2)
          per.snapshotMs = performance.now() - d
        }
        per.fallbacks += input.quotes.filter((q) => q.ok && q.quoter === 'onchain').length
      }
      if (shown) rows.push([
        String(cold.pools), traffic, `${latencyMs ? '+20 ms' : 'loopback'}${announced ? ', heads ws' : ''}`,
        `${(cold.ms / 1000).toFixed(1)} s / ${cold.requests}`,
        String(cold.quotes), (per.touched.reduce((a, b) => a + b, 0) / blocks).toFixed(0), median(per.opportunities).toFixed(0),
        (per.requests.reduce((a, b) => a + b, 0) / blocks).toFixed(1),
        `${median(per.ms).toFixed(0)} / ${p90(per.ms).toFixed(0)}`, `${median(per.beyond).toFixed(0)} / ${p90(per.beyond).toFixed(0)}`, `${median(per.cpu).toFixed(0)} / ${median(per.main).toFixed(0)}`, String(per.fallbacks),
        median(per.report).toFixed(0), (per.snapshotMs / 1000).toFixed(2),
        `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
      ])
      await source.close()
      proxy.stop()
      await devnet.client.revert({ id: snapshot })
    }
  }
} finally {
  builder?.stop()
  await devnet.stop()
}
console.log(`the market state engine at scale (sync mode), ${blocks} blocks of traffic per row after ${warmup} of warm-up, after one unshown pass of the first row (the JIT compiling for the universe):`)
console.log(table(['pools', 'traffic', 'endpoint', 'cold start / requests', 'quotes', 'touched/block', 'opportunities', 'requests/block', 'ms/block median / p90', 'beyond the round trip median / p90', 'CPU ms/block: process / main thread', 'fallbacks', 'report ms/block', 'snapshot s', 'RSS'], rows).join('\n'))
console.log('per block: new head → decision (pin, one sync round, every local quote, sizing of the routes through touched pools, gates and verdicts); artifacts are written after it: "report" is what a watch builds and serializes every block (truth report and histogram), "snapshot" the full snapshot (every quote, candidate and reject) built and serialized once, as a watch does at most every report.details_every blocks. "Beyond the round trip" is the time of each block less the time its requests took to serve (at the proxy: the latency added and the work of the node, from the whole request read to the whole answer in hand; less than the round trip by the transfers, so the figure errs high). Requests are HTTP requests (a JSON-RPC batch is one); with heads announced the pin is the announced head and the round asks only for the block\'s logs.')
