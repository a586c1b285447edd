import { decodeFunctionData, decodeFunctionResult, encodeFunctionData, type Abi, type Address, type Hex } from 'viem'
import { multicall3Abi } from './abis.ts'
import type { RpcClient } from '../rpc/client.ts'

/**
 * Chunking for plain state reads (slot0, bitmap words, ticks, balances: a few cold SLOADs
 * each): 2,000 calls × 20,000 gas + the base = 41 M gas per eth_call, under Nitro's 50 M cap.
 */
export const READ_CHUNK = { batchSize: 2_000, gasPerCall: 20_000 } as const

export type Call = { target: Address; callData: Hex }
export type CallResult = { ok: true; data: Hex } | { ok: false; error: string; infra: boolean }

export type Aggregate3Parameters = {
  client: RpcClient
  multicall3: Address
  calls: Call[]
  blockNumber: bigint
  /** Calls per eth_call. */
  batchSize: number
  /** Gas budget per call; the eth_call gets calls × this + BASE_GAS, explicitly (never the node's default). */
  gasPerCall: number
}

/**
 * Multicall3 `aggregate3` with allowFailure, at one pinned block, in chunks. A reverted
 * call is a failed result; a failed chunk (transport, node error) fails only its calls.
 */
/** Multicall3's own work and the 1/64 each call must leave behind. */
const BASE_GAS = 1_000_000

export async function aggregate3({ client, multicall3, calls, blockNumber, batchSize, gasPerCall }: Aggregate3Parameters): Promise<CallResult[]> {
  const chunks: Call[][] = []
  for (let i = 0; i < calls.length; i += batchSize) chunks.push(calls.slice(i, i + batchSize))
  const results = await Promise.all(chunks.map(async (chunk): Promise<CallResult[]> => {
    const data = encodeFunctionData({
      abi: multicall3Abi,
      functionName: 'aggregate3',
      args: [chunk.map((call) => ({ target: call.target, allowFailure: true, callData: call.callData }))],
    })
    try {
      const { data: raw } = await client.call({ to: multicall3, data, blockNumber, gas: BigInt(chunk.length * gasPerCall + BASE_GAS) })
      if (!raw) throw new Error('empty aggregate3 response')
      const decoded = decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data: raw })
      if (decoded.length !== chunk.length) throw new Error(`aggregate3 returned ${decoded.length} results for ${chunk.length} calls`)
      return decoded.map((result) => result.success
        ? { ok: true, data: result.returnData }
        : { ok: false, error: revertReason(result.returnData), infra: false })
    } catch (error) {
      const message = error instanceof Error ? (error as { shortMessage?: string }).shortMessage ?? error.message : String(error)
      return chunk.map(() => ({ ok: false, error: message.split('\n')[0] ?? 'rpc error', infra: true }))
    }
  }))
  return results.flat()
}

const ERROR_STRING = parseErrorAbi()

/** `Error(string)` reasons decoded; anything else shown as its selector. */
export function revertReason(data: Hex): string {
  if (data === '0x') return 'reverted without reason'
  try {
    const { args } = decodeFunctionData({ abi: ERROR_STRING, data })
    return `reverted: ${String(args?.[0])}`
  } catch {
    return `reverted (${data.slice(0, 10)})`
  }
}

function parseErrorAbi(): Abi {
  return [{ type: 'function', name: 'Error', stateMutability: 'pure', inputs: [{ name: 'reason', type: 'string' }], outputs: [] }]
}
