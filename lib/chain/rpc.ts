import { createPublicClient, fallback, http, type PublicClient } from 'viem'
import type { Config } from '../config/resolve.ts'
import { RpcStats } from './rpcStats.ts'

export type RpcClient = PublicClient

/**
 * A viem client over every endpoint (fetch-based http transports, falling back in
 * order), each with the config's timeout, retries and backoff, all instrumented.
 */
export function createRpcClient(urls: string[], rpc: Config['rpc']): { client: RpcClient; stats: RpcStats } {
  const stats = new RpcStats(urls)
  const transports = urls.map((url, index) => http(url, {
    timeout: rpc.timeout_ms,
    retryCount: rpc.retries,
    retryDelay: rpc.backoff_base_ms,
    fetchFn: stats.fetchFor(index),
  }))
  const client = createPublicClient({ transport: transports.length === 1 ? transports[0]! : fallback(transports) })
  return { client, stats }
}
