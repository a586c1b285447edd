import type { RegisteredPool } from '../chain/registry.ts'
import type { Config } from '../config/resolve.ts'
import type { LocalStates } from '../quote/localQuote.ts'
import type { RpcClient } from '../rpc/client.ts'
import { readAlgebraStates } from './algebraState.ts'
import { readV3States } from './v3State.ts'

/**
 * Local mode's extra read at the pinned block: V3 bitmap words and ticks (2 batched rounds;
 * slot0 came with the registry) and Algebra tick trees (3 rounds), run side by side. A failed read leaves the pools to the
 * on-chain quoters: it never fails the cycle. (V2 reserves come with the registry.)
 */
export async function readLocalStates(client: RpcClient, config: Config, pools: RegisteredPool[], blockNumber: bigint): Promise<LocalStates> {
  const of = (type: string) => pools.filter((p) => p.venue.type === type).map((p) => p.address)
  const [v3, algebra] = await Promise.all([
    readV3States({ client, multicall3: config.multicall3, blockNumber, wordRadius: config.quoting.word_radius, pools: pools.flatMap((p) => (p.v3 ? [p.v3] : [])) }).catch(() => new Map()),
    readAlgebraStates({ client, multicall3: config.multicall3, blockNumber, pools: of('algebra') }).catch(() => new Map()),
  ])
  return { v3, algebra }
}
