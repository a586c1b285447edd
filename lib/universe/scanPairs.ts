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
    const widened = await readFailing(() => widenPairs(client, config, head), 'check --rpc (or ARBY_RPC_URLS); or list the pairs and set universe.pairs: configured')
    const found = widened.pairs.slice(config.pairs.length)
    config.pairs = widened.pairs
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
 * `universe.pairs: all` in a synced run: when the factories create pools of no pair scanned,
 * the token pairs of those pools that now qualify (two venues, floors) are added and the universe
 * read again. Only those token pairs are looked at: a pair left out at the start for its floor
 * joins when a new pool of it is created, or at the next start.
 */
export function widenMidRun(config: Config, devnet: boolean, client: () => RpcClient): ((blockNumber: bigint, created: readonly CreatedPool[]) => Promise<boolean>) | undefined {
  if (config.universe.pairs !== 'all') return undefined
  return async (blockNumber, created) => {
    const only = new Set(created.map((pool) => tokenPairKey(pool.token0, pool.token1)))
    const { added, tokens } = await widenToAllPools(client(), config, devnet, blockNumber, only)
    if (added.length) log.info(`universe: new pair${added.length > 1 ? 's' : ''} at block ${blockNumber}: ${added.map((p) => `${p.name} (anchor ${p.anchor})`).join(', ')}${tokens.length ? `; token(s) not listed: ${tokens.map((t) => `${t.symbol} ${t.address}`).join(', ')}` : ''}; the universe is read again`)
    return added.length > 0
  }
}
