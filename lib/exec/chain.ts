import { decodeFunctionResult, encodeFunctionData, type Address, type Hex } from 'viem'
import { erc20Abi, multicall3Abi } from '../chain/abis.ts'
import type { RpcClient } from '../rpc/client.ts'
import { arbEvent, type ArbEvent } from '../sim/executor.ts'

/**
 * The chain as execution reads it: the head, the signer's nonce and balances, the executor's
 * token balances, receipts. One round of parallel requests per question; every read names
 * its block so two reads of one decision see one state.
 */
export type Head = { number: number; timestamp: number; baseFeeWei: bigint | null }

export type Balances = { signerWei: bigint; nonce: number; executor: Map<Address, bigint> }

export type Receipt = {
  block: number
  status: 'success' | 'reverted'
  gasUsed: bigint
  effectiveGasPrice: bigint
  l1GasUsed: bigint | null
  event: ArbEvent | null
}

export class ExecChain {
  constructor(readonly client: RpcClient, private readonly multicall3: Address) {}

  async head(): Promise<Head> {
    const block = await this.client.getBlock({ blockTag: 'latest' })
    return { number: Number(block.number), timestamp: Number(block.timestamp), baseFeeWei: block.baseFeePerGas ?? null }
  }

  /** The signer's ETH and nonce and the executor's token balances, all at `block`. */
  async balances(signer: Address, executor: Address, tokens: readonly Address[], block: number): Promise<Balances> {
    const blockNumber = BigInt(block)
    const [signerWei, nonce, executorBalances] = await Promise.all([
      this.client.getBalance({ address: signer, blockNumber }),
      this.client.getTransactionCount({ address: signer, blockNumber }),
      this.tokenBalances(executor, tokens, blockNumber),
    ])
    return { signerWei, nonce, executor: executorBalances }
  }

  /** Arbitrum keeps no pending pool: `latest` is the nonce the next transaction must carry. */
  async nonce(signer: Address): Promise<number> {
    return this.client.getTransactionCount({ address: signer, blockTag: 'latest' })
  }

  async tokenBalances(holder: Address, tokens: readonly Address[], blockNumber: bigint): Promise<Map<Address, bigint>> {
    if (!tokens.length) return new Map()
    const calls = tokens.map((token) => ({ target: token, allowFailure: false, callData: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [holder] }) }))
    const { data } = await this.client.call({ to: this.multicall3, blockNumber, data: encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3', args: [calls] }) })
    const results = decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data: data ?? '0x' })
    return new Map(tokens.map((token, i) => [token, decodeFunctionResult({ abi: erc20Abi, functionName: 'balanceOf', data: results[i]!.returnData }) as bigint]))
  }

  /** A receipt, or null while the transaction is not in a block. */
  async receipt(hash: Hex, executor: Address): Promise<Receipt | null> {
    let raw: Awaited<ReturnType<RpcClient['getTransactionReceipt']>>
    try {
      raw = await this.client.getTransactionReceipt({ hash })
    } catch (error) {
      if ((error as { name?: string }).name === 'TransactionReceiptNotFoundError') return null
      throw error
    }
    const l1 = (raw as unknown as { gasUsedForL1?: bigint | string }).gasUsedForL1
    return {
      block: Number(raw.blockNumber),
      status: raw.status,
      gasUsed: raw.gasUsed,
      effectiveGasPrice: raw.effectiveGasPrice,
      l1GasUsed: l1 === undefined ? null : BigInt(l1),
      event: arbEvent(raw.logs, executor),
    }
  }
}
