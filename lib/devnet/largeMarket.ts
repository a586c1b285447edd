/**
 * A large market on the devnet, for scale work: `tokens` extra 18-decimal tokens, each paired
 * with WETH on ten venues (Uniswap V3 and Sushi V3 at 0.01/0.05/0.3/1%, Uniswap V2, Algebra),
 * 10 pools per token, through the real factories and position managers: a full-range position
 * plus bands of concentrated liquidity around the price (many initialized ticks), venue prices
 * a few bps apart (gaps to find). Transactions go out in batches mined as one block each, so a
 * 1,000-pool market takes a few hundred blocks, not thousands (anvil keeps every block's state).
 * Also the traffic that moves it: random swaps on a share of the pools, one block at a time.
 */
import { encodeFunctionData, keccak256, maxUint256, parseAbi, stringToHex, zeroAddress, type Address, type Hex } from 'viem'
import { stringify } from 'yaml'
import { encodeSqrtPriceX96, isqrt } from '../math/sqrt.ts'
import { mulberry32 } from '../random.ts'
import { getTickAtSqrtRatio, MAX_TICK } from '../math/tickMath.ts'
import { CANONICAL } from './addresses.ts'
import { OPERATOR, submit, TX_GAS, type DevnetClient } from './chain.ts'
import { placeToken, type Deployment } from './deploy.ts'
import { algebraManagerAbi, currentSqrtPrice, currentTick, decreaseCall, mintCall, positionLiquidity, positionManagerOf, positionsAbi, spacingOf, swapCall, v2RouterAbi, v3ManagerAbi, type Call } from './periphery.ts'
import { algebraPoolAddress, v2PairAddress, v3PoolAddress } from './poolAddress.ts'

export const LARGE_VENUES = [
  'uniswap_v3:100', 'uniswap_v3:500', 'uniswap_v3:3000', 'uniswap_v3:10000',
  'sushiswap_v3:100', 'sushiswap_v3:500', 'sushiswap_v3:3000', 'sushiswap_v3:10000',
  'uniswap_v2', 'algebra_integral',
] as const
const DEADLINE = 2n ** 32n
const WAD = 10n ** 18n
const WAD_FLOAT = 1e18
const ARBITRUM_BASE_FEE = 10_000_000n

export type LargeToken = { symbol: string; address: Address; priceWei: bigint }
export type LargePool = { pair: string; venue: string; address: Address; token: LargeToken }
export type LargeMarket = { tokens: LargeToken[]; pools: LargePool[]; blocks: number }

const erc20 = parseAbi(['function mint(address, uint256)', 'function approve(address, uint256) returns (bool)'])
type Tx = Call

/** Sends transactions in blocks of `perBlock` (automine off), checking every receipt of every block. */
async function sendInBlocks(client: DevnetClient, txs: Tx[], perBlock = 150): Promise<number> {
  let blocks = 0
  await client.setAutomine(false)
  try {
    // At least one block: traffic that chose no pool still makes one (a follower waits for it).
    for (let i = 0; i < Math.max(txs.length, 1); i += perBlock) {
      const batch = txs.slice(i, i + perBlock)
      const hashes = new Set<Hex>()
      for (const tx of batch) hashes.add(await submit(client, { from: OPERATOR, ...tx, gas: TX_GAS }))
      // Arbitrum's base fee sits at its 0.01 gwei floor; anvil's EIP-1559 rule would decay it block after block.
      await client.setNextBlockBaseFeePerGas({ baseFeePerGas: ARBITRUM_BASE_FEE })
      await client.mine({ blocks: 1 })
      blocks++
      const receipts = await client.request({ method: 'eth_getBlockReceipts' as never, params: ['latest'] as never }) as { transactionHash: Hex; status: Hex }[]
      const mined = receipts.filter((r) => hashes.has(r.transactionHash))
      if (mined.length !== hashes.size) throw new Error(`large market: ${hashes.size - mined.length} of ${hashes.size} transactions were not mined`)
      const failed = mined.filter((r) => r.status !== '0x1')
      if (failed.length) throw new Error(`large market: ${failed.length} transactions reverted (first ${failed[0]!.transactionHash})`)
    }
  } finally {
    await client.setAutomine(true)
  }
  return blocks
}

function tokenAddress(index: number): Address {
  return `0x${keccak256(stringToHex(`arby large market token ${index}`)).slice(26)}` as Address
}

/** Builds the market on a running devnet (the embedded one: its deployment, WETH funded by the seed). */
export async function buildLargeMarket(client: DevnetClient, deployment: Deployment, { tokens: count, seed = 1 }: { tokens: number; seed?: number }): Promise<LargeMarket> {
  const random = mulberry32(seed)
  await client.setBlockGasLimit({ gasLimit: 2n ** 40n })
  const weth = CANONICAL.WETH
  const spenders = [deployment.uniswapV3.positionManager, deployment.uniswapV3.router, deployment.sushiV3.positionManager, deployment.sushiV3.router, deployment.uniswapV2.router, deployment.algebra.positionManager, deployment.algebra.router]
  const tokens: LargeToken[] = []
  const setup: Tx[] = []
  for (let i = 1; i <= count; i++) {
    const address = tokenAddress(i)
    await placeToken(client, address, 'MockERC20', `Large ${i}`, `L${i}`, 18)
    // A price in WETH between 1e-4 and 1e-1, as an exact integer of wei per whole token.
    const priceWei = BigInt(Math.floor(10 ** (14 + 3 * random())))
    tokens.push({ symbol: `L${i}`, address, priceWei })
    setup.push({ to: address, data: encodeFunctionData({ abi: erc20, functionName: 'mint', args: [OPERATOR, 10n ** 40n] }) })
    for (const spender of spenders) setup.push({ to: address, data: encodeFunctionData({ abi: erc20, functionName: 'approve', args: [spender, maxUint256] }) })
  }
  let blocks = await sendInBlocks(client, setup)

  const pools: LargePool[] = []
  const creates: Tx[] = []
  const mints: Tx[] = []
  for (const token of tokens) {
    const [token0, token1] = BigInt(token.address) < BigInt(weth) ? [token.address, weth] : [weth, token.address]
    for (const venue of LARGE_VENUES) {
      // Each venue a few bps off the token's price: the gaps a scan finds.
      const priceWei = (token.priceWei * BigInt(10_000 + Math.floor((random() - 0.5) * 60))) / 10_000n
      const sqrtPriceX96 = token0 === token.address ? encodeSqrtPriceX96(priceWei, WAD) : encodeSqrtPriceX96(WAD, priceWei)
      // 200 WETH of depth on each side, full range; bands of 2–20 WETH around the price.
      const wethDepth = 200n * WAD
      const tokenDepth = (wethDepth * WAD) / priceWei
      const [amount0, amount1] = token0 === token.address ? [tokenDepth, wethDepth] : [wethDepth, tokenDepth]
      const [dex, feeText] = venue.split(':') as [string, string | undefined]
      const pair = `${token.symbol}/WETH`
      if (dex === 'uniswap_v2') {
        pools.push({ pair, venue, token, address: v2PairAddress(deployment.uniswapV2.factory, token0, token1) })
        mints.push({ to: deployment.uniswapV2.router, data: encodeFunctionData({ abi: v2RouterAbi, functionName: 'addLiquidity', args: [token0, token1, amount0, amount1, 0n, 0n, OPERATOR, DEADLINE] }) })
        continue
      }
      const algebra = dex === 'algebra_integral'
      const spacing = spacingOf(venue)
      const tick = getTickAtSqrtRatio(sqrtPriceX96)
      const edge = Math.floor(MAX_TICK / spacing) * spacing
      const ranges: [number, number, bigint][] = [[-edge, edge, 1n]]
      const at = Math.floor(tick / spacing) * spacing
      for (let b = 0; b < 4; b++) {
        const from = at - spacing * (1 + Math.floor(random() * 40))
        const to = at + spacing * (1 + Math.floor(random() * 40))
        ranges.push([from, to, 10n + BigInt(Math.floor(random() * 90))]) // per mille of the depth
      }
      if (algebra) {
        pools.push({ pair, venue, token, address: algebraPoolAddress(deployment.algebra.poolDeployer, token0, token1) })
        creates.push({ to: positionManagerOf(deployment, venue), data: encodeFunctionData({ abi: algebraManagerAbi, functionName: 'createAndInitializePoolIfNecessary', args: [token0, token1, zeroAddress, sqrtPriceX96, '0x'] }) })
      } else {
        const factory = dex === 'uniswap_v3' ? deployment.uniswapV3.factory : deployment.sushiV3.factory
        pools.push({ pair, venue, token, address: v3PoolAddress(factory, token0, token1, Number(feeText)) })
        creates.push({ to: positionManagerOf(deployment, venue), data: encodeFunctionData({ abi: v3ManagerAbi, functionName: 'createAndInitializePoolIfNecessary', args: [token0, token1, Number(feeText), sqrtPriceX96] }) })
      }
      for (const [tickLower, tickUpper, perMille] of ranges) {
        // The full range carries the depth; a band is offered 1–10% of it (the pool takes what the range needs).
        const scale = (x: bigint) => (tickLower === -edge ? x : (x * perMille) / 1_000n)
        mints.push(mintCall(deployment, venue, { token0, token1, tickLower, tickUpper, amount0: scale(amount0), amount1: scale(amount1) }))
      }
    }
  }
  blocks += await sendInBlocks(client, creates)
  blocks += await sendInBlocks(client, mints)
  return { tokens, pools, blocks }
}

/**
 * One block of traffic on `share` of the pools: mostly swaps (both directions, small against
 * the depth), and on concentrated pools new bands around the price (mints) and partial burns of
 * existing positions — every kind of log the market state must follow. With `arbitraged` > 0,
 * that share of the chosen pools is instead brought back to its token's market price, as
 * arbitrageurs do on a live chain (gaps then stay a few swaps wide instead of adding up
 * block after block).
 */
export async function largeTraffic(client: DevnetClient, deployment: Deployment, market: LargeMarket, random: () => number, { share = 0.05, arbitraged = 0 } = {}): Promise<{ pools: number; swaps: number; mints: number; burns: number; arbitrages: number }> {
  const chosen = market.pools.filter(() => random() < share)
  const txs: Tx[] = []
  const done = { pools: 0, swaps: 0, mints: 0, burns: 0, arbitrages: 0 }
  for (const pool of chosen) {
    // A pool already at its market price takes the other traffic instead (the share touched stays `share`).
    const arbitrage = arbitraged > 0 && random() < arbitraged ? await arbitrageTx(client, deployment, pool) : null
    if (arbitrage) {
      txs.push(arbitrage)
      done.arbitrages++
      continue
    }
    const roll = random()
    const concentrated = !pool.venue.startsWith('uniswap_v2')
    const burn = concentrated && roll > 0.9 ? await burnTx(client, deployment, pool, random) : null
    const mint = !burn && concentrated && roll > 0.75 ? await mintTx(client, deployment, pool, random) : null
    const tx = burn ?? mint ?? swapTx(deployment, pool, random)
    done[burn ? 'burns' : mint ? 'mints' : 'swaps']++
    txs.push(tx)
  }
  done.pools = txs.length
  await sendInBlocks(client, txs, txs.length || 1)
  return done
}

/** Every pool of the market brought to its token's market price (no gap left but rounding), in blocks of transactions. */
export async function arbitrageMarket(client: DevnetClient, deployment: Deployment, market: LargeMarket): Promise<number> {
  const txs: Tx[] = []
  for (const pool of market.pools) {
    const tx = await arbitrageTx(client, deployment, pool)
    if (tx) txs.push(tx)
  }
  return sendInBlocks(client, txs)
}

const pairAbi = parseAbi(['function getReserves() view returns (uint112, uint112, uint32)'])
// More than any move back to the market price takes: a price-limited swap pays only what it used.
const ARBITRAGE_CAP = 10n ** 30n

/**
 * The swap that brings a pool back to its token's market price: on a concentrated venue up to
 * that price exactly (the swap's price limit); on V2 the amount that leaves the pair at it, its
 * 0.3% fee kept (to its rounding). Null when the pool is already there.
 */
async function arbitrageTx(client: DevnetClient, deployment: Deployment, pool: LargePool): Promise<Tx | null> {
  const weth = CANONICAL.WETH
  const tokenFirst = BigInt(pool.token.address) < BigInt(weth)
  const [token0, token1] = tokenFirst ? [pool.token.address, weth] : [weth, pool.token.address]
  const target = tokenFirst ? encodeSqrtPriceX96(pool.token.priceWei, WAD) : encodeSqrtPriceX96(WAD, pool.token.priceWei)
  if (pool.venue.startsWith('uniswap_v2')) {
    const [reserve0, reserve1] = await client.readContract({ address: pool.address, abi: pairAbi, functionName: 'getReserves' })
    // Selling token0 when its price (reserve1/reserve0) is above the target's (target²/2^192).
    const sellFirst = reserve1 << 192n > target * target * reserve0
    const [reserveIn, reserveOut, tokenIn, tokenOut] = sellFirst ? [reserve0, reserve1, token0, token1] : [reserve1, reserve0, token1, token0]
    // x in (its 0.3% fee kept by the pair) leaves reserveOut·1000·reserveIn / ((1000·reserveIn + 997x)(reserveIn + x))
    // per reserveIn + x: the price asked when 997x² + 1997·reserveIn·x + 1000·reserveIn² − c = 0.
    const c = sellFirst ? (1_000n * reserveIn * reserveOut << 192n) / (target * target) : (1_000n * reserveIn * reserveOut * target * target) >> 192n
    const b = 1_997n * reserveIn
    const discriminant = b * b - 4n * 997n * (1_000n * reserveIn * reserveIn - c)
    const amountIn = discriminant > b * b ? (isqrt(discriminant) - b) / 1_994n : 0n
    // The pair refuses a swap that pays out nothing: a gap that small is left.
    const out = (amountIn * 997n * reserveOut) / (reserveIn * 1_000n + amountIn * 997n)
    return out > 0n ? swapCall(deployment, pool.venue, tokenIn, tokenOut, amountIn) : null
  }
  const current = await currentSqrtPrice(client, pool.address, pool.venue)
  if (current === target) return null
  // Selling token0 lowers the price (token1 per token0).
  const [tokenIn, tokenOut] = current > target ? [token0, token1] : [token1, token0]
  return swapCall(deployment, pool.venue, tokenIn, tokenOut, ARBITRAGE_CAP, target)
}

function swapTx(deployment: Deployment, pool: LargePool, random: () => number): Tx {
  const sell = random() < 0.5
  const wethIn = BigInt(Math.floor(WAD_FLOAT * (0.01 + random()))) // 0.01–1 WETH worth
  return sell
    ? swapCall(deployment, pool.venue, pool.token.address, CANONICAL.WETH, (wethIn * WAD) / pool.token.priceWei)
    : swapCall(deployment, pool.venue, CANONICAL.WETH, pool.token.address, wethIn)
}

/** A band of 1–20 spacings on each side of the pool's current tick, offered ~0.1–1 WETH a side. */
async function mintTx(client: DevnetClient, deployment: Deployment, pool: LargePool, random: () => number): Promise<Tx> {
  const spacing = spacingOf(pool.venue)
  const at = Math.floor((await currentTick(client, pool.address, pool.venue)) / spacing) * spacing
  const [token0, token1] = BigInt(pool.token.address) < BigInt(CANONICAL.WETH) ? [pool.token.address, CANONICAL.WETH] : [CANONICAL.WETH, pool.token.address]
  const weth = BigInt(Math.floor(WAD_FLOAT * (0.1 + random())))
  const other = (weth * WAD) / pool.token.priceWei
  const [amount0, amount1] = token0 === pool.token.address ? [other, weth] : [weth, other]
  return mintCall(deployment, pool.venue, { token0, token1, tickLower: at - spacing * (1 + Math.floor(random() * 20)), tickUpper: at + spacing * (1 + Math.floor(random() * 20)), amount0, amount1 })
}

/** Half of a random position of the pool's position manager (any pool it serves); null when that one is empty. */
async function burnTx(client: DevnetClient, deployment: Deployment, pool: LargePool, random: () => number): Promise<Tx | null> {
  const manager = positionManagerOf(deployment, pool.venue)
  const held = await client.readContract({ address: manager, abi: positionsAbi, functionName: 'balanceOf', args: [OPERATOR] })
  if (held === 0n) return null
  const tokenId = await client.readContract({ address: manager, abi: positionsAbi, functionName: 'tokenOfOwnerByIndex', args: [OPERATOR, BigInt(Math.floor(random() * Number(held)))] })
  const liquidity = await positionLiquidity(client, deployment, pool.venue, tokenId)
  return liquidity < 2n ? null : decreaseCall(deployment, pool.venue, tokenId, liquidity / 2n)
}

/**
 * A scan config for the market (YAML text): the embedded devnet's config with WETH, USDC and the
 * large tokens, the ten venues, and one pair per token (sizes worth 0.1, 1 and 10 WETH) plus
 * WETH/USDC (the USD route).
 */
export function largeMarketConfig(base: Record<string, unknown>, market: LargeMarket): string {
  const tokens: Record<string, unknown> = {
    WETH: { address: CANONICAL.WETH, decimals: 18 },
    USDC: { address: CANONICAL.USDC, decimals: 6, usd: true },
  }
  for (const token of market.tokens) tokens[token.symbol] = { address: token.address, decimals: 18 }
  const sizeOf = (token: LargeToken, weth: bigint) => ((weth * WAD) / token.priceWei / WAD).toString()
  const dexes = base.dexes as Record<string, Record<string, unknown>>
  return stringify({
    ...base,
    tokens,
    dexes: {
      ...dexes,
      uniswap_v3: { ...dexes.uniswap_v3, fee_tiers: [100, 500, 3000, 10000] },
      sushiswap_v3: { ...dexes.sushiswap_v3, fee_tiers: [100, 500, 3000, 10000] },
    },
    pairs: [
      { base: 'WETH', quote: 'USDC', sizes: ['0.1', '1', '10'], anchor: 'uniswap_v3:500', min_net_profit: '0.5' },
      ...market.tokens.map((token) => ({ base: token.symbol, quote: 'WETH', sizes: [sizeOf(token, WAD / 10n), sizeOf(token, WAD), sizeOf(token, 10n * WAD)], anchor: 'uniswap_v3:500', min_net_profit: '0.0002' })),
    ],
  })
}
