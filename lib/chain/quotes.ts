import type { Config } from '../config/resolve.ts'
import { localQuote, type LocalStates } from '../quote/localQuote.ts'
import { quoteId, type Quoter, type QuoteRequest, type QuoteResult, type Side } from '../scan/types.ts'
import { aggregate3, type Call } from './multicall.ts'
import { quoteCall, quoteFromAnswer } from './quoterCalls.ts'
import type { RegisteredPool } from './registry.ts'
import type { RpcClient } from '../rpc/client.ts'

const SIDES: Side[] = ['sell', 'buy']

export type FetchQuotesOptions = {
  quoter: Quoter
  /** Pool states read at the same block (local mode). */
  states?: LocalStates
  /**
   * Local quotes kept between blocks (sync mode): a pool that is the same object as before (the
   * sync engine hands out a new one whenever its state may have changed) answers with the quotes
   * computed from it (same state, same integers).
   */
  memo?: QuoteMemo
}

/** Each pool's quotes, by the pool object they were computed from (only pools quoted wholly locally). */
export type QuoteMemo = WeakMap<RegisteredPool, QuoteResult[]>

/**
 * Directional quotes for every registered pool, size and side, at the pinned block.
 * sell = exact input base→quote; buy = exact output quote→base. A buy of at least the
 * pool's base holding is refused up front, and a swap that reaches its price limit before
 * filling is refused after (both POOL_NO_LIQUIDITY). In local mode quotes come
 * from exact local math where the state allows; the rest from the on-chain quoters, in
 * Multicall3 batches.
 */
export async function fetchQuotes(client: RpcClient, config: Config, pools: RegisteredPool[], blockNumber: bigint, options: FetchQuotesOptions = { quoter: 'onchain' }): Promise<QuoteResult[]> {
  const results: QuoteResult[] = []
  const pending: { request: QuoteRequest; call: Call }[] = []
  for (const pool of pools) {
    const kept = options.memo?.get(pool)
    if (kept) {
      for (const result of kept) results.push(result)
      continue
    }
    const mine: QuoteResult[] = []
    let local = true
    for (const request of requestsOf(pool)) {
      const { side, size } = request
      // A pool cannot pay out more base than it holds (V2: than its reserve): no quote is taken.
      const holds = pool.reserves ? pool.reserves[pool.baseIsToken0 ? 0 : 1] : pool.baseBalance
      if (side === 'buy' && size >= holds) {
        mine.push({ request, quoter: options.quoter, ok: false, code: 'POOL_NO_LIQUIDITY', reason: `the pool holds ${holds} ${pool.pair.base.symbol} units; buying ${size} would empty it` })
        continue
      }
      const answer = options.quoter === 'local' && options.states ? localQuote(request, pool, options.states, config.gas) : null
      if (answer) mine.push(answer)
      else {
        pending.push({ request, call: quoteCall(request) })
        local = false
      }
    }
    for (const result of mine) results.push(result)
    // Only wholly local answers are kept (on-chain answers are never memoised).
    if (options.memo && local) options.memo.set(pool, mine)
  }
  const answers = pending.length === 0 ? [] : await aggregate3({
    client, multicall3: config.multicall3, calls: pending.map((p) => p.call), blockNumber,
    batchSize: config.rpc.batch_size, gasPerCall: config.rpc.gas_per_call, escalate: true,
  })
  pending.forEach(({ request }, i) => {
    const answer = answers[i]!
    if (!answer.ok) {
      results.push({ request, quoter: 'onchain', ok: false, code: answer.infra ? 'INFRA_RPC_ERROR' : 'QUOTE_REVERT', reason: answer.error })
      return
    }
    try {
      results.push(quoteFromAnswer(request, answer.data))
    } catch {
      results.push({ request, quoter: 'onchain', ok: false, code: 'QUOTE_REVERT', reason: `undecodable quote answer (${answer.data.slice(0, 10)})` })
    }
  })
  // Stable order: the configured order of pairs, venues, sides and sizes. A pool's local answers
  // come in its side and size order, so with no on-chain answer the pools' order decides (checked
  // against the last list found in order); else one number per quote is sorted on (ranks looked up once per quote).
  const ranks = ranksOf(config)
  const poolRank = (pool: { pair: QuoteRequest['pair']; venue: QuoteRequest['venue'] }) => ranks.pairs.get(pool.pair)! * config.venues.length + ranks.venues.get(pool.venue)!
  if (pending.length === 0 && inConfigOrder(config, pools, poolRank)) return results
  const keys = results.map(({ request: r }) => (poolRank(r) * SIDES.length + SIDES.indexOf(r.side)) * 64 + r.pair.sizes.indexOf(r.size))
  if (keys.every((key, i) => i === 0 || keys[i - 1]! < key)) return results
  return results.map((result, i) => ({ result, key: keys[i]! })).sort((a, b) => a.key - b.key).map((k) => k.result)
}

/**
 * A pool's quote requests — sides, then sizes — made once per pool, pair and venue (a pool's
 * quotes are asked again each block its state moves; their ids need not be built again).
 */
const requestCache = new WeakMap<QuoteRequest['pair'], Map<string, QuoteRequest[]>>()
function requestsOf(pool: RegisteredPool): QuoteRequest[] {
  let byPool = requestCache.get(pool.pair)
  if (!byPool) requestCache.set(pool.pair, byPool = new Map())
  let requests = byPool.get(pool.address)
  if (!requests || requests.some((request) => request.venue !== pool.venue || request.fee !== pool.fee)) {
    requests = SIDES.flatMap((side) => pool.pair.sizes.map((size): QuoteRequest => ({
      id: quoteId(pool.pair.name, pool.venue.key, side, size),
      pair: pool.pair, venue: pool.venue, pool: pool.address, fee: pool.fee, side, size,
    })))
    byPool.set(pool.address, requests)
  }
  return requests
}

/**
 * Whether the pools come in the config's order, pair then venue. The last list found so is kept
 * per list of pairs: a synced run hands a new list each block with a few pools replaced by new
 * objects of the same pair and venue, and such a list is in the same order (no rank looked up).
 */
const ordered = new WeakMap<Config['pairs'], RegisteredPool[]>()
function inConfigOrder(config: Config, pools: RegisteredPool[], poolRank: (pool: RegisteredPool) => number): boolean {
  const last = ordered.get(config.pairs)
  let same = last?.length === pools.length
  for (let i = 0; same && i < pools.length; i++) {
    const pool = pools[i]!
    const was = last![i]!
    same = pool === was || (pool.pair === was.pair && pool.venue === was.venue)
  }
  if (!same) {
    for (let i = 1; i < pools.length; i++) if (poolRank(pools[i - 1]!) >= poolRank(pools[i]!)) return false
  }
  ordered.set(config.pairs, pools)
  return true
}

/** Each pair's and venue's place in the config, found once per list of pairs (a universe may widen it mid-run). */
const rankCache = new WeakMap<Config['pairs'], { pairs: Map<QuoteRequest['pair'], number>; venues: Map<QuoteRequest['venue'], number> }>()
function ranksOf(config: Config) {
  let ranks = rankCache.get(config.pairs)
  if (!ranks) rankCache.set(config.pairs, ranks = { pairs: new Map(config.pairs.map((pair, i) => [pair, i])), venues: new Map(config.venues.map((venue, i) => [venue, i])) })
  return ranks
}
