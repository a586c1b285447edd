import { OPERATOR, send, submit, type DevnetClient } from './chain.ts'
import type { Deployment, DevnetToken } from './deploy.ts'
import { provideLiquidity } from './seed.ts'
import { addBands, type Band } from './bands.ts'
import { decreaseCall, positionLiquidity, swapCall } from './periphery.ts'

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

export function market(client: DevnetClient, deployment: Deployment): Market {
  return {
    async swap({ venue, tokenIn, tokenOut, amountIn, wait = true }) {
      // wait=false: in the mempool, not yet mined (with automine off, a competitor in the same block).
      const tx = { from: OPERATOR, ...swapCall(deployment, venue, deployment.tokens[tokenIn], deployment.tokens[tokenOut], amountIn) }
      if (wait) await send(client, `swap ${amountIn} ${tokenIn}→${tokenOut} on ${venue}`, tx)
      else await submit(client, tx)
    },
    addLiquidity: (pool) => provideLiquidity(client, deployment, pool),
    addBands: (params) => addBands(client, deployment, params),
    async burn({ venue, tokenId, fraction = 1 }) {
      const liquidity = await positionLiquidity(client, deployment, venue, tokenId)
      const amount = (liquidity * BigInt(Math.round(fraction * 1e6))) / 1_000_000n
      await send(client, `burn position ${tokenId} on ${venue}`, { from: OPERATOR, ...decreaseCall(deployment, venue, tokenId, amount) })
    },
    mine: (blocks = 1) => client.mine({ blocks }),
    snapshot: () => client.snapshot(),
    revert: (id) => client.revert({ id }),
  }
}
