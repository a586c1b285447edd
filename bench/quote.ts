/**
 * Quoting benchmark on the embedded devnet (prints a table; not a test). One universe of
 * 100 pools (10 pairs × Uniswap V3 ×4 tiers, Sushi V3 ×4, Uniswap V2, Algebra) × 5 sizes ×
 * both directions = 1,000 quotes, three ways:
 *   (a) one eth_call per quote (upstream's method), (b) QuoterV2 calls batched through
 *   Multicall3, (c) the local engine: one batched state read + exact math.
 * each on loopback and through a proxy adding a hosted RPC's round trip (--latency-ms,
 * default 20). Then raw local math throughput, in range and crossing >= 50 initialized ticks.
 * Run: bun run bench/quote.ts [--latency-ms 20]
 */
import { readFileSync } from 'node:fs'
import { encodeFunctionData } from 'viem'
import { quoterV2Abi } from '../lib/chain/abis.ts'
import { fetchQuotes } from '../lib/chain/quotes.ts'
import { discoverPools } from '../lib/chain/registry.ts'
import { parseConfigText } from '../lib/config/load.ts'
import { market } from '../lib/devnet/market.ts'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { clSwap, sortedTickSteps } from '../lib/math/clSwap.ts'
import { encodeSqrtPriceX96 } from '../lib/math/sqrt.ts'
import { getTickAtSqrtRatio } from '../lib/math/tickMath.ts'
import { table } from '../lib/report/table.ts'
import { createRpcClient } from '../lib/rpc/client.ts'
import { readLocalStates } from '../lib/state/readLocalStates.ts'
import { startFaultProxy } from '../tests/helpers/faultProxy.ts'
import { parseArgs } from 'node:util'

const USD: Record<string, number> = { WETH: 3000, USDC: 1, USDT: 1, WBTC: 60_000, ARB: 0.75 }
const PAIRS: [string, string][] = [['WETH', 'USDC'], ['WETH', 'USDT'], ['WBTC', 'WETH'], ['ARB', 'WETH'], ['WBTC', 'USDC'], ['WBTC', 'USDT'], ['ARB', 'USDC'], ['ARB', 'USDT'], ['USDC', 'USDT'], ['WBTC', 'ARB']]
const VENUES = ['uniswap_v3:100', 'uniswap_v3:500', 'uniswap_v3:3000', 'uniswap_v3:10000', 'sushiswap_v3:100', 'sushiswap_v3:500', 'sushiswap_v3:3000', 'sushiswap_v3:10000', 'uniswap_v2', 'algebra_integral']
const DECIMALS: Record<string, number> = { WETH: 18, USDC: 6, USDT: 6, WBTC: 8, ARB: 18 }

const { values } = parseArgs({ options: { 'latency-ms': { type: 'string', default: '20' } } })
const latencyMs = Number(values['latency-ms'])
const devnet = await startDevnet()
const slow = await startFaultProxy({ upstream: devnet.url, latencyMs, maxRequests: 1_000_000, ttlMs: 3_600_000 })
try {
  // 1. Fill the universe: every pair on every venue (the seed's pools keep their prices).
  const m = market(devnet.client, devnet.deployment)
  const seeded = new Set(devnet.pools.map((p) => `${p.pair}|${p.venue}`))
  for (const [base, quote] of PAIRS) {
    for (const venue of VENUES) {
      if (seeded.has(`${base}/${quote}|${venue}`)) continue
      const price = (USD[base]! / USD[quote]!) * (1 + (VENUES.indexOf(venue) - 4) * 0.002)
      await m.addLiquidity({ pair: `${base}/${quote}`, venue, price: price.toFixed(8).replace(/\.?0+$/, ''), depth: (100_000 / USD[base]!).toFixed(6) })
    }
  }

  // 2. A config naming all of it: 10 pairs × 5 sizes.
  const base = readFileSync('config/smoke.yaml', 'utf8')
  const yaml = base
    .replace(/fee_tiers: \[500, 3000\]/g, 'fee_tiers: [100, 500, 3000, 10000]')
    .replace(/pairs:\n(  - .*\n)+/, `pairs:\n${PAIRS.map(([b, q]) => {
      const unit = 1000 / USD[b]!
      const sizes = [0.1, 0.5, 1, 5, 20].map((k) => (unit * k).toFixed(Math.min(6, DECIMALS[b]!)))
      return `  - { base: ${b}, quote: ${q}, sizes: [${sizes.map((s) => `"${s}"`).join(', ')}], anchor: "uniswap_v3:500" }\n`
    }).join('')}`)
  const config = parseConfigText('bench.yaml', yaml)
  const registryClient = createRpcClient([devnet.url], { ...config, rpc: { ...config.rpc, rate_limit_rps: 100_000 } })
  await registryClient.pool.beginCycle()
  const block = await devnet.client.getBlockNumber()
  const pools = (await discoverPools({ client: registryClient.client, config, blockNumber: block })).pools
  const totalQuotes = pools.reduce((n, p) => n + p.pair.sizes.length * 2, 0)
  console.log(`universe: ${pools.length} pools, ${config.pairs.length} pairs × 5 sizes × 2 sides = ${totalQuotes} quotes at block ${block}`)
  const time = async <T>(fn: () => Promise<T>) => { const t = performance.now(); const r = await fn(); return { r, ms: performance.now() - t } }

  for (const [label, url] of [['loopback', devnet.url], [`+${latencyMs} ms per request`, slow.url]] as const) {
    const { client, pool } = createRpcClient([url], { ...config, rpc: { ...config.rpc, rate_limit_rps: 100_000, timeout_ms: 60_000 } })
    // (a) one eth_call per quote, sequential, as upstream did (timed on the V3 quotes, per quote).
    await pool.beginCycle()
    const v3 = pools.filter((p) => p.venue.type === 'uniswap_v3').slice(0, url === devnet.url ? undefined : 10)
    const a = await time(async () => {
      let n = 0
      for (const p of v3) {
        for (const size of p.pair.sizes) {
          for (const sell of [true, false]) {
            const [tokenIn, tokenOut] = sell ? [p.pair.base.address, p.pair.quote.address] : [p.pair.quote.address, p.pair.base.address]
            const data = sell
              ? encodeFunctionData({ abi: quoterV2Abi, functionName: 'quoteExactInputSingle', args: [{ tokenIn, tokenOut, amountIn: size, fee: p.venue.fee!, sqrtPriceLimitX96: 0n }] })
              : encodeFunctionData({ abi: quoterV2Abi, functionName: 'quoteExactOutputSingle', args: [{ tokenIn, tokenOut, amount: size, fee: p.venue.fee!, sqrtPriceLimitX96: 0n }] })
            await client.call({ to: p.venue.quoter, data, blockNumber: block }).catch(() => null)
            n++
          }
        }
      }
      return n
    })
    const aCycle = (a.ms / a.r) * totalQuotes
    // (b) the on-chain quoters through Multicall3.
    await pool.beginCycle()
    pool.takeHealth()
    const b = await time(() => fetchQuotes(client, config, pools, block, { quoter: 'onchain' }))
    const bRequests = pool.takeHealth().total_requests
    // (c) local: one batched state read, then exact math.
    await pool.beginCycle()
    pool.takeHealth()
    const c = await time(async () => {
      const states = await readLocalStates(client, config, pools, block)
      return fetchQuotes(client, config, pools, block, { quoter: 'local', states })
    })
    const cRequests = pool.takeHealth().total_requests
    const local = c.r.filter((q) => q.quoter === 'local').length
    console.log(`\n${label}: (a) timed on ${a.r} quotes at ${(a.ms / a.r).toFixed(2)} ms each`)
    console.log(table(['method', 'quotes', 'RPC requests', 'cycle ms', 'vs local'], [
      ['(a) one eth_call per quote', String(totalQuotes), String(totalQuotes), aCycle.toFixed(0), `${(aCycle / c.ms).toFixed(1)}×`],
      ['(b) Multicall3-batched quoters', String(b.r.length), String(bRequests), b.ms.toFixed(0), `${(b.ms / c.ms).toFixed(1)}×`],
      ['(c) local: state read + math', `${c.r.length} (${local} local)`, String(cRequests), c.ms.toFixed(0), '1.0×'],
    ]).join('\n'))
  }

  // 3. Raw math throughput.
  const sqrtPriceX96 = encodeSqrtPriceX96(3000n * 10n ** 6n, 10n ** 18n)
  const tick = getTickAtSqrtRatio(sqrtPriceX96)
  const wide = { sqrtPriceX96, tick, liquidity: 10n ** 22n, fee: 500, steps: sortedTickSteps(new Map([[-887_270, 10n ** 22n], [887_270, -(10n ** 22n)]])) }
  const ladder = new Map<number, bigint>([[-887_270, 10n ** 18n], [887_270, -(10n ** 18n)]])
  for (let i = 1; i <= 200; i++) { ladder.set(tick - i * 10, 10n ** 16n); ladder.set(tick + i * 10, -(10n ** 16n)) }
  const deep = { sqrtPriceX96, tick, liquidity: 10n ** 18n + 200n * 10n ** 16n, fee: 500, steps: sortedTickSteps(ladder) }
  const throughput = (state: typeof wide, amount: bigint, n: number) => {
    let crossed = 0
    const t = performance.now()
    for (let i = 0; i < n; i++) crossed = clSwap(state, true, amount + BigInt(i)).ticksCrossed
    return { perSecond: n / ((performance.now() - t) / 1000), crossed }
  }
  throughput(wide, 10n ** 15n, 20_000) // warm-up
  const inRange = throughput(wide, 10n ** 15n, 200_000)
  throughput(deep, 14n * 10n ** 20n, 2_000) // warm-up
  const crossing = throughput(deep, 14n * 10n ** 20n, 20_000)
  console.log(table(['local math', 'ticks crossed', 'quotes/s (one core)'], [
    ['V3/Algebra swap in range', String(inRange.crossed), Math.round(inRange.perSecond).toLocaleString('en-US')],
    ['V3/Algebra swap, many ticks', String(crossing.crossed), Math.round(crossing.perSecond).toLocaleString('en-US')],
  ]).join('\n'))
} finally {
  slow.stop()
  await devnet.stop()
}
