/**
 * Every initialized tick of many V3 pools in a few requests: the V3PoolLens code is placed at
 * each pool's own address by an eth_call state override (nothing is deployed), so it reads the
 * pool's storage directly — the whole tick bitmap, then every initialized tick's liquidity —
 * instead of one getter sub-call per bitmap word (6,932 words for a pool at tick spacing 1).
 * Pools go out in groups sized by the storage reads they cost (under Nitro's 50 M eth_call gas
 * cap), all groups at once. Fee and tick spacing are immutables (in the pool's code, which the
 * override replaces): they come from the registry's heads.
 */
import { decodeFunctionResult, encodeFunctionData, type Address, type Hex } from 'viem'
import lens from '../../contracts/V3PoolLens.json' with { type: 'json' }
import { position, type TickBitmap } from '../math/tickBitmap.ts'
import { MAX_TICK, MIN_TICK } from '../math/tickMath.ts'
import type { V3PoolState } from '../math/v3Swap.ts'
import { multicall3Abi } from '../chain/abis.ts'
import type { RpcClient } from '../rpc/client.ts'
import type { V3Head } from './v3State.ts'

const abi = lens.abi
const runtime = lens.deployedBytecode as Hex
/** Storage words one eth_call may read: ~2,300 gas each (cold SLOAD, hashing), ~37 M gas. */
const WORDS_PER_CALL = 16_000
const MAX_GAS = 50_000_000n

export type FullV3State = V3PoolState & { liquidityGross: Map<number, bigint> }

function wordRange(tickSpacing: number): [number, number] {
  return [position(Math.floor(MIN_TICK / tickSpacing)).wordPos, position(Math.floor(MAX_TICK / tickSpacing)).wordPos]
}

/** Every field a local quote reads, in full, for each pool at `blockNumber` (throws on any failed read). */
export async function readV3Full({ client, multicall3, heads, blockNumber }: { client: RpcClient; multicall3: Address; heads: V3Head[]; blockNumber: bigint }): Promise<Map<Address, FullV3State>> {
  const groups: V3Head[][] = []
  let cost = Infinity
  for (const head of heads) {
    const [min, max] = wordRange(head.tickSpacing)
    const words = max - min + 1
    if (cost + words > WORDS_PER_CALL) {
      groups.push([])
      cost = 0
    }
    groups.at(-1)!.push(head)
    cost += words
  }
  const read = await Promise.all(groups.map((group) => readGroup(client, multicall3, group, blockNumber)))
  return new Map(read.flat())
}

async function readGroup(client: RpcClient, multicall3: Address, heads: V3Head[], blockNumber: bigint): Promise<[Address, FullV3State][]> {
  const calls = heads.map((head) => {
    const [min, max] = wordRange(head.tickSpacing)
    return { target: head.address, allowFailure: false, callData: encodeFunctionData({ abi, functionName: 'snapshot', args: [min, max, head.tickSpacing] }) }
  })
  const { data } = await client.call({
    to: multicall3, blockNumber, gas: MAX_GAS,
    data: encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [calls] }),
    stateOverride: heads.map((head) => ({ address: head.address, code: runtime })),
  })
  if (!data) throw new Error('V3 lens: empty answer')
  const results = decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data })
  return heads.map((head, i) => {
    const [slot0, liquidityWord, words, bitmaps, ticks, infos] = decodeFunctionResult({ abi, functionName: 'snapshot', data: results[i]!.returnData }) as [bigint, bigint, readonly number[], readonly bigint[], readonly number[], readonly bigint[]]
    const [minWord, maxWord] = wordRange(head.tickSpacing)
    const bitmap: TickBitmap = { words: new Map(words.map((w, k) => [w, bitmaps[k]!])), minWord, maxWord }
    const liquidityNet = new Map<number, bigint>()
    const liquidityGross = new Map<number, bigint>()
    ticks.forEach((tick, k) => {
      liquidityGross.set(tick, infos[k]! & MASK_128)
      liquidityNet.set(tick, BigInt.asIntN(128, infos[k]! >> 128n))
    })
    const state: FullV3State = {
      sqrtPriceX96: slot0 & MASK_160,
      tick: Number(BigInt.asIntN(24, (slot0 >> 160n) & MASK_24)),
      liquidity: liquidityWord & MASK_128,
      fee: head.fee, tickSpacing: head.tickSpacing,
      bitmap, liquidityNet, liquidityGross,
    }
    return [head.address, state]
  })
}

const MASK_24 = (1n << 24n) - 1n
const MASK_128 = (1n << 128n) - 1n
const MASK_160 = (1n << 160n) - 1n
