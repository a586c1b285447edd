import { decodeFunctionResult, encodeFunctionData, parseAbi, type Address, type Hex } from 'viem'
import type { RpcClient } from '../rpc/client.ts'
import { arbEvent, decodeRevert, executorAbi, type ArbEvent, type DecodedRevert } from './executor.ts'
import type { Plan } from './plan.ts'

/** Arbitrum's NodeInterface: a virtual contract reachable only through eth_call to 0x…C8. */
export const NODE_INTERFACE: Address = '0x00000000000000000000000000000000000000C8'
const nodeInterfaceAbi = parseAbi(['function gasEstimateL1Component(address to, bool contractCreation, bytes data) payable returns (uint64 gasEstimateForL1, uint256 baseFee, uint256 l1BaseFeeEstimate)'])

export type SimulationTarget = {
  /** The executor's address (deployed, or where its code is placed for the simulation). */
  to: Address
  /** The sender: the executor's owner. */
  from: Address
  /** Runtime code placed at `to` by state override; null when a deployed executor is simulated as it is. */
  code: Hex | null
  l1: 'nodeinterface' | 'none'
}

export type Pin = { block: bigint; timestamp: bigint }

export type SimOutcome = {
  method: 'eth_simulateV1' | 'eth_call'
  ok: boolean
  /** The return value (profit) of a successful call. */
  profit: bigint | null
  event: ArbEvent | null
  revert: DecodedRevert | null
  gasUsed: bigint | null
  /** The L1 part in L2 gas; null when not asked for (l1 'none' gives 0) or when NodeInterface failed. */
  l1Gas: bigint | null
  l1Error: string | null
}

/**
 * Runs every plan's exact executor transaction at the pinned block, side by side (one round of
 * requests): `eth_simulateV1` with the executor's code placed by state override and the next
 * block's time set explicitly (gas as a receipt reports it), and NodeInterface's L1 estimate for
 * the same calldata. Endpoints without eth_simulateV1 get eth_call + eth_estimateGas instead.
 */
export async function simulatePlans(client: RpcClient, plans: Plan[], pin: Pin, target: SimulationTarget, support: { simulateV1: boolean }): Promise<SimOutcome[]> {
  return Promise.all(plans.map(async (plan) => {
    const [execution, l1] = await Promise.all([execute(client, plan.calldata, pin, target, support), l1Gas(client, plan.calldata, pin, target)])
    return { ...execution, ...l1 }
  }))
}

const overrides = (target: SimulationTarget) => (target.code ? [{ address: target.to, code: target.code }] : undefined)

async function execute(client: RpcClient, data: Hex, pin: Pin, target: SimulationTarget, support: { simulateV1: boolean }): Promise<Omit<SimOutcome, 'l1Gas' | 'l1Error'>> {
  if (support.simulateV1) {
    try {
      const [block] = await client.simulateBlocks({
        blockNumber: pin.block,
        blocks: [{ blockOverrides: { time: pin.timestamp + 1n }, stateOverrides: overrides(target), calls: [{ from: target.from, to: target.to, data }] }],
      })
      const call = block!.calls[0]!
      if (call.status === 'success') {
        return { method: 'eth_simulateV1', ok: true, profit: decodeProfit(call.data), event: arbEvent(call.logs ?? [], target.to), revert: null, gasUsed: call.gasUsed }
      }
      return { method: 'eth_simulateV1', ok: false, profit: null, event: null, revert: decodeRevert(call.data), gasUsed: call.gasUsed }
    } catch (error) {
      // The endpoint has no eth_simulateV1: fall back for this and every later simulation.
      if (!/method not found|not supported|does not exist|unknown method|-32601/i.test(message(error))) throw error
      support.simulateV1 = false
    }
  }
  const request = { account: target.from, to: target.to, data, blockNumber: pin.block, stateOverride: overrides(target) }
  try {
    const { data: returned } = await client.call(request)
    const gasUsed = await client.estimateGas(request)
    return { method: 'eth_call', ok: true, profit: decodeProfit(returned ?? '0x'), event: null, revert: null, gasUsed }
  } catch (error) {
    const raw = revertData(error)
    if (raw === null) throw error
    return { method: 'eth_call', ok: false, profit: null, event: null, revert: decodeRevert(raw), gasUsed: null }
  }
}

async function l1Gas(client: RpcClient, data: Hex, pin: Pin, target: SimulationTarget): Promise<Pick<SimOutcome, 'l1Gas' | 'l1Error'>> {
  if (target.l1 === 'none') return { l1Gas: 0n, l1Error: null }
  try {
    const { data: answer } = await client.call({
      to: NODE_INTERFACE, blockNumber: pin.block,
      data: encodeFunctionData({ abi: nodeInterfaceAbi, functionName: 'gasEstimateL1Component', args: [target.to, false, data] }),
    })
    const [gasEstimateForL1] = decodeFunctionResult({ abi: nodeInterfaceAbi, functionName: 'gasEstimateL1Component', data: answer ?? '0x' })
    return { l1Gas: gasEstimateForL1, l1Error: null }
  } catch (error) {
    return { l1Gas: null, l1Error: `NodeInterface.gasEstimateL1Component failed: ${message(error)}` }
  }
}

function decodeProfit(data: Hex): bigint {
  return decodeFunctionResult({ abi: executorAbi, functionName: 'arb', data }) as bigint
}

/** The revert data inside a viem call error, or null when the error is not a revert (an RPC failure). */
function revertData(error: unknown): Hex | null {
  let current = error as { data?: unknown; cause?: unknown; name?: string } | undefined
  for (let depth = 0; current && depth < 8; depth++, current = current.cause as typeof current) {
    if (typeof current.data === 'string' && current.data.startsWith('0x')) return current.data as Hex
    if (current.name === 'ContractFunctionRevertedError' || current.name === 'CallExecutionError') {
      if (/execution reverted/i.test(message(current))) return '0x'
    }
  }
  return null
}

function message(error: unknown): string {
  return error instanceof Error ? `${(error as { shortMessage?: string }).shortMessage ?? ''} ${error.message}` : String(error)
}
