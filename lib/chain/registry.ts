import { decodeFunctionResult, encodeFunctionData, getAddress, zeroAddress, type Address, type Hex } from 'viem'
import type { Config, Pair, Venue } from '../config/resolve.ts'
import type { DroppedPool, RegistryPool } from '../contract/parts.ts'
import { isqrt } from '../math/sqrt.ts'
import { algebraFactoryAbi, algebraPoolAbi, erc20Abi, poolAbi, v2FactoryAbi, v3FactoryAbi, v3HeadAbi } from './abis.ts'
import { aggregate3, READ_CHUNK, type Call, type CallResult } from './multicall.ts'
import type { V3Head } from '../state/v3State.ts'
import type { RpcClient } from '../rpc/client.ts'

/** A verified pool: the record the snapshot lists, plus what quoting needs. */
export type RegisteredPool = {
  record: RegistryPool
  pair: Pair
  venue: Venue
  address: Address
  fee: number
  baseBalance: bigint
  /** The base token is the pool's token0. */
  baseIsToken0: boolean
  /** V2 reserves (token0, token1) at the pinned block; null for other families. */
  reserves: [bigint, bigint] | null
  /** V3 slot0, liquidity and tick spacing, read with the verification (for local quoting). */
  v3: V3Head | null
}

export type Registry = { pools: RegisteredPool[]; dropped: DroppedPool[] }

type Ctx = { client: RpcClient; config: Config; blockNumber: bigint }

/**
 * Discovers every (pair, venue) pool from its factory and verifies it at the pinned
 * block: code answers, token0/token1 are the pair's tokens, liquidity > 0. Two
 * batched reads in all. Every pool not kept is listed with its reason.
 */
export async function discoverPools(ctx: Ctx): Promise<Registry> {
  const { config } = ctx
  const slots = config.pairs.flatMap((pair) => config.venues.map((venue) => ({ pair, venue })))
  const found = await batch(ctx, slots.map(({ pair, venue }) => lookupCall(pair, venue)))
  const dropped: DroppedPool[] = []
  const candidates: { pair: Pair; venue: Venue; address: Address }[] = []

  slots.forEach(({ pair, venue }, i) => {
    const result = found[i]!
    const drop = (code: DroppedPool['code'], reason: string, address: Address | null = null) =>
      dropped.push({ dex: venue.dex, pair: pair.name, fee: venue.fee, address, code, reason })
    if (!result.ok) {
      return drop(result.infra ? 'INFRA_RPC_ERROR' : 'POOL_NOT_FOUND', `factory lookup failed: ${result.error}`)
    }
    const address = decodeAddress(result.data)
    if (!address || address === zeroAddress) return drop('POOL_NOT_FOUND', `no ${venue.key} pool for ${pair.name}`)
    candidates.push({ pair, venue, address })
  })

  const reads = candidates.map(({ pair, venue, address }) => verifyCalls(pair, venue, address))
  const results = await batch(ctx, reads.flat())
  const pools: RegisteredPool[] = []
  let offset = 0
  for (const [index, candidate] of candidates.entries()) {
    const { pair, venue, address } = candidate
    const width = reads[index]!.length
    const slice = results.slice(offset, offset + width)
    offset += width
    const drop = (code: DroppedPool['code'], reason: string) =>
      dropped.push({ dex: venue.dex, pair: pair.name, fee: venue.fee, address, code, reason })
    const failed = slice.find((r): r is Extract<CallResult, { ok: false }> => !r.ok)
    if (failed) {
      drop(failed.infra ? 'INFRA_RPC_ERROR' : 'POOL_NOT_FOUND', `pool did not answer: ${failed.error}`)
      continue
    }
    const data = slice.map((r) => (r as { data: Hex }).data)
    const token0 = decodeAddress(data[0]!)
    const token1 = decodeAddress(data[1]!)
    if (!token0 || !token1) { drop('POOL_NOT_FOUND', 'no contract code at the pool address'); continue }
    const tokens = new Set([token0, token1])
    if (!tokens.has(pair.base.address) || !tokens.has(pair.quote.address) || token0 === token1) {
      drop('PREFLIGHT_VALIDATION_FAILED', `token0/token1 (${token0}, ${token1}) are not ${pair.name}`)
      continue
    }
    const reserves = venue.type === 'uniswap_v2' ? v2Reserves(data[2]!) : null
    const liquidity = reserves ? isqrt(reserves[0] * reserves[1]) : decode(poolAbi, 'liquidity', data[2]!)
    const baseBalance = decode(erc20Abi, 'balanceOf', data[3]!)
    const quoteBalance = decode(erc20Abi, 'balanceOf', data[4]!)
    const fee = venue.type === 'algebra' ? Number(decode(algebraPoolAbi, 'fee', data[5]!)) : venue.fee!
    if (liquidity === 0n) { drop('POOL_NO_LIQUIDITY', 'pool has zero liquidity at the pinned block'); continue }
    let v3: V3Head | null = null
    if (venue.type === 'uniswap_v3') {
      const [sqrtPriceX96, tick] = decodeFunctionResult({ abi: v3HeadAbi, functionName: 'slot0', data: data[5]! })
      v3 = { address, sqrtPriceX96, tick, liquidity, fee, tickSpacing: decodeFunctionResult({ abi: v3HeadAbi, functionName: 'tickSpacing', data: data[6]! }) }
    }
    pools.push({
      pair, venue, address, fee, baseBalance, reserves, v3, baseIsToken0: token0 === pair.base.address,
      record: {
        venue: venue.key, dex: venue.dex, dex_type: venue.type, pair: pair.name, address, token0, token1, fee,
        liquidity: liquidity.toString(), base_balance: baseBalance.toString(), quote_balance: quoteBalance.toString(),
      },
    })
  }
  return { pools, dropped }
}

function lookupCall(pair: Pair, venue: Venue): Call {
  const [a, b] = [pair.base.address, pair.quote.address]
  const callData = venue.type === 'uniswap_v3'
    ? encodeFunctionData({ abi: v3FactoryAbi, functionName: 'getPool', args: [a, b, venue.fee!] })
    : venue.type === 'uniswap_v2'
      ? encodeFunctionData({ abi: v2FactoryAbi, functionName: 'getPair', args: [a, b] })
      : encodeFunctionData({ abi: algebraFactoryAbi, functionName: 'poolByPair', args: [a, b] })
  return { target: venue.factory, callData }
}

function verifyCalls(pair: Pair, venue: Venue, pool: Address): Call[] {
  const calls: Call[] = [
    { target: pool, callData: encodeFunctionData({ abi: poolAbi, functionName: 'token0' }) },
    { target: pool, callData: encodeFunctionData({ abi: poolAbi, functionName: 'token1' }) },
    { target: pool, callData: encodeFunctionData({ abi: poolAbi, functionName: venue.type === 'uniswap_v2' ? 'getReserves' : 'liquidity' }) },
    { target: pair.base.address, callData: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [pool] }) },
    { target: pair.quote.address, callData: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [pool] }) },
  ]
  if (venue.type === 'algebra') calls.push({ target: pool, callData: encodeFunctionData({ abi: algebraPoolAbi, functionName: 'fee' }) })
  if (venue.type === 'uniswap_v3') {
    calls.push({ target: pool, callData: encodeFunctionData({ abi: v3HeadAbi, functionName: 'slot0' }) })
    calls.push({ target: pool, callData: encodeFunctionData({ abi: v3HeadAbi, functionName: 'tickSpacing' }) })
  }
  return calls
}

function batch({ client, config, blockNumber }: Ctx, calls: Call[]): Promise<CallResult[]> {
  return aggregate3({ client, multicall3: config.multicall3, calls, blockNumber, ...READ_CHUNK })
}

/** A 32-byte word holding an address, or null when there is no such word (no code). */
function decodeAddress(data: Hex): Address | null {
  if (data.length !== 66) return null
  return getAddress(`0x${data.slice(26)}`)
}

/** V2 reserves; the registry's "liquidity" for V2 is sqrt(reserve0 × reserve1), the constant-product L. */
function v2Reserves(data: Hex): [bigint, bigint] {
  const [r0, r1] = decodeFunctionResult({ abi: poolAbi, functionName: 'getReserves', data })
  return [r0, r1]
}

function decode(abi: typeof poolAbi | typeof erc20Abi | typeof algebraPoolAbi, functionName: string, data: Hex): bigint {
  return BigInt(decodeFunctionResult({ abi, functionName, data } as never) as bigint | number)
}
