import type { Address } from 'viem'
import { creationEvents } from '../chain/abis.ts'
import type { Config, DexType } from '../config/resolve.ts'
import type { RpcClient } from '../rpc/client.ts'
import type { CreatedPool, UniverseCache } from './cache.ts'

/** A provider's refusal of a range or result size (Alchemy, Infura, QuickNode, Nitro wordings): read less at once. */
const TOO_MUCH = /range|too many|more than|limit|exceed|too large|response size|10000|timeout|timed out/i

export type DiscoverParameters = {
  client: RpcClient
  config: Config
  cache: UniverseCache
  /** The last block to read (a pinned block). */
  toBlock: bigint
  /** Where a factory never read before starts (its deployment block; 0 reads the whole history). */
  fromBlock?: bigint
  /** The first page's span and the widest one (each page that succeeds doubles it, each refusal halves it). */
  initialRange?: bigint
  maxRange?: bigint
  /** Every pool the factories created, whatever its tokens (`universe.pairs: all`), not only those between two listed tokens. */
  everyToken?: boolean
}

export type DiscoverResult = { pools: CreatedPool[]; requests: number; refusals: number; blocksRead: number }

/**
 * The pools the configured factories created between two tokens of interest (or between any
 * tokens: `everyToken`), read from their creation events with `eth_getLogs` (topics: token0 and
 * token1 each one of the configured tokens), page after page from where the cache stopped: a
 * refused page is read again at half the span, a served one doubles it. Every page is recorded
 * with its progress in one write.
 */
export async function discoverCreated({ client, config, cache, toBlock, fromBlock = 0n, initialRange = 10_000n, maxRange = 1_000_000n, everyToken = false }: DiscoverParameters): Promise<DiscoverResult> {
  const tokens = [...config.tokens.values()].map((t) => t.address.toLowerCase() as Address).sort()
  // Progress is kept per filter: reading every token's pools is its own filter ('*').
  const filter = everyToken ? '*' : tokens.join(',')
  const factories = new Map<string, DexType>()
  for (const venue of config.venues) factories.set(venue.factory.toLowerCase(), venue.type)
  const out: DiscoverResult = { pools: [], requests: 0, refusals: 0, blocksRead: 0 }
  for (const [factory, type] of factories) {
    const done = cache.progress(factory, filter)
    let from = done === null ? fromBlock : BigInt(done) + 1n
    let range = initialRange
    while (from <= toBlock) {
      const to = from + range - 1n < toBlock ? from + range - 1n : toBlock
      out.requests++
      let logs
      try {
        logs = await client.getLogs({ address: factory as Address, event: creationEvents[type], args: everyToken ? undefined : { token0: tokens, token1: tokens }, fromBlock: from, toBlock: to, strict: true })
      } catch (error) {
        const text = error instanceof Error ? `${error.message} ${(error as { details?: string }).details ?? ''}` : String(error)
        if (!TOO_MUCH.test(text) || range === 1n) throw error
        out.refusals++
        range = range / 2n
        continue
      }
      const pools = logs.map((log) => createdPool(factory, log.args, Number(log.blockNumber)))
      cache.record(factory, filter, Number(to), pools)
      out.blocksRead += Number(to - from + 1n)
      from = to + 1n
      range = range * 2n < maxRange ? range * 2n : maxRange
    }
    out.pools.push(...cache.pools(factory).filter((p) => everyToken || (tokens.includes(p.token0 as Address) && tokens.includes(p.token1 as Address))))
  }
  return out
}

/** A creation event's arguments (any factory kind) as the pool it announced. */
export function createdPool(factory: string, args: unknown, block: number): CreatedPool {
  const a = args as { token0: string; token1: string; fee?: number; pool?: string; pair?: string }
  return { factory: factory.toLowerCase(), address: (a.pool ?? a.pair)!.toLowerCase(), token0: a.token0.toLowerCase(), token1: a.token1.toLowerCase(), fee: a.fee ?? null, block }
}

/** The created pools the scan would trade: a configured pair on a configured venue (its fee tier). */
export function poolsOfInterest(config: Config, created: readonly CreatedPool[]): { pair: string; venue: string; address: string; block: number }[] {
  const out: { pair: string; venue: string; address: string; block: number }[] = []
  for (const pool of created) {
    const tokens = new Set([pool.token0, pool.token1])
    const pair = config.pairs.find((p) => tokens.has(p.base.address.toLowerCase()) && tokens.has(p.quote.address.toLowerCase()))
    const venue = config.venues.find((v) => v.factory.toLowerCase() === pool.factory && (v.type !== 'uniswap_v3' || v.fee === pool.fee))
    if (pair && venue) out.push({ pair: pair.name, venue: venue.key, address: pool.address, block: pool.block })
  }
  return out.sort((a, b) => a.pair.localeCompare(b.pair) || a.venue.localeCompare(b.venue))
}
