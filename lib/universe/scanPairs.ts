import type { Config, Token } from '../config/resolve.ts'
import { ArbyError, InfraError, InputError } from '../errors.ts'
import { log } from '../log.ts'
import type { RpcClient } from '../rpc/client.ts'
import { historyOf, readCreated } from './job.ts'
import type { CreatedPool } from './cache.ts'
import { pairsOfCreated, tokenPairKey, widenPairs } from './pairs.ts'

/**
 * `universe.pairs: all`: the configured pairs and those of every pool the enabled venues'
 * factories created up to `head` (their creation events through the universe cache); the
 * tokens they trade that the config does not list join `config.tokens`. Returns the pairs added.
 */
async function widenToAllPools(client: RpcClient, config: Config, devnet: boolean, head: bigint, only?: ReadonlySet<string>): Promise<{ added: Config['pairs']; skipped: string[]; created: number; tokens: Token[] }> {
  const found = await readFailing(async () => {
    const created = await readCreated(client, config, { ...historyOf(config, devnet), head, everyToken: true })
    return pairsOfCreated(client, config, head, created.pools, only)
  })
  for (const token of found.tokens) config.tokens.set(token.symbol, token)
  const added = found.pairs.slice(config.pairs.length)
  config.pairs = found.pairs
  return { added, skipped: found.skipped, created: found.created, tokens: found.tokens }
}

/**
 * `universe.pairs: tokens`: the configured pairs and those of the listed tokens (`only`: these
 * token pairs) that qualify at `head`, set as `config.pairs`. Returns the pairs added.
 */
async function widenToListedPairs(client: RpcClient, config: Config, head: bigint, only?: ReadonlySet<string>, hint?: string): Promise<{ added: Config['pairs']; skipped: string[]; candidates: number }> {
  const widened = await readFailing(() => widenPairs(client, config, head, only), hint)
  const added = widened.pairs.slice(config.pairs.length)
  config.pairs = widened.pairs
  return { added, skipped: widened.skipped, candidates: widened.candidates }
}

/**
 * The pairs a run scans, found at its start: the configured ones, and with `universe.pairs:
 * tokens` those among the listed tokens, with `all` those of every pool the factories created.
 * What is left out is named in the log; nothing to scan is UNIVERSE_EMPTY.
 */
export async function pairsOfUniverse(client: RpcClient, config: Config, devnet: boolean): Promise<Config['pairs']> {
  const mode = config.universe.pairs
  if (mode === 'configured') return config.pairs
  const head = await client.getBlockNumber()
  let skipped: string[]
  if (mode === 'tokens') {
    const widened = await widenToListedPairs(client, config, head, undefined, 'check --rpc (or ARBY_RPC_URLS); or list the pairs and set universe.pairs: configured')
    const found = widened.added
    skipped = widened.skipped
    log.info(`universe: ${found.length} pair(s) found among the ${config.tokens.size} tokens (${widened.candidates} candidates, 2+ venues with pools)${found.length ? `: ${found.map((p) => `${p.name} (anchor ${p.anchor})`).join(', ')}` : ''}`)
  } else {
    log.info(`universe: reading every pool's creation event up to block ${head}`)
    const found = await widenToAllPools(client, config, devnet, head)
    skipped = found.skipped
    log.info(`universe: ${found.added.length} pair(s) found among ${found.created} pools on the enabled venues (${found.tokens.length} token(s) not listed: ${found.tokens.map((t) => `${t.symbol} ${t.address}`).join(', ') || 'none'})`)
  }
  if (skipped.length) log.warn(`universe: not scanned: ${skipped.slice(0, 12).join('; ')}${skipped.length > 12 ? `; and ${skipped.length - 12} more` : ''}`)
  if (!config.pairs.length) {
    throw new InputError('UNIVERSE_EMPTY', `no pair to scan: no two ${mode === 'tokens' ? 'listed ' : ''}tokens have pools on two enabled venues${mode === 'all' ? ' above the liquidity floors' : ''}`, {
      hint: mode === 'tokens' ? 'list more tokens (with sizes), or pairs, in the config; arby universe shows the pools the factories created' : 'set tokens.<quote>.min_liquidity for the quote tokens, or list pairs; arby universe shows the pools the factories created',
    })
  }
  return config.pairs
}

/** A discovery's failure that is not already ARBY's own, as UNIVERSE_READ_FAILED (exit 3). */
async function readFailing<T>(read: () => Promise<T>, hint = 'check --rpc (or ARBY_RPC_URLS); universe.from_block narrows the history read'): Promise<T> {
  try {
    return await read()
  } catch (error) {
    if (error instanceof ArbyError) throw error
    throw new InfraError('UNIVERSE_READ_FAILED', `the universe could not be discovered: ${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}`.split('\n')[0]!, { hint })
  }
}

/**
 * What a synced run does when the universe may have grown: `created`, the pools the factories
 * created of no pair scanned, or null at a full re-read (every `rediscover_every` blocks), where
 * every pair left out is looked at again (a pool may since hold its quote token's floor). True
 * when it added pairs to `config.pairs` (the universe is then read again at once).
 */
export type WidenMidRun = (blockNumber: bigint, created: readonly CreatedPool[] | null) => Promise<boolean>

/**
 * `universe.pairs: all` or `tokens` in a synced run: the token pairs that now qualify (two venues,
 * floors) among those of the new pools — or, at a full re-read, among all — are added. Pairs are
 * never dropped mid-run: one whose pools fell below the floor is still scanned (and rejected
 * with the reason) until the next start.
 */
export function widenMidRun(config: Config, devnet: boolean, client: () => RpcClient): WidenMidRun | undefined {
  const mode = config.universe.pairs
  if (mode === 'configured') return undefined
  return async (blockNumber, created) => {
    const only = created ? new Set(created.map((pool) => tokenPairKey(pool.token0, pool.token1))) : undefined
    let added: Config['pairs']
    let tokens: Token[] = []
    if (mode === 'all') ({ added, tokens } = await widenToAllPools(client(), config, devnet, blockNumber, only))
    else ({ added } = await widenToListedPairs(client(), config, blockNumber, only))
    if (added.length) log.info(`universe: new pair${added.length > 1 ? 's' : ''} at block ${blockNumber}${created ? '' : ' (pairs left out looked at again)'}: ${added.map((p) => `${p.name} (anchor ${p.anchor})`).join(', ')}${tokens.length ? `; token(s) not listed: ${tokens.map((t) => `${t.symbol} ${t.address}`).join(', ')}` : ''}; the universe is read again`)
    return added.length > 0
  }
}
