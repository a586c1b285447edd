import { decodeFunctionData, decodeFunctionResult, encodeFunctionData, type Abi, type Address, type Hex } from 'viem'
import { ETH_CALL_GAS_CAP } from '../config/fields.ts'
import { MULTICALL_BASE_GAS } from '../config/resolve.ts'
import { classify } from '../rpc/classify.ts'
import type { RpcClient } from '../rpc/client.ts'
import { multicall3Abi } from './abis.ts'

/**
 * Chunking for plain state reads (slot0, bitmap words, ticks, balances: a few cold SLOADs
 * each): 2,000 calls × 20,000 gas + the base = 41 M gas per eth_call, under Nitro's 50 M cap.
 */
export const READ_CHUNK = { batchSize: 2_000, gasPerCall: 20_000 } as const

/** Second round for calls that failed with too little gas: 4 per eth_call at 12 M each. */
const ESCALATED = { batchSize: 4, gasPerCall: 12_000_000 } as const
/** Last round: one call alone with the whole eth_call cap. */
const ALONE = { batchSize: 1, gasPerCall: ETH_CALL_GAS_CAP - MULTICALL_BASE_GAS } as const

export type Call = { target: Address; callData: Hex }
export type CallResult = { ok: true; data: Hex } | { ok: false; error: string; infra: boolean }

export type Aggregate3Parameters = {
  client: RpcClient
  multicall3: Address
  calls: Call[]
  blockNumber: bigint
  /** Calls per eth_call. */
  batchSize: number
  /** Gas budget per call; the eth_call gets calls × this + the base, explicitly (never the node's default). */
  gasPerCall: number
  /**
   * Calls that fail (a revert, or their chunk running out of gas) are tried again with more
   * gas — 12 M each, then alone with the whole 50 M cap — before the failure is believed. A
   * quoter walking many ticks can need ~5 M gas: too little gas must never read as a revert.
   */
  escalate?: boolean
}

/**
 * Multicall3 `aggregate3` with allowFailure, at one pinned block, in chunks. A reverted
 * call is a failed result; a failed chunk (transport, node error) fails only its calls.
 */
export async function aggregate3(params: Aggregate3Parameters): Promise<CallResult[]> {
  const results = await round(params, params.calls, params)
  if (!params.escalate) return results
  for (const budget of [ESCALATED, ALONE]) {
    const again = results.flatMap((result, index) => (!result.ok && !result.infra ? [index] : []))
    if (!again.length) break
    const retried = await round(params, again.map((index) => params.calls[index]!), budget)
    again.forEach((index, k) => { results[index] = retried[k]! })
  }
  return results
}

async function round({ client, multicall3, blockNumber }: Aggregate3Parameters, calls: Call[], { batchSize, gasPerCall }: { batchSize: number; gasPerCall: number }): Promise<CallResult[]> {
  const chunks: Call[][] = []
  for (let i = 0; i < calls.length; i += batchSize) chunks.push(calls.slice(i, i + batchSize))
  const results = await Promise.all(chunks.map(async (chunk): Promise<CallResult[]> => {
    const data = encodeFunctionData({
      abi: multicall3Abi,
      functionName: 'aggregate3',
      args: [chunk.map((call) => ({ target: call.target, allowFailure: true, callData: call.callData }))],
    })
    try {
      const { data: raw } = await client.call({ to: multicall3, data, blockNumber, gas: BigInt(chunk.length * gasPerCall + MULTICALL_BASE_GAS) })
      if (!raw) throw new Error('empty aggregate3 response')
      const decoded = decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data: raw })
      if (decoded.length !== chunk.length) throw new Error(`aggregate3 returned ${decoded.length} results for ${chunk.length} calls`)
      return decoded.map((result) => result.success
        ? { ok: true, data: result.returnData }
        : { ok: false, error: revertReason(result.returnData), infra: false })
    } catch (error) {
      const fault = classify(error)
      // The EVM's own answer (Multicall3 itself out of gas): the calls failed, the RPC did not.
      const infra = fault.kind !== 'execution'
      return chunk.map(() => ({ ok: false, error: fault.message, infra }))
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
