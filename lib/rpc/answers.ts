import * as v from 'valibot'
import { HexBytes } from '../contract/primitives.ts'

/**
 * The shapes of the JSON-RPC answers ARBY reads, checked at the boundary: a node that
 * answers `eth_blockNumber` with -5 or `eth_call` with a number is a faulty endpoint (tried
 * elsewhere, counted), never a value that travels on into an artifact.
 */
const Quantity = v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{1,64}$/))
const Data = HexBytes
const Hash = v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{64}$/))

const Block = v.looseObject({
  number: Quantity,
  hash: v.nullable(Hash),
  parentHash: Hash,
  timestamp: Quantity,
  baseFeePerGas: v.optional(v.nullable(Quantity)),
  gasLimit: Quantity,
})

const SimulatedBlocks = v.array(v.looseObject({
  number: Quantity,
  calls: v.array(v.looseObject({ returnData: Data, gasUsed: Quantity, status: Quantity, logs: v.array(v.unknown()) })),
}))

const Receipt = v.looseObject({
  transactionHash: Hash,
  blockNumber: Quantity,
  status: v.picklist(['0x0', '0x1']),
  gasUsed: Quantity,
  effectiveGasPrice: Quantity,
  logs: v.array(v.looseObject({ address: v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{40}$/)), data: Data, topics: v.array(Hash) })),
  gasUsedForL1: v.optional(Quantity),
})

const LogEntry = v.looseObject({
  address: v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{40}$/)),
  data: Data,
  topics: v.array(Hash),
  blockNumber: Quantity,
  blockHash: Hash,
  logIndex: Quantity,
})

const ANSWERS: Record<string, v.GenericSchema> = {
  eth_chainId: Quantity,
  eth_blockNumber: Quantity,
  eth_gasPrice: Quantity,
  eth_estimateGas: Quantity,
  eth_getTransactionCount: Quantity,
  eth_getBalance: Quantity,
  eth_call: Data,
  eth_getCode: Data,
  eth_getStorageAt: Data,
  eth_sendRawTransaction: Hash,
  eth_getBlockByNumber: v.nullable(Block),
  eth_getBlockByHash: v.nullable(Block),
  eth_simulateV1: SimulatedBlocks,
  eth_getTransactionReceipt: v.nullable(Receipt),
  eth_getLogs: v.array(LogEntry),
}

export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswerError'
}

/** Throws MalformedAnswerError when a known method's answer has the wrong shape. */
export function checkAnswer(method: string, answer: unknown): void {
  const schema = ANSWERS[method]
  if (!schema) return
  const result = v.safeParse(schema, answer)
  if (!result.success) {
    const shown = JSON.stringify(answer) ?? String(answer)
    throw new MalformedAnswerError(`${method} answered ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}, not a valid ${method} result`)
  }
}
