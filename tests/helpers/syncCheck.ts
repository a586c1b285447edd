import { expect } from 'bun:test'
import { fetchQuotes } from '../../lib/chain/quotes.ts'
import type { Config } from '../../lib/config/resolve.ts'
import type { RpcClient } from '../../lib/rpc/client.ts'
import type { SyncEngine } from '../../lib/sync/engine.ts'

/** Local quotes from the synced state = the venues' own quoters at the same block, every pool, size and side. Returns how many. */
export async function quotesAgree(client: RpcClient, config: Config, engine: SyncEngine): Promise<number> {
  const block = BigInt(engine.block)
  const pools = engine.registered()
  const [local, onchain] = await Promise.all([
    fetchQuotes(client, config, pools, block, { quoter: 'local', states: engine.localStates() }),
    fetchQuotes(client, config, pools, block, { quoter: 'onchain' }),
  ])
  const view = (q: (typeof local)[number]) => (q.ok ? [q.request.id, 'ok', q.amountIn.toString(), q.amountOut.toString()] : [q.request.id, q.code])
  expect(local.map(view)).toEqual(onchain.map(view))
  // Every quote of a pool with a complete state is local: nothing fell back on-chain.
  expect(local.filter((q) => q.ok && q.quoter === 'onchain')).toEqual([])
  return local.length
}
