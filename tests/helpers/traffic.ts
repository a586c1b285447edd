/**
 * Random market traffic on the devnet through the real routers and position managers: swaps in
 * both directions on every venue, new concentrated positions (bands around the price) and
 * partial burns of existing ones, and empty blocks — what a pool's state must follow exactly.
 */
import { parseAbi, type Address } from 'viem'
import { OPERATOR } from '../../lib/devnet/chain.ts'
import type { DevnetToken } from '../../lib/devnet/deploy.ts'
import { market } from '../../lib/devnet/market.ts'
import { loadSeedSpec } from '../../lib/devnet/seedSpec.ts'
import type { Devnet } from '../../lib/devnet/startDevnet.ts'

export const enumerable = parseAbi(['function balanceOf(address) view returns (uint256)', 'function tokenOfOwnerByIndex(address, uint256) view returns (uint256)'])
const DECIMALS: Record<DevnetToken, number> = { WETH: 18, USDC: 6, USDT: 6, WBTC: 8, ARB: 18 }

/** How much of a token one random trade moves: small against the seeded depths, never zero. */
function amountOf(token: DevnetToken, random: () => number): bigint {
  const whole = { WETH: 2, USDC: 5_000, USDT: 5_000, WBTC: 0.1, ARB: 10_000 }[token] * (0.001 + random())
  return BigInt(Math.floor(whole * 10 ** Math.min(DECIMALS[token], 6))) * 10n ** BigInt(Math.max(0, DECIMALS[token] - 6)) + 1n
}

export type TrafficAction = { kind: 'swap' | 'mint' | 'burn' | 'empty'; venue: string; pair: string }

export async function randomAction(devnet: Devnet, random: () => number): Promise<TrafficAction> {
  const m = market(devnet.client, devnet.deployment)
  // The seeded pools that trade at sane prices (the deliberately broken ones are left alone).
  const pools = loadSeedSpec().pools.filter((p) => !(p.pair === 'WETH/USDT' && p.venue === 'sushiswap_v3:3000') && !(p.pair === 'WBTC/WETH' && p.venue === 'sushiswap_v3:500'))
  const pool = pools[Math.floor(random() * pools.length)]!
  const [base, quote] = pool.pair.split('/') as [DevnetToken, DevnetToken]
  const roll = random()
  const concentrated = !pool.venue.startsWith('uniswap_v2')
  try {
    if (roll < 0.6 || !concentrated) {
      const sell = random() < 0.5
      const [tokenIn, tokenOut] = sell ? [base, quote] : [quote, base]
      await m.swap({ venue: pool.venue, tokenIn, tokenOut, amountIn: amountOf(tokenIn, random) })
      return { kind: 'swap', venue: pool.venue, pair: pool.pair }
    }
    if (roll < 0.8) {
      const from = -1 - Math.floor(random() * 6)
      const to = 1 + Math.floor(random() * 6)
      await m.addBands({ pair: pool.pair, venue: pool.venue, bands: [{ from, to, amount0: 10n ** 15n + BigInt(Math.floor(random() * 1e6)), amount1: 10n ** 15n + BigInt(Math.floor(random() * 1e6)) }] })
      return { kind: 'mint', venue: pool.venue, pair: pool.pair }
    }
    if (roll < 0.95) {
      const dex = pool.venue.split(':')[0]
      const manager: Address = dex === 'uniswap_v3' ? devnet.deployment.uniswapV3.positionManager : dex === 'sushiswap_v3' ? devnet.deployment.sushiV3.positionManager : devnet.deployment.algebra.positionManager
      const held = await devnet.client.readContract({ address: manager, abi: enumerable, functionName: 'balanceOf', args: [OPERATOR] })
      if (held === 0n) {
        await m.mine(1)
        return { kind: 'empty', venue: pool.venue, pair: pool.pair }
      }
      const tokenId = await devnet.client.readContract({ address: manager, abi: enumerable, functionName: 'tokenOfOwnerByIndex', args: [OPERATOR, BigInt(Math.floor(random() * Number(held)))] })
      await m.burn({ venue: pool.venue, tokenId, fraction: 0.1 + random() * 0.9 })
      return { kind: 'burn', venue: pool.venue, pair: pool.pair }
    }
  } catch {
    // A trade the pool refuses (price limit, an empty position) is traffic too: the block is mined either way.
  }
  await m.mine(1)
  return { kind: 'empty', venue: pool.venue, pair: pool.pair }
}
