import { decodeFunctionResult, encodeFunctionData, parseAbi, type Address, type Hex } from 'viem'
import { aggregate3, READ_CHUNK, type Call, type CallResult } from '../chain/multicall.ts'
import { sortedTickSteps, type ClPoolState } from '../math/clSwap.ts'
import type { RpcClient } from '../rpc/client.ts'

const algebraPoolAbi = parseAbi([
  'function globalState() view returns (uint160 price, int24 tick, uint16 lastFee, uint8 pluginConfig, uint16 communityFee, bool unlocked)',
  'function liquidity() view returns (uint128)',
  'function tickTreeRoot() view returns (uint32)',
  'function tickTreeSecondLayer(int16) view returns (uint256)',
  'function tickTable(int16) view returns (uint256)',
  'function ticks(int24) view returns (uint256 liquidityTotal, int128 liquidityDelta, int24 prevTick, int24 nextTick, uint256, uint256)',
])

/** TickTree's offset from leaf index to second-layer bit: ceil(-MIN_TICK / 256). */
const SECOND_LAYER_OFFSET = 3466

/** An Algebra pool's state for local quotes, and each initialized tick's total liquidity (which positions reference it: it stays initialized while that is above 0). */
export type AlgebraPoolState = ClPoolState & { steps: ReturnType<typeof sortedTickSteps>; liquidityTotal: Map<number, bigint> }

export type ReadAlgebraParameters = { client: RpcClient; multicall3: Address; pools: Address[]; blockNumber: bigint; batchSize?: number }

/**
 * Reads every initialized tick of Algebra Integral pools at one block by walking the
 * tick tree (root and second layer → leaves → ticks): three batched rounds, the complete
 * tick set, so a local quote never runs out of ticks. Pools with plugin hooks (which
 * can override the fee per swap) or that fail a read are left out: they are quoted on-chain.
 */
export async function readAlgebraStates({ client, multicall3, pools, blockNumber, batchSize = READ_CHUNK.batchSize }: ReadAlgebraParameters): Promise<Map<Address, AlgebraPoolState>> {
  const batch = (calls: Call[]) => aggregate3({ client, multicall3, calls, blockNumber, batchSize, gasPerCall: READ_CHUNK.gasPerCall })
  const call = (target: Address, functionName: string, args?: readonly unknown[]): Call => ({ target, callData: encodeFunctionData({ abi: algebraPoolAbi, functionName, args } as never) })
  const decode = <T>(functionName: string, result: CallResult): T => {
    if (!result.ok) throw new Error(result.error)
    return decodeFunctionResult({ abi: algebraPoolAbi, functionName, data: result.data as Hex } as never) as T
  }

  // Round 1 reads the root and, speculatively, all 32 second-layer words it can point to:
  // one round trip less than walking the tree level by level.
  const WIDTH = 3 + 32
  const heads = await batch(pools.flatMap((pool) => [
    call(pool, 'globalState'), call(pool, 'liquidity'), call(pool, 'tickTreeRoot'),
    ...Array.from({ length: 32 }, (_, index) => call(pool, 'tickTreeSecondLayer', [index])),
  ]))
  type Head = { pool: Address; price: bigint; tick: number; fee: number; liquidity: bigint; layer: { index: number; word: bigint }[] }
  const live: Head[] = []
  pools.forEach((pool, i) => {
    try {
      const r = heads.slice(i * WIDTH, (i + 1) * WIDTH)
      const [price, tick, lastFee, pluginConfig] = decode<[bigint, number, number, number]>('globalState', r[0]!)
      if (pluginConfig !== 0 || price === 0n) return
      const root = decode<number>('tickTreeRoot', r[2]!)
      const layer = bits(BigInt(root)).map((index) => ({ index, word: decode<bigint>('tickTreeSecondLayer', r[3 + index]!) }))
      live.push({ pool, price, tick, fee: lastFee, liquidity: decode<bigint>('liquidity', r[1]!), layer })
    } catch {
      // unreadable: quoted on-chain
    }
  })

  const leaves = live.flatMap((h) => h.layer.flatMap(({ index, word }) => bits(word).map((bit) => ({ h, leaf: index * 256 + bit - SECOND_LAYER_OFFSET }))))
  const leafWords = await batch(leaves.map(({ h, leaf }) => call(h.pool, 'tickTable', [leaf])))
  const ticks = leaves.flatMap(({ h, leaf }, i) => bits(decode<bigint>('tickTable', leafWords[i]!)).map((bit) => ({ h, tick: leaf * 256 + bit })))
  const tickData = await batch(ticks.map(({ h, tick }) => call(h.pool, 'ticks', [tick])))

  const nets = new Map<Address, Map<number, bigint>>(live.map((h) => [h.pool, new Map()]))
  const totals = new Map<Address, Map<number, bigint>>(live.map((h) => [h.pool, new Map()]))
  ticks.forEach(({ h, tick }, i) => {
    const [liquidityTotal, liquidityDelta] = decode<[bigint, bigint]>('ticks', tickData[i]!)
    nets.get(h.pool)!.set(tick, liquidityDelta)
    totals.get(h.pool)!.set(tick, liquidityTotal)
  })
  return new Map(live.map((h) => [h.pool, {
    sqrtPriceX96: h.price, tick: h.tick, liquidity: h.liquidity, fee: h.fee, steps: sortedTickSteps(nets.get(h.pool)!), liquidityTotal: totals.get(h.pool)!,
  }]))
}

/** Indexes of the set bits of a word, lowest first. */
function bits(word: bigint): number[] {
  const out: number[] = []
  for (let i = 0; word > 0n; i++, word >>= 1n) if (word & 1n) out.push(i)
  return out
}
