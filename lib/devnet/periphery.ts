/**
 * The devnet periphery's calls, encoded once for everything that moves the market (the seed's
 * bands, the market helper, the large market and its traffic): swaps through the routers,
 * positions minted and decreased through the position managers, a pool's current tick.
 */
import { encodeFunctionData, parseAbi, zeroAddress, type Address, type Hex } from 'viem'
import { OPERATOR, type DevnetClient } from './chain.ts'
import type { Deployment } from './deploy.ts'

export type Call = { to: Address; data: Hex }

const DEADLINE = 2n ** 32n
/** Tick spacing by V3 fee tier; Algebra Integral's default pools use 60. */
const V3_SPACING: Record<number, number> = { 100: 1, 500: 10, 3000: 60, 10_000: 200 }
const ALGEBRA_SPACING = 60

export const v3ManagerAbi = parseAbi([
  'function createAndInitializePoolIfNecessary(address token0, address token1, uint24 fee, uint160 sqrtPriceX96) payable returns (address)',
  'struct M { address token0; address token1; uint24 fee; int24 tickLower; int24 tickUpper; uint256 amount0Desired; uint256 amount1Desired; uint256 amount0Min; uint256 amount1Min; address recipient; uint256 deadline; }',
  'function mint(M params) payable returns (uint256 tokenId, uint128 liquidity, uint256 amount0, uint256 amount1)',
])
export const algebraManagerAbi = parseAbi([
  'function createAndInitializePoolIfNecessary(address token0, address token1, address deployer, uint160 sqrtPriceX96, bytes data) payable returns (address)',
  'struct M { address token0; address token1; address deployer; int24 tickLower; int24 tickUpper; uint256 amount0Desired; uint256 amount1Desired; uint256 amount0Min; uint256 amount1Min; address recipient; uint256 deadline; }',
  'function mint(M params) payable returns (uint256 tokenId, uint128 liquidity, uint256 amount0, uint256 amount1)',
])
export const v2RouterAbi = parseAbi([
  'function addLiquidity(address, address, uint256, uint256, uint256, uint256, address, uint256) returns (uint256, uint256, uint256)',
  'function swapExactTokensForTokens(uint256, uint256, address[], address, uint256) returns (uint256[])',
])
const v3RouterAbi = parseAbi([
  'struct P { address tokenIn; address tokenOut; uint24 fee; address recipient; uint256 deadline; uint256 amountIn; uint256 amountOutMinimum; uint160 sqrtPriceLimitX96; }',
  'function exactInputSingle(P params) payable returns (uint256)',
])
const algebraRouterAbi = parseAbi([
  'struct P { address tokenIn; address tokenOut; address deployer; address recipient; uint256 deadline; uint256 amountIn; uint256 amountOutMinimum; uint160 limitSqrtPrice; }',
  'function exactInputSingle(P params) payable returns (uint256)',
])
/** Both position managers (V3's and Algebra's) enumerate and decrease positions the same way. */
export const positionsAbi = parseAbi([
  'function balanceOf(address) view returns (uint256)',
  'function tokenOfOwnerByIndex(address, uint256) view returns (uint256)',
  'struct D { uint256 tokenId; uint128 liquidity; uint256 amount0Min; uint256 amount1Min; uint256 deadline; }',
  'function decreaseLiquidity(D params) payable returns (uint256, uint256)',
])
const v3PositionAbi = parseAbi(['function positions(uint256) view returns (uint96, address, address, address, uint24, int24, int24, uint128, uint256, uint256, uint128, uint128)'])
const algebraPositionAbi = parseAbi(['function positions(uint256) view returns (uint88, address, address, address, address, int24, int24, uint128, uint256, uint256, uint128, uint128)'])
const headsAbi = parseAbi([
  'function slot0() view returns (uint160, int24, uint16, uint16, uint16, uint8, bool)',
  'function globalState() view returns (uint160, int24, uint16, uint8, uint16, bool)',
])

const isAlgebra = (venue: string) => venue.startsWith('algebra_integral')

/**
 * An exact-input swap of `amountIn` through the venue's router, to the operator; on a
 * concentrated venue it stops at the square-root price `limit` if given (0: none).
 */
export function swapCall(deployment: Deployment, venue: string, tokenIn: Address, tokenOut: Address, amountIn: bigint, limit = 0n): Call {
  const [dex, fee] = venue.split(':')
  if (dex === 'uniswap_v3' || dex === 'sushiswap_v3') {
    const router = dex === 'uniswap_v3' ? deployment.uniswapV3.router : deployment.sushiV3.router
    return { to: router, data: encodeFunctionData({ abi: v3RouterAbi, functionName: 'exactInputSingle', args: [{ tokenIn, tokenOut, fee: Number(fee), recipient: OPERATOR, deadline: DEADLINE, amountIn, amountOutMinimum: 0n, sqrtPriceLimitX96: limit }] }) }
  }
  if (dex === 'algebra_integral') return { to: deployment.algebra.router, data: encodeFunctionData({ abi: algebraRouterAbi, functionName: 'exactInputSingle', args: [{ tokenIn, tokenOut, deployer: zeroAddress, recipient: OPERATOR, deadline: DEADLINE, amountIn, amountOutMinimum: 0n, limitSqrtPrice: limit }] }) }
  if (dex === 'uniswap_v2') return { to: deployment.uniswapV2.router, data: encodeFunctionData({ abi: v2RouterAbi, functionName: 'swapExactTokensForTokens', args: [amountIn, 0n, [tokenIn, tokenOut], OPERATOR, DEADLINE] }) }
  throw new Error(`swap: unknown venue ${venue}`)
}

/** The position manager of a concentrated-liquidity venue. */
export function positionManagerOf(deployment: Deployment, venue: string): Address {
  const dex = venue.split(':')[0]
  if (dex === 'uniswap_v3') return deployment.uniswapV3.positionManager
  if (dex === 'sushiswap_v3') return deployment.sushiV3.positionManager
  if (dex === 'algebra_integral') return deployment.algebra.positionManager
  throw new Error(`${venue} has no position manager`)
}

export function spacingOf(venue: string): number {
  return isAlgebra(venue) ? ALGEBRA_SPACING : V3_SPACING[Number(venue.split(':')[1])]!
}

/** A position over [tickLower, tickUpper] offering up to `amount0`/`amount1`, minted to the operator. */
export function mintCall(deployment: Deployment, venue: string, p: { token0: Address; token1: Address; tickLower: number; tickUpper: number; amount0: bigint; amount1: bigint }): Call {
  const common = { token0: p.token0, token1: p.token1, tickLower: p.tickLower, tickUpper: p.tickUpper, amount0Desired: p.amount0, amount1Desired: p.amount1, amount0Min: 0n, amount1Min: 0n, recipient: OPERATOR, deadline: DEADLINE }
  return {
    to: positionManagerOf(deployment, venue),
    data: isAlgebra(venue)
      ? encodeFunctionData({ abi: algebraManagerAbi, functionName: 'mint', args: [{ ...common, deployer: zeroAddress }] })
      : encodeFunctionData({ abi: v3ManagerAbi, functionName: 'mint', args: [{ ...common, fee: Number(venue.split(':')[1]) }] }),
  }
}

/** A concentrated pool's current square-root price and tick (slot0 for V3, globalState for Algebra). */
async function headOf(client: DevnetClient, pool: Address, venue: string): Promise<{ sqrtPriceX96: bigint; tick: number }> {
  const [sqrtPriceX96, tick] = isAlgebra(venue)
    ? await client.readContract({ address: pool, abi: headsAbi, functionName: 'globalState' })
    : await client.readContract({ address: pool, abi: headsAbi, functionName: 'slot0' })
  return { sqrtPriceX96, tick }
}

/** A pool's current tick. */
export async function currentTick(client: DevnetClient, pool: Address, venue: string): Promise<number> {
  return (await headOf(client, pool, venue)).tick
}

/** A concentrated pool's current square-root price (Q64.96). */
export async function currentSqrtPrice(client: DevnetClient, pool: Address, venue: string): Promise<bigint> {
  return (await headOf(client, pool, venue)).sqrtPriceX96
}

/** A position's liquidity as its manager records it. */
export async function positionLiquidity(client: DevnetClient, deployment: Deployment, venue: string, tokenId: bigint): Promise<bigint> {
  const address = positionManagerOf(deployment, venue)
  return isAlgebra(venue)
    ? (await client.readContract({ address, abi: algebraPositionAbi, functionName: 'positions', args: [tokenId] }))[7]
    : (await client.readContract({ address, abi: v3PositionAbi, functionName: 'positions', args: [tokenId] }))[7]
}

/** Removes `liquidity` from a position. */
export function decreaseCall(deployment: Deployment, venue: string, tokenId: bigint, liquidity: bigint): Call {
  return { to: positionManagerOf(deployment, venue), data: encodeFunctionData({ abi: positionsAbi, functionName: 'decreaseLiquidity', args: [{ tokenId, liquidity, amount0Min: 0n, amount1Min: 0n, deadline: DEADLINE }] }) }
}
