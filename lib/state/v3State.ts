import { decodeFunctionResult, encodeFunctionData, parseAbi, type Address, type Hex } from 'viem'
import { position, type TickBitmap } from '../math/tickBitmap.ts'
import type { V3PoolState } from '../math/v3Swap.ts'
import { aggregate3, READ_CHUNK, type Call } from '../chain/multicall.ts'
import type { RpcClient } from '../rpc/client.ts'

const v3PoolAbi = parseAbi([
  'function slot0() view returns (uint160 sqrtPriceX96, int24 tick, uint16, uint16, uint16, uint8, bool)',
  'function liquidity() view returns (uint128)',
  'function fee() view returns (uint24)',
  'function tickSpacing() view returns (int24)',
  'function tickBitmap(int16) view returns (uint256)',
  'function ticks(int24) view returns (uint128 liquidityGross, int128 liquidityNet, uint256, uint256, int56, uint160, uint32, bool)',
])

/** What the first round reads (the registry can read it too, saving a round trip). */
export type V3Head = { address: Address; sqrtPriceX96: bigint; tick: number; liquidity: bigint; fee: number; tickSpacing: number }

export type ReadV3Parameters = {
  client: RpcClient
  multicall3: Address
  /** Pools to read from scratch, or their heads when already read at this block. */
  pools: Address[] | V3Head[]
  blockNumber: bigint
  /** Bitmap words read on each side of the current one; 'all' reads to MIN/MAX_TICK. */
  wordRadius: number | 'all'
  batchSize?: number
}

/**
 * Reads what the V3 swap loop needs for every pool at one pinned block, in batched
 * rounds: slot0/liquidity/fee/tickSpacing (skipped when the registry read them), then the
 * bitmap words around the price, then liquidityNet of every initialized tick in those
 * words. Pools that fail the first round are left out.
 */
export async function readV3States({ client, multicall3, pools, blockNumber, wordRadius, batchSize = READ_CHUNK.batchSize }: ReadV3Parameters): Promise<Map<Address, V3PoolState & { liquidityGross: Map<number, bigint> }>> {
  const batch = (calls: Call[]) => aggregate3({ client, multicall3, calls, blockNumber, batchSize, gasPerCall: READ_CHUNK.gasPerCall })
  const call = (pool: Address, functionName: 'slot0' | 'liquidity' | 'fee' | 'tickSpacing'): Call => ({ target: pool, callData: encodeFunctionData({ abi: v3PoolAbi, functionName }) })

  const heads = typeof pools[0] === 'string' ? await readHeads(pools as Address[]) : pools as V3Head[]
  type Partial = V3Head & { minWord: number; maxWord: number }
  const partials: Partial[] = heads.map((head) => {
    const { wordPos } = position(Math.floor(head.tick / head.tickSpacing))
    const [minWord, maxWord] = wordRadius === 'all'
      ? [position(Math.floor(-887_272 / head.tickSpacing)).wordPos, position(Math.floor(887_272 / head.tickSpacing)).wordPos]
      : [wordPos - wordRadius, wordPos + wordRadius]
    return { ...head, minWord, maxWord }
  })

  async function readHeads(addresses: Address[]): Promise<V3Head[]> {
    const results = await batch(addresses.flatMap((pool) => [call(pool, 'slot0'), call(pool, 'liquidity'), call(pool, 'fee'), call(pool, 'tickSpacing')]))
    return addresses.flatMap((address, i) => {
      const r = results.slice(i * 4, i * 4 + 4)
      if (r.some((x) => !x.ok)) return []
      const data = r.map((x) => (x as { data: Hex }).data)
      const [sqrtPriceX96, tick] = decodeFunctionResult({ abi: v3PoolAbi, functionName: 'slot0', data: data[0]! })
      return [{
        address, sqrtPriceX96, tick,
        liquidity: decodeFunctionResult({ abi: v3PoolAbi, functionName: 'liquidity', data: data[1]! }),
        fee: decodeFunctionResult({ abi: v3PoolAbi, functionName: 'fee', data: data[2]! }),
        tickSpacing: decodeFunctionResult({ abi: v3PoolAbi, functionName: 'tickSpacing', data: data[3]! }),
      }]
    })
  }

  const wordCalls = partials.flatMap((p) => range(p.minWord, p.maxWord).map((w) => ({ target: p.address, callData: encodeFunctionData({ abi: v3PoolAbi, functionName: 'tickBitmap', args: [w] }) })))
  const wordResults = await batch(wordCalls)
  const tickCalls: { pool: Partial; tick: number; call: Call }[] = []
  const bitmaps = new Map<Address, TickBitmap>()
  let offset = 0
  for (const p of partials) {
    const words = new Map<number, bigint>()
    for (const w of range(p.minWord, p.maxWord)) {
      const result = wordResults[offset++]!
      if (!result.ok) throw new Error(`tickBitmap(${w}) of ${p.address}: ${result.error}`)
      const value = decodeFunctionResult({ abi: v3PoolAbi, functionName: 'tickBitmap', data: result.data })
      if (value === 0n) continue
      words.set(w, value)
      for (let bit = 0; bit < 256; bit++) {
        if ((value >> BigInt(bit)) & 1n) {
          const tick = ((w << 8) + bit) * p.tickSpacing
          tickCalls.push({ pool: p, tick, call: { target: p.address, callData: encodeFunctionData({ abi: v3PoolAbi, functionName: 'ticks', args: [tick] }) } })
        }
      }
    }
    bitmaps.set(p.address, { words, minWord: p.minWord, maxWord: p.maxWord })
  }

  const tickResults = await batch(tickCalls.map((t) => t.call))
  const nets = new Map<Address, Map<number, bigint>>()
  const grosses = new Map<Address, Map<number, bigint>>()
  tickCalls.forEach(({ pool, tick }, i) => {
    const result = tickResults[i]!
    if (!result.ok) throw new Error(`ticks(${tick}) of ${pool.address}: ${result.error}`)
    const [liquidityGross, liquidityNet] = decodeFunctionResult({ abi: v3PoolAbi, functionName: 'ticks', data: result.data })
    if (!nets.has(pool.address)) nets.set(pool.address, new Map())
    if (!grosses.has(pool.address)) grosses.set(pool.address, new Map())
    nets.get(pool.address)!.set(tick, liquidityNet)
    grosses.get(pool.address)!.set(tick, liquidityGross)
  })

  return new Map(partials.map((p) => [p.address, {
    sqrtPriceX96: p.sqrtPriceX96, tick: p.tick, liquidity: p.liquidity, fee: p.fee, tickSpacing: p.tickSpacing,
    bitmap: bitmaps.get(p.address)!, liquidityNet: nets.get(p.address) ?? new Map(), liquidityGross: grosses.get(p.address) ?? new Map(),
  }]))
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}
