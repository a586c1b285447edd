import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { decodeFunctionResult, encodeFunctionData, parseAbi, type Address } from 'viem'
import { aggregate3 } from '../../lib/chain/multicall.ts'
import { CANONICAL } from '../../lib/devnet/addresses.ts'
import { OPERATOR, send } from '../../lib/devnet/chain.ts'
import { v3PoolAddress } from '../../lib/devnet/poolAddress.ts'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { market } from '../../lib/devnet/market.ts'
import { encodeSqrtPriceX96 } from '../../lib/math/sqrt.ts'
import { getTickAtSqrtRatio } from '../../lib/math/tickMath.ts'
import { v3Swap, type V3PoolState } from '../../lib/math/v3Swap.ts'
import { readV3States } from '../../lib/state/v3State.ts'
import { logUniform, mulberry32, randomInt } from '../helpers/random.ts'

const SWAPS = Number(process.env.ARBY_FUZZ_SWAPS ?? 2400)
const SEED = Number(process.env.ARBY_FUZZ_SEED ?? 20261125)
const SPACING: Record<number, number> = { 100: 1, 500: 10, 3000: 60, 10_000: 200 }

const npmAbi = parseAbi([
  'function createAndInitializePoolIfNecessary(address, address, uint24, uint160) payable returns (address)',
  'struct M { address token0; address token1; uint24 fee; int24 tickLower; int24 tickUpper; uint256 amount0Desired; uint256 amount1Desired; uint256 amount0Min; uint256 amount1Min; address recipient; uint256 deadline; }',
  'function mint(M params) payable returns (uint256, uint128, uint256, uint256)',
])
const quoterAbi = parseAbi([
  'struct I { address tokenIn; address tokenOut; uint256 amountIn; uint24 fee; uint160 sqrtPriceLimitX96; }',
  'struct O { address tokenIn; address tokenOut; uint256 amount; uint24 fee; uint160 sqrtPriceLimitX96; }',
  'function quoteExactInputSingle(I params) returns (uint256 amountOut, uint160, uint32, uint256)',
  'function quoteExactOutputSingle(O params) returns (uint256 amountIn, uint160, uint32, uint256)',
])

// WBTC (token0, 8 decimals) / USDC (token1, 6 decimals): no V3 pool of this pair in the seed.
const TOKEN0 = CANONICAL.WBTC
const TOKEN1 = CANONICAL.USDC

describe('V3 local math vs the real QuoterV2 (differential fuzz)', () => {
  let devnet: Devnet
  const pools: { fee: number; address: Address }[] = []
  let states: Map<Address, V3PoolState>
  let block: bigint
  const random = mulberry32(SEED)

  beforeAll(async () => {
    devnet = await startDevnet()
    const manager = devnet.deployment.uniswapV3.positionManager
    // 60,000 USDC per WBTC in raw units: 60000e6 / 1e8 = 600 token1 per token0.
    const sqrtPriceX96 = encodeSqrtPriceX96(600n, 1n)
    const center = getTickAtSqrtRatio(sqrtPriceX96)
    for (const fee of [100, 500, 3000, 10_000]) {
      const spacing = SPACING[fee]!
      await send(devnet.client, 'create', { from: OPERATOR, to: manager, data: encodeFunctionData({ abi: npmAbi, functionName: 'createAndInitializePoolIfNecessary', args: [TOKEN0, TOKEN1, fee, sqrtPriceX96] }) })
      // Many overlapping positions of random width around the price, plus one full range.
      const ranges: [number, number][] = [[Math.ceil(-887_272 / spacing) * spacing, Math.floor(887_272 / spacing) * spacing]]
      for (let i = 0; i < 30; i++) {
        const lower = Math.floor((center + randomInt(random, -4000, 4000)) / spacing) * spacing
        ranges.push([lower, lower + spacing * randomInt(random, 1, Math.max(2, Math.floor(3000 / spacing)))])
      }
      for (const [tickLower, tickUpper] of ranges) {
        const amount0Desired = logUniform(random, 10n ** 9n) // up to 10 WBTC
        const amount1Desired = logUniform(random, 6n * 10n ** 11n) // up to 600k USDC
        // A random range can round to zero liquidity (the pool reverts): skip it, as an LP would.
        await send(devnet.client, 'mint', { from: OPERATOR, to: manager, data: encodeFunctionData({ abi: npmAbi, functionName: 'mint', args: [{ token0: TOKEN0, token1: TOKEN1, fee, tickLower, tickUpper, amount0Desired, amount1Desired, amount0Min: 0n, amount1Min: 0n, recipient: OPERATOR, deadline: 2n ** 32n }] }) }).catch(() => {})
      }
      pools.push({ fee, address: v3PoolAddress(devnet.deployment.uniswapV3.factory, TOKEN0, TOKEN1, fee) })
    }
    // Move prices off their initial ticks through the real router.
    const m = market(devnet.client, devnet.deployment)
    for (const { fee } of pools) {
      await m.swap({ venue: `uniswap_v3:${fee}`, tokenIn: 'WBTC', tokenOut: 'USDC', amountIn: logUniform(random, 10n ** 8n) })
      await m.swap({ venue: `uniswap_v3:${fee}`, tokenIn: 'USDC', tokenOut: 'WBTC', amountIn: logUniform(random, 10n ** 10n) })
    }
    block = await devnet.client.getBlockNumber()
    states = await readV3States({ client: devnet.client as never, multicall3: CANONICAL.multicall3, pools: pools.map((p) => p.address), blockNumber: block, wordRadius: 'all', batchSize: 1000 })
  }, 120_000)

  afterAll(async () => {
    await devnet?.stop()
  })

  test(`behavior: ${SWAPS} random swaps (dust to beyond liquidity, both directions, exact in and out) match to the wei`, async () => {
    type Case = { pool: (typeof pools)[number]; zeroForOne: boolean; exactIn: boolean; amount: bigint }
    const cases: Case[] = []
    for (let i = 0; i < SWAPS; i++) {
      const pool = pools[i % pools.length]!
      const zeroForOne = random() < 0.5
      const exactIn = random() < 0.5
      // Up to ~3x the pool's depth in the token concerned: many swaps cross many ticks, some run dry.
      const cap = (zeroForOne === exactIn ? 30n * 10n ** 8n : 2n * 10n ** 12n)
      cases.push({ pool, zeroForOne, exactIn, amount: logUniform(random, cap) })
    }
    const calls = cases.map(({ pool, zeroForOne, exactIn, amount }) => {
      const [tokenIn, tokenOut] = zeroForOne ? [TOKEN0, TOKEN1] : [TOKEN1, TOKEN0]
      return {
        target: CANONICAL.uniswapV3QuoterV2 as Address,
        callData: exactIn
          ? encodeFunctionData({ abi: quoterAbi, functionName: 'quoteExactInputSingle', args: [{ tokenIn, tokenOut, amountIn: amount, fee: pool.fee, sqrtPriceLimitX96: 0n }] })
          : encodeFunctionData({ abi: quoterAbi, functionName: 'quoteExactOutputSingle', args: [{ tokenIn, tokenOut, amount, fee: pool.fee, sqrtPriceLimitX96: 0n }] }),
      }
    })
    const onchain = await aggregate3({ client: devnet.client as never, multicall3: CANONICAL.multicall3, calls, blockNumber: block, batchSize: 40, gasPerCall: 5_000_000 })

    let compared = 0
    let reverted = 0
    let multiTick = 0
    const mismatches: string[] = []
    cases.forEach((c, i) => {
      const chain = onchain[i]!
      expect(chain.ok || !chain.infra).toBe(true)
      let local: bigint | null = null
      try {
        const r = v3Swap(states.get(c.pool.address)!, c.zeroForOne, c.exactIn ? c.amount : -c.amount)
        if (r.ticksCrossed >= 2) multiTick++
        if (c.exactIn) local = c.zeroForOne ? -r.amount1 : -r.amount0
        else local = r.partial ? null : c.zeroForOne ? r.amount0 : r.amount1 // QuoterV2 reverts on a partial exact-output fill
      } catch {
        local = null
      }
      const remote = chain.ok
        ? decodeFunctionResult({ abi: quoterAbi, functionName: c.exactIn ? 'quoteExactInputSingle' : 'quoteExactOutputSingle', data: chain.data })[0]
        : null
      if (remote === null) reverted++
      compared++
      if (local !== remote) mismatches.push(`fee ${c.pool.fee} ${c.zeroForOne ? '0→1' : '1→0'} ${c.exactIn ? 'in' : 'out'} ${c.amount}: local ${local} chain ${remote}`)
    })
    console.log(`v3 fuzz: ${compared} compared, ${compared - reverted} quoted, ${reverted} reverted on both sides, ${multiTick} crossing >= 2 initialized ticks`)
    expect(mismatches.slice(0, 5)).toEqual([])
    expect(compared).toBe(SWAPS)
    expect(compared - reverted).toBeGreaterThan(SWAPS * 0.6)
    expect(multiTick).toBeGreaterThan(SWAPS * 0.2)
    expect(reverted).toBeGreaterThan(0)
  }, 120_000)
})
