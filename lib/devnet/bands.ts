import { encodeFunctionData, parseAbi, zeroAddress, type Address } from 'viem'
import { OPERATOR, send, type DevnetClient } from './chain.ts'
import type { Deployment, DevnetToken } from './deploy.ts'
import { seededPoolAddress } from './describe.ts'

const DEADLINE = 2n ** 32n
const V3_SPACING: Record<number, number> = { 100: 1, 500: 10, 3000: 60, 10_000: 200 }
const ALGEBRA_SPACING = 60

const v3ManagerAbi = parseAbi([
  'struct M { address token0; address token1; uint24 fee; int24 tickLower; int24 tickUpper; uint256 amount0Desired; uint256 amount1Desired; uint256 amount0Min; uint256 amount1Min; address recipient; uint256 deadline; }',
  'function mint(M params) payable returns (uint256 tokenId, uint128 liquidity, uint256 amount0, uint256 amount1)',
])
const algebraManagerAbi = parseAbi([
  'struct M { address token0; address token1; address deployer; int24 tickLower; int24 tickUpper; uint256 amount0Desired; uint256 amount1Desired; uint256 amount0Min; uint256 amount1Min; address recipient; uint256 deadline; }',
  'function mint(M params) payable returns (uint256 tokenId, uint128 liquidity, uint256 amount0, uint256 amount1)',
])
const slot0Abi = parseAbi(['function slot0() view returns (uint160, int24, uint16, uint16, uint16, uint8, bool)'])
const globalStateAbi = parseAbi(['function globalState() view returns (uint160, int24, uint16, uint8, uint16, bool)'])

/** A band of concentrated liquidity: ticks relative to the pool's current tick (in tick spacings), and token amounts offered. */
export type Band = { from: number; to: number; amount0: bigint; amount1: bigint }

/**
 * Adds liquidity in bands around an existing V3/Algebra pool's current price, through the
 * venue's real position manager: thin, far-away liquidity that makes swaps cross many
 * ticks (or run dry). Returns the pool's current tick and spacing.
 */
export async function addBands(client: DevnetClient, deployment: Deployment, { pair, venue, bands }: { pair: string; venue: string; bands: Band[] }): Promise<{ tick: number; spacing: number }> {
  const [baseSymbol, quoteSymbol] = pair.split('/') as [DevnetToken, DevnetToken]
  const [a, b] = [deployment.tokens[baseSymbol], deployment.tokens[quoteSymbol]]
  const [token0, token1] = BigInt(a) < BigInt(b) ? [a, b] : [b, a]
  const [dex, feeText] = venue.split(':')
  const pool = seededPoolAddress(deployment, pair, venue)
  const algebra = dex === 'algebra_integral'
  const spacing = algebra ? ALGEBRA_SPACING : V3_SPACING[Number(feeText)]!
  const tick = algebra
    ? (await client.readContract({ address: pool, abi: globalStateAbi, functionName: 'globalState' }))[1]
    : (await client.readContract({ address: pool, abi: slot0Abi, functionName: 'slot0' }))[1]
  const base = Math.floor(tick / spacing) * spacing
  const manager: Address = dex === 'uniswap_v3' ? deployment.uniswapV3.positionManager
    : dex === 'sushiswap_v3' ? deployment.sushiV3.positionManager
      : algebra ? deployment.algebra.positionManager
        : (() => { throw new Error(`addBands: ${venue} has no concentrated liquidity`) })()
  for (const band of bands) {
    const common = {
      token0, token1, tickLower: base + band.from * spacing, tickUpper: base + band.to * spacing,
      amount0Desired: band.amount0, amount1Desired: band.amount1, amount0Min: 0n, amount1Min: 0n, recipient: OPERATOR, deadline: DEADLINE,
    }
    const data = algebra
      ? encodeFunctionData({ abi: algebraManagerAbi, functionName: 'mint', args: [{ ...common, deployer: zeroAddress }] })
      : encodeFunctionData({ abi: v3ManagerAbi, functionName: 'mint', args: [{ ...common, fee: Number(feeText) }] })
    await send(client, `band ${band.from}..${band.to} on ${pair} ${venue}`, { from: OPERATOR, to: manager, data })
  }
  return { tick, spacing }
}
