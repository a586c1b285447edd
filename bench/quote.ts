/**
 * Quoting benchmark on the embedded devnet (prints a table; not a test). One universe of
 * 100 pools (10 pairs × Uniswap V3 ×4 tiers, Sushi V3 ×4, Uniswap V2, Algebra) × 5 sizes ×
 * both directions = 1,000 quotes, three ways:
 *   (a) one eth_call per quote (upstream's method), (b) QuoterV2 calls batched through
 *   Multicall3, (c) the local engine: one batched state read + exact math.
 * Then raw local math throughput, in range and crossing >= 50 initialized ticks.
 * Run: bun run bench/quote.ts
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
import { table } from '../lib/report/summary.ts'
import { createRpcClient } from '../lib/rpc/client.ts'
import { readLocalStates } from '../lib/state/readLocalStates.ts'

const USD: Record<string, number> = { WETH: 3000, USDC: 1, USDT: 1, WBTC: 60_000, ARB: 0.75 }
const PAIRS: [string, string][] = [['WETH', 'USDC'], ['WETH', 'USDT'], ['WBTC', 'WETH'], ['ARB', 'WETH'], ['WBTC', 'USDC'], ['WBTC', 'USDT'], ['ARB', 'USDC'], ['ARB', 'USDT'], ['USDC', 'USDT'], ['WBTC', 'ARB']]
const VENUES = ['uniswap_v3:100', 'uniswap_v3:500', 'uniswap_v3:3000', 'uniswap_v3:10000', 'sushiswap_v3:100', 'sushiswap_v3:500', 'sushiswap_v3:3000', 'sushiswap_v3:10000', 'uniswap_v2', 'algebra_integral']
const DECIMALS: Record<string, number> = { WETH: 18, USDC: 6, USDT: 6, WBTC: 8, ARB: 18 }

const devnet = await startDevnet()
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
  const { client, pool } = createRpcClient([devnet.url], { ...config, rpc: { ...config.rpc, rate_limit_rps: 100_000 } })
  await pool.beginCycle()
  const block = await devnet.client.getBlockNumber()
  const registry = await discoverPools({ client, config, blockNumber: block })
  const pools = registry.pools
  console.log(`universe: ${pools.length} pools, ${config.pairs.length} pairs × 5 sizes × 2 sides at block ${block}`)

  const time = async <T>(fn: () => Promise<T>) => { const t = performance.now(); const r = await fn(); return { r, ms: performance.now() - t } }
  const requests = () => pool.health().total_requests

  // (a) one eth_call per quote, sequential, as upstream did (V3 QuoterV2 only, then scaled per quote).
  await pool.beginCycle()
  const v3 = pools.filter((p) => p.venue.type === 'uniswap_v3')
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
  const aPerQuote = a.ms / a.r
  const totalQuotes = pools.reduce((n, p) => n + p.pair.sizes.length * 2, 0)
  const aCycle = aPerQuote * totalQuotes

  // (b) the on-chain quoters through Multicall3.
  await pool.beginCycle()
  const b = await time(() => fetchQuotes(client, config, pools, block, { quoter: 'onchain' }))
  const bRequests = requests()
  // (c) local: one batched state read, then exact math.
  await pool.beginCycle()
  const c = await time(async () => {
    const states = await readLocalStates(client, config, pools, block)
    return fetchQuotes(client, config, pools, block, { quoter: 'local', states })
  })
  const cRequests = requests()
  const local = c.r.filter((q) => q.quoter === 'local').length

  console.log(table(['method', 'quotes', 'RPC requests', 'cycle ms', 'vs local'], [
    ['(a) one eth_call per quote', String(totalQuotes), String(totalQuotes), aCycle.toFixed(1), `${(aCycle / c.ms).toFixed(1)}×`],
    ['(b) Multicall3-batched quoters', String(b.r.length), String(bRequests), b.ms.toFixed(1), `${(b.ms / c.ms).toFixed(1)}×`],
    ['(c) local: state read + math', `${c.r.length} (${local} local)`, String(cRequests), c.ms.toFixed(1), '1.0×'],
  ]).join('\n'))
  console.log(`(a) measured on ${a.r} V3 quotes: ${aPerQuote.toFixed(3)} ms each on loopback; at a hosted RPC's ~50 ms round trip it is ${(totalQuotes * 50 / 1000).toFixed(0)} s per cycle`)

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
  const crossing = throughput(deep, 2n * 10n ** 21n, 5_000)
  console.log(table(['local math', 'ticks crossed', 'quotes/s (one core)'], [
    ['V3/Algebra swap in range', String(inRange.crossed), Math.round(inRange.perSecond).toLocaleString('en-US')],
    ['V3/Algebra swap, many ticks', String(crossing.crossed), Math.round(crossing.perSecond).toLocaleString('en-US')],
  ]).join('\n'))
} finally {
  await devnet.stop()
}
