import { resolveEndpoints } from '../chain/endpoints.ts'
import { applyEnvOverrides } from '../config/env.ts'
import { loadConfig } from '../config/load.ts'
import type { Config } from '../config/resolve.ts'
import { DEVNET_GENESIS_NUMBER, startDevnet, type Devnet } from '../devnet/startDevnet.ts'
import { addDevnetVenues } from '../devnet/seedSpec.ts'
import { ArbyError, InfraError } from '../errors.ts'
import { log } from '../log.ts'
import { createRpcClient, type RpcClient } from '../rpc/client.ts'
import { redactText } from '../redact.ts'
import { UniverseCache } from './cache.ts'
import { discoverCreated, poolsOfInterest, type DiscoverResult } from './discover.ts'
import { pairsOfCreated, widenPairs } from './pairs.ts'

export type UniverseJob = { configPath: string; rpc: string[]; devnet: boolean; fromBlock: bigint | null; cachePath: string | null }

export type UniverseResult = {
  chain_id: number
  /** The config's `universe.pairs`. */
  universe: Config['universe']['pairs']
  block: number
  cache: string
  /** Pools created between two tokens of interest (any fee tier), and those on a configured pair and venue. */
  created: number
  pools: { pair: string; venue: string; address: string; block: number }[]
  requests: number
  refusals: number
  blocks_read: number
  /** `universe.pairs: all` or `tokens`: the pairs a scan would trade at this block (floors, anchors, sizes), and what it would leave out. */
  discovered?: { pairs: { pair: string; anchor: string; sizes: string[]; tokens_not_listed: string[] }[]; skipped: string[] }
}

/**
 * `arby universe`: the pools the configured factories created between tokens of interest, from
 * their creation events up to the head (pinned once), through the cache under data/.
 */
export async function universeJob({ configPath, rpc, devnet, fromBlock, cachePath }: UniverseJob): Promise<UniverseResult> {
  const config = applyEnvOverrides(loadConfig(configPath))
  let chain: Devnet | null = null
  try {
    let endpoints: string[]
    if (devnet) {
      // Seeded, not loaded: a loaded state keeps the accounts but not the blocks' logs.
      chain = await startDevnet({ state: 'fresh' })
      addDevnetVenues(config)
      endpoints = [chain.url]
    } else {
      endpoints = resolveEndpoints(config, { flags: rpc })
    }
    const { client, pool } = createRpcClient(endpoints, config)
    const where = historyOf(config, devnet)
    const path = cachePath ?? where.path
    try {
      const chainId = await client.getChainId()
      if (chainId !== config.chain.chainId) throw new InfraError('CHAIN_MISMATCH', `the RPC serves chain ${chainId}, the config is for ${config.chain.chainId}`, { hint: 'pass --rpc for the configured chain' })
      const head = await client.getBlockNumber()
      const start = fromBlock ?? where.start
      log.info(`reading creation events up to block ${head} (cache ${path})`)
      const all = config.universe.pairs === 'all'
      const found = await readCreated(client, config, { path, start, head, everyToken: all })
      // `all` and `tokens`: the pairs a scan would find at this head (`all`: its tokens not listed named as it would).
      const widened = all ? await pairsOfCreated(client, config, head, found.pools) : config.universe.pairs === 'tokens' ? { ...await widenPairs(client, config, head), tokens: [] } : null
      if (widened) {
        for (const token of widened.tokens) config.tokens.set(token.symbol, token)
        config.pairs = widened.pairs
      }
      return {
        chain_id: chainId, universe: config.universe.pairs, block: Number(head), cache: path, created: found.pools.length,
        pools: poolsOfInterest(config, found.pools), requests: found.requests, refusals: found.refusals, blocks_read: found.blocksRead,
        ...(widened && {
          discovered: {
            pairs: widened.pairs.map((p) => ({ pair: p.name, anchor: p.anchor, sizes: p.sizes.map(String), tokens_not_listed: [p.base, p.quote].filter((t) => t.discovered).map((t) => t.address) })),
            skipped: widened.skipped,
          },
        }),
      }
    } catch (error) {
      if (error instanceof ArbyError) throw error
      throw new InfraError('UNIVERSE_READ_FAILED', `the creation events could not be read: ${redactText(error instanceof Error ? (error as { shortMessage?: string }).shortMessage ?? error.message : String(error)).split('\n')[0]}`, { hint: 'check --rpc (or ARBY_RPC_URLS); --from-block narrows the history read' })
    } finally {
      pool.close()
    }
  } finally {
    await chain?.stop()
  }
}

/**
 * Where a chain's creation events are kept and read from: `universe.cache` (default under data/)
 * from `universe.from_block` — or, for the embedded devnet, in memory from its genesis (each one
 * is a new history, seeded at its own timestamps).
 */
export function historyOf(config: Config, devnet: boolean): { path: string; start: bigint } {
  return devnet
    ? { path: ':memory:', start: BigInt(DEVNET_GENESIS_NUMBER) }
    : { path: config.universe.cache ?? `data/universe/chain-${config.chain.chainId}.sqlite`, start: config.universe.fromBlock }
}

/**
 * The pools the configured factories created from `start` up to `head` (between listed tokens,
 * or any: `everyToken`), read through the cache at `path`, which is tied to this history by
 * `start`'s block hash.
 */
export async function readCreated(client: RpcClient, config: Config, { path, start, head, everyToken = false }: { path: string; start: bigint; head: bigint; everyToken?: boolean }): Promise<DiscoverResult> {
  const cache = UniverseCache.open(path, config.chain.chainId)
  try {
    cache.bindHistory(start, (await client.getBlock({ blockNumber: start })).hash!)
    return await discoverCreated({ client, config, cache, toBlock: head, fromBlock: start, everyToken })
  } finally {
    cache.close()
  }
}
