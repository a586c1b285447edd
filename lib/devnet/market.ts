import { encodeFunctionData, parseAbi, zeroAddress, type Address } from 'viem'
import { OPERATOR, send, submit, type DevnetClient } from './chain.ts'
import type { Deployment, DevnetToken } from './deploy.ts'
import { provideLiquidity } from './seed.ts'
import { addBands, type Band } from './bands.ts'

/**
 * Moves the devnet market the way real traders and LPs do: swaps through the real
 * routers, liquidity through the real position managers, blocks by mining. For tests
 * of stale blocks, price moves and reorg-like cases.
 */
export type Market = {
  swap(params: { venue: string; tokenIn: DevnetToken; tokenOut: DevnetToken; amountIn: bigint; wait?: boolean }): Promise<void>
  addLiquidity(params: { pair: string; venue: string; price: string; depth: string }): Promise<void>
  /** Concentrated liquidity in bands around the current price (V3 / Algebra). */
  addBands(params: { pair: string; venue: string; bands: Band[] }): Promise<{ tick: number; spacing: number }>
  /** Removes `fraction` (0..1] of an NFT position's liquidity (V3 / Algebra). */
  burn(params: { venue: string; tokenId: bigint; fraction?: number }): Promise<void>
  mine(blocks?: number): Promise<void>
  snapshot(): Promise<`0x${string}`>
  revert(id: `0x${string}`): Promise<void>
}

const DEADLINE = 2n ** 32n

const v3RouterAbi = parseAbi([
  'struct P { address tokenIn; address tokenOut; uint24 fee; address recipient; uint256 deadline; uint256 amountIn; uint256 amountOutMinimum; uint160 sqrtPriceLimitX96; }',
  'function exactInputSingle(P params) payable returns (uint256)',
])
const algebraRouterAbi = parseAbi([
  'struct P { address tokenIn; address tokenOut; address deployer; address recipient; uint256 deadline; uint256 amountIn; uint256 amountOutMinimum; uint160 limitSqrtPrice; }',
  'function exactInputSingle(P params) payable returns (uint256)',
])
const v2RouterAbi = parseAbi(['function swapExactTokensForTokens(uint256, uint256, address[], address, uint256) returns (uint256[])'])
const positionManagerAbi = parseAbi([
  'function positions(uint256) view returns (uint96, address, address, address, uint24, int24, int24, uint128, uint256, uint256, uint128, uint128)',
  'struct D { uint256 tokenId; uint128 liquidity; uint256 amount0Min; uint256 amount1Min; uint256 deadline; }',
  'function decreaseLiquidity(D params) payable returns (uint256, uint256)',
])
const algebraPositionsAbi = parseAbi([
  'function positions(uint256) view returns (uint88, address, address, address, address, int24, int24, uint128, uint256, uint256, uint128, uint128)',
])

export function market(client: DevnetClient, deployment: Deployment): Market {
  return {
    async swap({ venue, tokenIn, tokenOut, amountIn, wait = true }) {
      // wait=false: in the mempool, not yet mined (with automine off, a competitor in the same block).
      const go = (label: string, tx: { from: Address; to: Address; data: `0x${string}` }) => (wait ? send(client, label, tx).then(() => {}) : submit(client, tx).then(() => {}))
      const [dex, fee] = venue.split(':')
      const [a, b] = [deployment.tokens[tokenIn], deployment.tokens[tokenOut]]
      const label = `swap ${amountIn} ${tokenIn}→${tokenOut} on ${venue}`
      if (dex === 'uniswap_v3' || dex === 'sushiswap_v3') {
        const router = dex === 'uniswap_v3' ? deployment.uniswapV3.router : deployment.sushiV3.router
        const data = encodeFunctionData({ abi: v3RouterAbi, functionName: 'exactInputSingle', args: [{ tokenIn: a, tokenOut: b, fee: Number(fee), recipient: OPERATOR, deadline: DEADLINE, amountIn, amountOutMinimum: 0n, sqrtPriceLimitX96: 0n }] })
        await go(label, { from: OPERATOR, to: router, data })
      } else if (dex === 'algebra_integral') {
        const data = encodeFunctionData({ abi: algebraRouterAbi, functionName: 'exactInputSingle', args: [{ tokenIn: a, tokenOut: b, deployer: zeroAddress, recipient: OPERATOR, deadline: DEADLINE, amountIn, amountOutMinimum: 0n, limitSqrtPrice: 0n }] })
        await go(label, { from: OPERATOR, to: deployment.algebra.router, data })
      } else if (dex === 'uniswap_v2') {
        const data = encodeFunctionData({ abi: v2RouterAbi, functionName: 'swapExactTokensForTokens', args: [amountIn, 0n, [a, b], OPERATOR, DEADLINE] })
        await go(label, { from: OPERATOR, to: deployment.uniswapV2.router, data })
      } else {
        throw new Error(`market.swap: unknown venue ${venue}`)
      }
    },
    addLiquidity: (pool) => provideLiquidity(client, deployment, pool),
    addBands: (params) => addBands(client, deployment, params),
    async burn({ venue, tokenId, fraction = 1 }) {
      const dex = venue.split(':')[0]
      const manager: Address = dex === 'uniswap_v3' ? deployment.uniswapV3.positionManager
        : dex === 'sushiswap_v3' ? deployment.sushiV3.positionManager
          : dex === 'algebra_integral' ? deployment.algebra.positionManager
            : (() => { throw new Error(`market.burn: ${venue} has no NFT positions`) })()
      const liquidity = dex === 'algebra_integral'
        ? (await client.readContract({ address: manager, abi: algebraPositionsAbi, functionName: 'positions', args: [tokenId] }))[7]
        : (await client.readContract({ address: manager, abi: positionManagerAbi, functionName: 'positions', args: [tokenId] }))[7]
      const amount = (liquidity * BigInt(Math.round(fraction * 1e6))) / 1_000_000n
      const data = encodeFunctionData({ abi: positionManagerAbi, functionName: 'decreaseLiquidity', args: [{ tokenId, liquidity: amount, amount0Min: 0n, amount1Min: 0n, deadline: DEADLINE }] })
      await send(client, `burn position ${tokenId} on ${venue}`, { from: OPERATOR, to: manager, data })
    },
    mine: (blocks = 1) => client.mine({ blocks }),
    snapshot: () => client.snapshot(),
    revert: (id) => client.revert({ id }),
  }
}
