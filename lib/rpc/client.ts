import { createPublicClient, custom, type PublicClient } from 'viem'
import type { Config } from '../config/resolve.ts'
import { log } from '../log.ts'
import { RpcPool } from './pool.ts'

export type RpcClient = PublicClient

/** A viem client whose every request goes through the pool (fallback, limits, retries). */
export function createRpcClient(urls: string[], config: Config): { client: RpcClient; pool: RpcPool } {
  const pool = new RpcPool({
    urls,
    expectedChainId: config.chain.chainId,
    chainName: config.chain.name,
    timeoutMs: config.rpc.timeout_ms,
    retries: config.rpc.retries,
    backoffBaseMs: config.rpc.backoff_base_ms,
    ratePerSecond: config.rpc.rate_limit_rps,
    burst: config.rpc.burst,
    throttleLoopback: config.rpc.throttle_loopback,
    cycleRetryBudgetMs: config.rpc.cycle_retry_budget_ms,
    pinLagBlocks: config.rpc.pin_lag_blocks,
    onWarn: (message) => log.warn(message),
  })
  // The pool retries; viem must not retry on top of it.
  // cacheTime 0: viem would otherwise answer getBlockNumber from a 4 s cache — a stale head.
  const client = createPublicClient({ transport: custom({ request: pool.request }, { retryCount: 0 }), cacheTime: 0 })
  return { client, pool }
}
