import { decodeErrorResult, decodeEventLog, decodeFunctionData, encodeFunctionData, type Abi, type Address, type Hex, type Log } from 'viem'
import artifact from '../../contracts/ArbExecutor.json' with { type: 'json' }

/**
 * The executor contract as ARBY uses it: its ABI, its runtime code for any owner (the owner is
 * an immutable, so simulating with a state override needs the code with the simulating
 * sender baked in), the `arb` calldata, and the decoding of its answers and reverts.
 */
export const executorAbi = artifact.abi as Abi

/** Pool kinds, as the contract numbers them. */
export const POOL_KIND = { uniswap_v3: 0, algebra: 1, uniswap_v2: 2 } as const
export type PoolKind = (typeof POOL_KIND)[keyof typeof POOL_KIND]

export type ArbCall = {
  sellPool: Address
  sellKind: PoolKind
  buyPool: Address
  buyKind: PoolKind
  base: Address
  quote: Address
  size: bigint
  minProfit: bigint
}

export function encodeArb(call: ArbCall): Hex {
  return encodeFunctionData({
    abi: executorAbi,
    functionName: 'arb',
    args: [call.sellPool, call.sellKind, call.buyPool, call.buyKind, call.base, call.quote, call.size, call.minProfit],
  })
}

export function decodeArb(data: Hex): ArbCall {
  const { args } = decodeFunctionData({ abi: executorAbi, data })
  const [sellPool, sellKind, buyPool, buyKind, base, quote, size, minProfit] = args as [Address, number, Address, number, Address, Address, bigint, bigint]
  return { sellPool, sellKind: sellKind as PoolKind, buyPool, buyKind: buyKind as PoolKind, base, quote, size, minProfit }
}

/** The executor's creation code (its constructor takes the deployer as owner). */
export const EXECUTOR_BYTECODE = artifact.bytecode as Hex

/** The runtime code with `owner` in every immutable slot: what a deployment by `owner` would hold. */
export function executorRuntime(owner: Address): Hex {
  let code = artifact.deployedBytecode.slice(2)
  const word = owner.slice(2).toLowerCase().padStart(64, '0')
  for (const ranges of Object.values(artifact.immutableReferences as Record<string, { start: number; length: number }[]>)) {
    for (const { start, length } of ranges) code = code.slice(0, start * 2) + word.slice(64 - length * 2) + code.slice((start + length) * 2)
  }
  return `0x${code}` as Hex
}

/** A revert, decoded: the executor's custom errors, `Error(string)`, `Panic(uint256)`, else the raw selector. */
export type DecodedRevert = { name: string; args: string[]; text: string }

const STANDARD_ERRORS: Abi = [
  { type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] },
  { type: 'error', name: 'Panic', inputs: [{ name: 'code', type: 'uint256' }] },
]

export function decodeRevert(data: Hex | undefined | null): DecodedRevert {
  if (!data || data === '0x') return { name: 'EmptyRevert', args: [], text: 'reverted without data' }
  for (const abi of [executorAbi, STANDARD_ERRORS]) {
    try {
      const { errorName, args } = decodeErrorResult({ abi, data })
      const values = (args ?? []).map((arg) => String(arg))
      const text = errorName === 'Error' ? `reverted: ${values[0]}` : `${errorName}(${values.join(', ')})`
      return { name: errorName, args: values, text }
    } catch {
      // not this ABI
    }
  }
  return { name: 'Unknown', args: [data.slice(0, 10)], text: `reverted (${data.slice(0, 10)})` }
}

/** The `Arb` event of a receipt's logs, emitted by `executor`. */
export type ArbEvent = { sellPool: Address; buyPool: Address; size: bigint; quoteOut: bigint; quoteIn: bigint; profit: bigint }

export function arbEvent(logs: readonly Pick<Log, 'address' | 'data' | 'topics'>[], executor: Address): ArbEvent | null {
  for (const log of logs) {
    if (log.address.toLowerCase() !== executor.toLowerCase()) continue
    try {
      const { eventName, args } = decodeEventLog({ abi: executorAbi, data: log.data, topics: log.topics as [Hex, ...Hex[]] })
      if (eventName === 'Arb') return args as unknown as ArbEvent
    } catch {
      // another event
    }
  }
  return null
}
