/**
 * The differential-fuzz markets: concentrated-liquidity pools with many random positions
 * (Uniswap V3 at every fee tier, Algebra Integral) and the seeded V2 pairs, built through the
 * real periphery on a devnet; random swap cases; the real quoters' answers. Used by the fuzz
 * tests (live, 2,400+ swaps per family) and by scripts/record-math-vectors.ts, which commits a
 * sample of real answers so the math can be checked without a chain (fast enough to run for
 * every mutant of a mutation test).
 */
import { decodeFunctionResult, encodeFunctionData, parseAbi, zeroAddress, type Address } from 'viem'
import { aggregate3, type CallResult } from '../../lib/chain/multicall.ts'
import { CANONICAL } from '../../lib/devnet/addresses.ts'
import { OPERATOR, send } from '../../lib/devnet/chain.ts'
import type { DevnetToken } from '../../lib/devnet/deploy.ts'
import { seededPoolAddress } from '../../lib/devnet/describe.ts'
import { market } from '../../lib/devnet/market.ts'
import { algebraPoolAddress, v3PoolAddress } from '../../lib/devnet/poolAddress.ts'
import type { Devnet } from '../../lib/devnet/startDevnet.ts'
import type { ClPoolState } from '../../lib/math/clSwap.ts'
import { encodeSqrtPriceX96 } from '../../lib/math/sqrt.ts'
import { getTickAtSqrtRatio } from '../../lib/math/tickMath.ts'
import type { V3PoolState } from '../../lib/math/v3Swap.ts'
import { readAlgebraStates } from '../../lib/state/algebraState.ts'
import { readV3States } from '../../lib/state/v3State.ts'
import { logUniform, randomInt } from './random.ts'

export const SPACING: Record<number, number> = { 100: 1, 500: 10, 3000: 60, 10_000: 200 }
const ALGEBRA_SPACING = 60
// WBTC (token0, 8 decimals) / USDC (token1, 6 decimals): no pool of this pair in the seed.
export const TOKEN0 = CANONICAL.WBTC
export const TOKEN1 = CANONICAL.USDC

const v3ManagerAbi = parseAbi([
  'function createAndInitializePoolIfNecessary(address, address, uint24, uint160) payable returns (address)',
  'struct M { address token0; address token1; uint24 fee; int24 tickLower; int24 tickUpper; uint256 amount0Desired; uint256 amount1Desired; uint256 amount0Min; uint256 amount1Min; address recipient; uint256 deadline; }',
  'function mint(M params) payable returns (uint256, uint128, uint256, uint256)',
])
const algebraManagerAbi = parseAbi([
  'function createAndInitializePoolIfNecessary(address, address, address, uint160, bytes) payable returns (address)',
  'struct M { address token0; address token1; address deployer; int24 tickLower; int24 tickUpper; uint256 amount0Desired; uint256 amount1Desired; uint256 amount0Min; uint256 amount1Min; address recipient; uint256 deadline; }',
  'function mint(M params) payable returns (uint256, uint128, uint256, uint256)',
])
export const v3QuoterAbi = parseAbi([
  'struct I { address tokenIn; address tokenOut; uint256 amountIn; uint24 fee; uint160 sqrtPriceLimitX96; }',
  'struct O { address tokenIn; address tokenOut; uint256 amount; uint24 fee; uint160 sqrtPriceLimitX96; }',
  'function quoteExactInputSingle(I params) returns (uint256 amountOut, uint160 sqrtPriceX96After, uint32, uint256)',
  'function quoteExactOutputSingle(O params) returns (uint256 amountIn, uint160 sqrtPriceX96After, uint32, uint256)',
])
export const algebraQuoterAbi = parseAbi([
  'struct P { address tokenIn; address tokenOut; address deployer; uint256 amount; uint160 limitSqrtPrice; }',
  'function quoteExactInputSingle(P params) returns (uint256 amountOut, uint256 amountIn, uint160 sqrtPriceX96After, uint32, uint256, uint16)',
  'function quoteExactOutputSingle(P params) returns (uint256 amountOut, uint256 amountIn, uint160 sqrtPriceX96After, uint32, uint256, uint16)',
])
const v2RouterAbi = parseAbi([
  'function getAmountsOut(uint256, address[]) view returns (uint256[])',
  'function getAmountsIn(uint256, address[]) view returns (uint256[])',
])
const pairAbi = parseAbi(['function getReserves() view returns (uint112, uint112, uint32)', 'function token0() view returns (address)'])

/** One swap question: direction, exact in or out, amount. `pool` indexes the family's pools. */
export type SwapCase = { pool: number; zeroForOne: boolean; exactIn: boolean; amount: bigint }
/** The quoter's answer: amounts and the price after, or null when it reverted. */
export type SwapAnswer = { amountIn: bigint; amountOut: bigint; sqrtPriceX96After: bigint | null } | null

export type ClMarket = { pools: { fee: number; address: Address }[]; block: bigint }

async function mintRandom(devnet: Devnet, random: () => number, positions: number, spread: number, width: (spacing: number) => number, spacing: number, mint: (tickLower: number, tickUpper: number, amount0: bigint, amount1: bigint) => Promise<unknown>): Promise<void> {
  const center = getTickAtSqrtRatio(encodeSqrtPriceX96(600n, 1n))
  const ranges: [number, number][] = [[Math.ceil(-887_272 / spacing) * spacing, Math.floor(887_272 / spacing) * spacing]]
  for (let i = 0; i < positions; i++) {
    const lower = Math.floor((center + randomInt(random, -spread, spread)) / spacing) * spacing
    ranges.push([lower, lower + spacing * width(spacing)])
  }
  // A random range can round to zero liquidity (the pool reverts): skip it, as an LP would.
  for (const [lower, upper] of ranges) await mint(lower, upper, logUniform(random, 10n ** 9n), logUniform(random, 6n * 10n ** 11n)).catch(() => {})
  void devnet
}

/** Four Uniswap V3 WBTC/USDC pools (one per fee tier), 30 random positions each, prices moved by two swaps. */
export async function buildV3Market(devnet: Devnet, random: () => number): Promise<ClMarket> {
  const manager = devnet.deployment.uniswapV3.positionManager
  const sqrtPriceX96 = encodeSqrtPriceX96(600n, 1n) // 60,000 USDC per WBTC in raw units
  const pools: ClMarket['pools'] = []
  for (const fee of [100, 500, 3000, 10_000]) {
    await send(devnet.client, 'create', { from: OPERATOR, to: manager, data: encodeFunctionData({ abi: v3ManagerAbi, functionName: 'createAndInitializePoolIfNecessary', args: [TOKEN0, TOKEN1, fee, sqrtPriceX96] }) })
    await mintRandom(devnet, random, 30, 4000, (spacing) => randomInt(random, 1, Math.max(2, Math.floor(3000 / spacing))), SPACING[fee]!, (tickLower, tickUpper, amount0Desired, amount1Desired) =>
      send(devnet.client, 'mint', { from: OPERATOR, to: manager, data: encodeFunctionData({ abi: v3ManagerAbi, functionName: 'mint', args: [{ token0: TOKEN0, token1: TOKEN1, fee, tickLower, tickUpper, amount0Desired, amount1Desired, amount0Min: 0n, amount1Min: 0n, recipient: OPERATOR, deadline: 2n ** 32n }] }) }))
    pools.push({ fee, address: v3PoolAddress(devnet.deployment.uniswapV3.factory, TOKEN0, TOKEN1, fee) })
  }
  const m = market(devnet.client, devnet.deployment)
  for (const { fee } of pools) {
    await m.swap({ venue: `uniswap_v3:${fee}`, tokenIn: 'WBTC', tokenOut: 'USDC', amountIn: logUniform(random, 10n ** 8n) })
    await m.swap({ venue: `uniswap_v3:${fee}`, tokenIn: 'USDC', tokenOut: 'WBTC', amountIn: logUniform(random, 10n ** 10n) })
  }
  return { pools, block: await devnet.client.getBlockNumber() }
}

/** One Algebra Integral WBTC/USDC pool with 40 random positions, price moved by two swaps. */
export async function buildAlgebraMarket(devnet: Devnet, random: () => number): Promise<ClMarket> {
  const manager = devnet.deployment.algebra.positionManager
  await send(devnet.client, 'create', { from: OPERATOR, to: manager, data: encodeFunctionData({ abi: algebraManagerAbi, functionName: 'createAndInitializePoolIfNecessary', args: [TOKEN0, TOKEN1, zeroAddress, encodeSqrtPriceX96(600n, 1n), '0x'] }) })
  await mintRandom(devnet, random, 40, 6000, () => randomInt(random, 1, 80), ALGEBRA_SPACING, (tickLower, tickUpper, amount0Desired, amount1Desired) =>
    send(devnet.client, 'mint', { from: OPERATOR, to: manager, data: encodeFunctionData({ abi: algebraManagerAbi, functionName: 'mint', args: [{ token0: TOKEN0, token1: TOKEN1, deployer: zeroAddress, tickLower, tickUpper, amount0Desired, amount1Desired, amount0Min: 0n, amount1Min: 0n, recipient: OPERATOR, deadline: 2n ** 32n }] }) }))
  const m = market(devnet.client, devnet.deployment)
  await m.swap({ venue: 'algebra_integral', tokenIn: 'WBTC', tokenOut: 'USDC', amountIn: logUniform(random, 10n ** 8n) })
  await m.swap({ venue: 'algebra_integral', tokenIn: 'USDC', tokenOut: 'WBTC', amountIn: logUniform(random, 10n ** 10n) })
  return { pools: [{ fee: 0, address: algebraPoolAddress(devnet.deployment.algebra.poolDeployer, TOKEN0, TOKEN1) }], block: await devnet.client.getBlockNumber() }
}

export function readV3Market(devnet: Devnet, m: ClMarket): Promise<Map<Address, V3PoolState>> {
  return readV3States({ client: devnet.client as never, multicall3: CANONICAL.multicall3, pools: m.pools.map((p) => p.address), blockNumber: m.block, wordRadius: 'all', batchSize: 1000 })
}

export function readAlgebraMarket(devnet: Devnet, m: ClMarket): Promise<Map<Address, ClPoolState>> {
  return readAlgebraStates({ client: devnet.client as never, multicall3: CANONICAL.multicall3, pools: m.pools.map((p) => p.address), blockNumber: m.block })
}

/** Random cases up to ~3x the pools' depth: many swaps cross many ticks, some run dry. */
export function clCases(random: () => number, count: number, pools: number): SwapCase[] {
  return Array.from({ length: count }, (_, i) => {
    const zeroForOne = random() < 0.5
    const exactIn = random() < 0.5
    return { pool: i % pools, zeroForOne, exactIn, amount: logUniform(random, zeroForOne === exactIn ? 30n * 10n ** 8n : 2n * 10n ** 12n) }
  })
}

/** The real quoters' answers at the market's block (no price limit: the quoters' default). */
export async function clAnswers(devnet: Devnet, kind: 'v3' | 'algebra', m: ClMarket, cases: SwapCase[]): Promise<SwapAnswer[]> {
  const calls = cases.map(({ pool, zeroForOne, exactIn, amount }) => {
    const [tokenIn, tokenOut] = zeroForOne ? [TOKEN0, TOKEN1] : [TOKEN1, TOKEN0]
    const functionName = exactIn ? 'quoteExactInputSingle' : 'quoteExactOutputSingle'
    return kind === 'v3'
      ? { target: CANONICAL.uniswapV3QuoterV2 as Address, callData: exactIn ? encodeFunctionData({ abi: v3QuoterAbi, functionName: 'quoteExactInputSingle', args: [{ tokenIn, tokenOut, amountIn: amount, fee: m.pools[pool]!.fee, sqrtPriceLimitX96: 0n }] }) : encodeFunctionData({ abi: v3QuoterAbi, functionName: 'quoteExactOutputSingle', args: [{ tokenIn, tokenOut, amount, fee: m.pools[pool]!.fee, sqrtPriceLimitX96: 0n }] }) }
      : { target: devnet.deployment.algebra.quoter, callData: encodeFunctionData({ abi: algebraQuoterAbi, functionName, args: [{ tokenIn, tokenOut, deployer: zeroAddress, amount, limitSqrtPrice: 0n }] }) }
  })
  const results = await aggregate3({ client: devnet.client as never, multicall3: CANONICAL.multicall3, calls, blockNumber: m.block, batchSize: 40, gasPerCall: 1_000_000, escalate: true })
  return results.map((result, i) => decodeCl(kind, cases[i]!, result))
}

function decodeCl(kind: 'v3' | 'algebra', c: SwapCase, result: CallResult): SwapAnswer {
  if (!result.ok) {
    if (result.infra) throw new Error(`RPC failed: ${result.error}`)
    return null
  }
  if (kind === 'algebra') {
    const [amountOut, amountIn, sqrtPriceX96After] = c.exactIn
      ? decodeFunctionResult({ abi: algebraQuoterAbi, functionName: 'quoteExactInputSingle', data: result.data })
      : decodeFunctionResult({ abi: algebraQuoterAbi, functionName: 'quoteExactOutputSingle', data: result.data })
    return { amountIn, amountOut, sqrtPriceX96After }
  }
  const [amount, sqrtPriceX96After] = c.exactIn
    ? decodeFunctionResult({ abi: v3QuoterAbi, functionName: 'quoteExactInputSingle', data: result.data })
    : decodeFunctionResult({ abi: v3QuoterAbi, functionName: 'quoteExactOutputSingle', data: result.data })
  return c.exactIn ? { amountIn: c.amount, amountOut: amount, sqrtPriceX96After } : { amountIn: amount, amountOut: c.amount, sqrtPriceX96After }
}

export type V2Pair = { a: Address; b: Address; reserves: Map<Address, bigint> }
export type V2Case = { pair: number; aToB: boolean; exactIn: boolean; amount: bigint }

/** The seeded V2 pairs' reserves at the head. */
export async function v2Market(devnet: Devnet): Promise<{ pairs: V2Pair[]; block: bigint }> {
  const block = await devnet.client.getBlockNumber()
  const pairs: V2Pair[] = []
  for (const seeded of devnet.pools.filter((p) => p.venue === 'uniswap_v2')) {
    const [base, quote] = seeded.pair.split('/') as [DevnetToken, DevnetToken]
    const address = seededPoolAddress(devnet.deployment, seeded.pair, seeded.venue)
    const [r0, r1] = await devnet.client.readContract({ address, abi: pairAbi, functionName: 'getReserves', blockNumber: block })
    const token0 = await devnet.client.readContract({ address, abi: pairAbi, functionName: 'token0', blockNumber: block })
    const [a, b] = [devnet.deployment.tokens[base], devnet.deployment.tokens[quote]]
    pairs.push({ a, b, reserves: new Map([[token0, BigInt(r0)], [token0 === a ? b : a, BigInt(r1)]]) })
  }
  return { pairs, block }
}

export function v2Cases(random: () => number, count: number, pairs: V2Pair[]): V2Case[] {
  return Array.from({ length: count }, (_, i) => {
    const pair = pairs[i % pairs.length]!
    const aToB = random() < 0.5
    const exactIn = random() < 0.5
    const [tokenIn, tokenOut] = aToB ? [pair.a, pair.b] : [pair.b, pair.a]
    const cap = (exactIn ? pair.reserves.get(tokenIn)! : pair.reserves.get(tokenOut)!) * 2n
    return { pair: i % pairs.length, aToB, exactIn, amount: logUniform(random, cap) }
  })
}

/** Router02's answers: the computed amount (out for exact in, in for exact out), or null on a revert. */
export async function v2Answers(devnet: Devnet, pairs: V2Pair[], block: bigint, cases: V2Case[]): Promise<(bigint | null)[]> {
  const calls = cases.map((c) => {
    const pair = pairs[c.pair]!
    const path = c.aToB ? [pair.a, pair.b] : [pair.b, pair.a]
    return { target: CANONICAL.uniswapV2Router02 as Address, callData: encodeFunctionData({ abi: v2RouterAbi, functionName: c.exactIn ? 'getAmountsOut' : 'getAmountsIn', args: [c.amount, path] }) }
  })
  const results = await aggregate3({ client: devnet.client as never, multicall3: CANONICAL.multicall3, calls, blockNumber: block, batchSize: 200, gasPerCall: 200_000 })
  return results.map((result, i) => {
    if (!result.ok) {
      if (result.infra) throw new Error(`RPC failed: ${result.error}`)
      return null
    }
    const amounts = decodeFunctionResult({ abi: v2RouterAbi, functionName: cases[i]!.exactIn ? 'getAmountsOut' : 'getAmountsIn', data: result.data })
    return cases[i]!.exactIn ? amounts[1]! : amounts[0]!
  })
}
