import type { Config } from '../config/resolve.ts'
import { InfraError } from '../errors.ts'
import { redactText } from '../redact.ts'
import type { CycleSource } from '../scan/run.ts'
import type { CycleInput } from '../scan/types.ts'
import { fetchQuotes } from './quotes.ts'
import { discoverPools } from './registry.ts'
import { createRpcClient } from './rpc.ts'

/**
 * REAL mode: each cycle pins one block (number, timestamp and base fee from the same
 * header), then discovers, verifies and quotes at exactly that block number.
 */
export function chainSource(config: Config, urls: string[]): CycleSource {
  const { client, stats } = createRpcClient(urls, config.rpc)
  let chainChecked = false

  return {
    async readCycle(cycle): Promise<CycleInput> {
      stats.reset()
      const base = {
        runMode: 'REGISTRY_REAL', quoteSource: 'onchain', synthetic: false, cycle, chainId: config.chain.chainId,
      } as const
      const failed = (why: string): CycleInput => ({
        ...base, block: 0, pinError: redactText(why), blockTimestamp: null, gasPriceWei: null,
        pools: [], dropped: [], quotes: [], rpc: stats.health(),
      })

      if (!chainChecked) {
        let chainId: number
        try {
          chainId = await client.getChainId()
        } catch (error) {
          return failed(`eth_chainId failed: ${message(error)}`)
        }
        if (chainId !== config.chain.chainId) {
          throw new InfraError('CHAIN_MISMATCH', `RPC is on chain ${chainId}, the config expects ${config.chain.chainId} (${config.chain.name})`, {
            hint: 'point --rpc / ARBY_RPC_URLS at an endpoint of the configured chain, or use another --config',
          })
        }
        chainChecked = true
      }

      let header: { number: bigint | null; timestamp: bigint; baseFeePerGas: bigint | null }
      try {
        header = await client.getBlock({ blockTag: 'latest' })
      } catch (error) {
        return failed(`could not read the latest block: ${message(error)}`)
      }
      if (!header.number || header.number <= 0n) return failed(`latest block number is ${header.number}`)
      const blockNumber = header.number

      const registry = await discoverPools({ client, config, blockNumber })
      const quotes = await fetchQuotes(client, config, registry.pools, blockNumber)
      return {
        ...base,
        block: Number(blockNumber),
        pinError: null,
        blockTimestamp: Number(header.timestamp),
        gasPriceWei: header.baseFeePerGas,
        pools: registry.pools.map((pool) => pool.record),
        dropped: registry.dropped,
        quotes,
        rpc: stats.health(),
      }
    },
    async close() {},
  }
}

function message(error: unknown): string {
  const text = error instanceof Error ? (error as { shortMessage?: string }).shortMessage ?? error.message : String(error)
  return text.split('\n')[0] ?? 'unknown error'
}
