import { send, OPERATOR, type DevnetClient } from './chain.ts'
import type { Deployment, DevnetToken } from './deploy.ts'
import { seededPoolAddress } from './describe.ts'
import { currentTick, mintCall, spacingOf } from './periphery.ts'

/** A band of concentrated liquidity: ticks relative to the pool's current tick (in tick spacings), and token amounts offered. */
export type Band = { from: number; to: number; amount0: bigint; amount1: bigint }

/**
 * Adds liquidity in bands around an existing V3/Algebra pool's current price, through the
 * venue's real position manager: thin, far-away liquidity that makes swaps cross many
 * ticks (or run dry). Returns the pool's current tick and spacing.
 */
export async function addBands(client: DevnetClient, deployment: Deployment, { pair, venue, bands }: { pair: string; venue: string; bands: Band[] }): Promise<{ tick: number; spacing: number }> {
  if (venue.startsWith('uniswap_v2')) throw new Error(`addBands: ${venue} has no concentrated liquidity`)
  const [baseSymbol, quoteSymbol] = pair.split('/') as [DevnetToken, DevnetToken]
  const [a, b] = [deployment.tokens[baseSymbol], deployment.tokens[quoteSymbol]]
  const [token0, token1] = BigInt(a) < BigInt(b) ? [a, b] : [b, a]
  const spacing = spacingOf(venue)
  const tick = await currentTick(client, seededPoolAddress(deployment, pair, venue), venue)
  const base = Math.floor(tick / spacing) * spacing
  for (const band of bands) {
    const call = mintCall(deployment, venue, { token0, token1, tickLower: base + band.from * spacing, tickUpper: base + band.to * spacing, amount0: band.amount0, amount1: band.amount1 })
    await send(client, `band ${band.from}..${band.to} on ${pair} ${venue}`, { from: OPERATOR, ...call })
  }
  return { tick, spacing }
}
