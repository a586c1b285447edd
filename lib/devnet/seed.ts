import { encodeFunctionData, maxUint256, type Abi, type Address, type Hex } from 'viem'
import { parseAmount } from '../config/resolve.ts'
import { encodeSqrtPriceX96 } from '../math/sqrt.ts'
import { loadArtifact, type ArtifactName } from './artifacts.ts'
import { OPERATOR, send, type DevnetClient } from './chain.ts'
import { DEVNET_TOKEN_DECIMALS, type Deployment, type DevnetToken } from './deploy.ts'
import type { SeedSpec } from './seedSpec.ts'

const MAX_TICK = 887_272
const DEADLINE = 2n ** 32n
const TICK_SPACING: Record<number, number> = { 100: 1, 500: 10, 3000: 60, 10_000: 200 }

export type SeededPool = { pair: string; venue: string; price: string; depth: string }

/** Funds the operator, then creates and fills every pool of the spec through the real periphery. */
export async function seedMarket(client: DevnetClient, deployment: Deployment, spec: SeedSpec): Promise<SeededPool[]> {
  await fundOperator(client, deployment)
  const seeded: SeededPool[] = []
  for (const pool of spec.pools) {
    await provideLiquidity(client, deployment, pool)
    seeded.push({ pair: pool.pair, venue: pool.venue, price: pool.price, depth: pool.depth })
  }
  return seeded
}

/**
 * Creates the pool if needed (initialised at `price`) and adds `depth` base tokens of
 * full-range liquidity through the venue's real position manager or router. When the
 * pool exists, its current price wins and the amounts only cap the liquidity added.
 */
export async function provideLiquidity(client: DevnetClient, deployment: Deployment, pool: SeedSpec['pools'][number]): Promise<void> {
  const [baseSymbol, quoteSymbol] = pool.pair.split('/') as [DevnetToken, DevnetToken]
  const base = token(deployment, baseSymbol)
  const quote = token(deployment, quoteSymbol)
  const baseAmount = amount(pool.depth, base.decimals)
  const [num, den] = fraction(pool.price)
  // depth base tokens and their value in quote tokens at the pool's price.
  const quoteAmount = (baseAmount * num * 10n ** BigInt(quote.decimals)) / (den * 10n ** BigInt(base.decimals))
  const baseIsToken0 = BigInt(base.address) < BigInt(quote.address)
  const [token0, token1] = baseIsToken0 ? [base, quote] : [quote, base]
  const [amount0, amount1] = baseIsToken0 ? [baseAmount, quoteAmount] : [quoteAmount, baseAmount]
  // Raw price token1 per token0.
  const sqrtPriceX96 = baseIsToken0
    ? encodeSqrtPriceX96(num * 10n ** BigInt(quote.decimals), den * 10n ** BigInt(base.decimals))
    : encodeSqrtPriceX96(den * 10n ** BigInt(base.decimals), num * 10n ** BigInt(quote.decimals))

  const [dex, feeText] = pool.venue.split(':')
  const label = `${pool.pair} on ${pool.venue}`
  if (dex === 'uniswap_v3' || dex === 'sushiswap_v3') {
    const fee = Number(feeText)
    const manager = dex === 'uniswap_v3' ? deployment.uniswapV3.positionManager : deployment.sushiV3.positionManager
    await call(client, label, manager, 'NonfungiblePositionManager', 'createAndInitializePoolIfNecessary', [token0.address, token1.address, fee, sqrtPriceX96])
    const spacing = TICK_SPACING[fee]!
    await call(client, label, manager, 'NonfungiblePositionManager', 'mint', [{
      token0: token0.address, token1: token1.address, fee,
      tickLower: fullRange(spacing)[0], tickUpper: fullRange(spacing)[1],
      amount0Desired: amount0, amount1Desired: amount1, amount0Min: 0n, amount1Min: 0n,
      recipient: OPERATOR, deadline: DEADLINE,
    }])
  } else if (dex === 'uniswap_v2') {
    await call(client, label, deployment.uniswapV2.router, 'UniswapV2Router02', 'addLiquidity', [
      token0.address, token1.address, amount0, amount1, 0n, 0n, OPERATOR, DEADLINE,
    ])
  } else if (dex === 'algebra_integral') {
    const manager = deployment.algebra.positionManager
    await call(client, label, manager, 'AlgebraPositionManager', 'createAndInitializePoolIfNecessary', [token0.address, token1.address, ZERO, sqrtPriceX96, '0x'])
    const [lower, upper] = fullRange(60)
    await call(client, label, manager, 'AlgebraPositionManager', 'mint', [{
      token0: token0.address, token1: token1.address, deployer: ZERO, tickLower: lower, tickUpper: upper,
      amount0Desired: amount0, amount1Desired: amount1, amount0Min: 0n, amount1Min: 0n,
      recipient: OPERATOR, deadline: DEADLINE,
    }])
  } else {
    throw new Error(`devnet seed: unknown venue ${pool.venue}`)
  }
}

const ZERO: Address = '0x0000000000000000000000000000000000000000'

/** Mints every token to the operator and approves every router and position manager. */
async function fundOperator(client: DevnetClient, deployment: Deployment): Promise<void> {
  await client.setBalance({ address: OPERATOR, value: 10n ** 30n })
  await call(client, 'wrap ETH', deployment.tokens.WETH, 'WETH9', 'deposit', [], 10n ** 27n)
  const spenders = [
    deployment.uniswapV3.positionManager, deployment.uniswapV3.router,
    deployment.sushiV3.positionManager, deployment.sushiV3.router,
    deployment.uniswapV2.router,
    deployment.algebra.positionManager, deployment.algebra.router,
  ]
  for (const symbol of Object.keys(DEVNET_TOKEN_DECIMALS) as DevnetToken[]) {
    const address = deployment.tokens[symbol]
    if (symbol !== 'WETH') await call(client, `mint ${symbol}`, address, 'MockERC20', 'mint', [OPERATOR, 10n ** 40n])
    for (const spender of spenders) await call(client, `approve ${symbol}`, address, 'MockERC20', 'approve', [spender, maxUint256])
  }
}

export async function call(client: DevnetClient, label: string, to: Address, artifact: ArtifactName, functionName: string, args: unknown[], value = 0n, from: Address = OPERATOR): Promise<Hex> {
  const data = encodeFunctionData({ abi: loadArtifact(artifact).abi as Abi, functionName, args } as never)
  const receipt = await send(client, `${label}: ${functionName}`, { from, to, data, value })
  return receipt.transactionHash
}

function token(deployment: Deployment, symbol: DevnetToken) {
  return { symbol, address: deployment.tokens[symbol], decimals: DEVNET_TOKEN_DECIMALS[symbol] }
}

function amount(text: string, decimals: number): bigint {
  const value = parseAmount(text, decimals)
  if (typeof value === 'string') throw new Error(`devnet seed: ${text} ${value}`)
  return value
}

/** "20.15" → [2015n, 100n], exactly. */
function fraction(text: string): [bigint, bigint] {
  const [whole = '0', frac = ''] = text.split('.')
  return [BigInt(whole + frac), 10n ** BigInt(frac.length)]
}

function fullRange(spacing: number): [number, number] {
  const edge = Math.floor(MAX_TICK / spacing) * spacing
  return [-edge, edge]
}
