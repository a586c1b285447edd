import { decodeEventLog, decodeFunctionResult, encodeFunctionData, formatBlock, formatLog, numberToHex, toEventSelector, type Block, type Hex, type Log, type RpcBlock, type RpcLog } from 'viem'
import { creationEvents, erc20Abi, poolAbi } from '../chain/abis.ts'
import { aggregate3, READ_CHUNK } from '../chain/multicall.ts'
import type { RegisteredPool } from '../chain/registry.ts'
import type { Config } from '../config/resolve.ts'
import type { RegistryPool } from '../contract/parts.ts'
import { ContractError } from '../errors.ts'
import type { ClPoolState } from '../math/clSwap.ts'
import { isqrt } from '../math/sqrt.ts'
import type { LocalStates } from '../quote/localQuote.ts'
import type { RpcClient } from '../rpc/client.ts'
import { readAlgebraStates, type AlgebraPoolState } from '../state/algebraState.ts'
import { applyAlgebraLogs } from './algebraEvents.ts'
import { readV3Full } from '../state/v3Lens.ts'
import { MarketState } from './market.ts'
import { createdPool, poolsOfInterest } from '../universe/discover.ts'
import type { CreatedPool } from '../universe/cache.ts'
import type { PoolState, V3State } from './poolState.ts'
import { decodePoolEvent, POOL_EVENTS, TOPICS } from './eventWords.ts'
import type { V3Head } from '../state/v3State.ts'
import type { Header } from '../rpc/heads.ts'


/** `rereads`: Algebra pools read again because a block changed their fee, plugin or spacing; `algebraSwaps`: Algebra swaps applied from their events. */
export type SyncStats = { blocks: number; requests: number; rounds: number; logs: number; touched: number; reorgs: number; rereads: number; verified: number; algebraSwaps: number }

export type SyncParameters = {
  client: RpcClient
  config: Config
  /** Blocks of journal kept for reorgs. */
  depth?: number
  /** Every this many blocks, `verifySample` random pools are re-read in full and compared (0: never). */
  verifyEvery?: number
  verifySample?: number
  random?: () => number
  /** Several requests in one round trip (the pool's JSON-RPC batch); default: one request each, in parallel. */
  requestAll?: (requests: { method: string; params: unknown[] }[]) => Promise<unknown[]>
  /** Headers already known (announced by a head subscription): a round then asks only for logs. */
  headers?: (block: bigint) => Header | undefined
}

/** The synced state disagrees with a fresh read at the same block: stop, never heal silently. */
export class StateDivergence extends ContractError {
  constructor(block: number, details: string[]) {
    super('STATE_DIVERGED', `the synced market state differs from a fresh read at block ${block}`, { hint: 'this is a bug in ARBY; rerun with --verbose and report the scan.log', details })
  }
}

/**
 * The market state engine: pools are discovered and read in full once (every initialized tick),
 * then each new block costs one round of requests — the new blocks' headers (hashes, for
 * reorgs) and their logs: the pools' own events and the pool tokens' transfers — applied with
 * the contracts' exact integer semantics (V2, V3, and Algebra pools without plugin: swaps and
 * positions; an Algebra pool with any other event — fee, plugin, tick spacing — is re-read). A
 * parent-hash mismatch rolls the journal back to
 * the common ancestor; a sampled re-read compares and stops loudly on any difference.
 */
export class SyncEngine {
  readonly market: MarketState
  private pools: RegisteredPool[] = []
  private watching: { pools: RegisteredPool[]; list: ReturnType<SyncEngine['watchList']> } | null = null
  private algebra = new Map<string, AlgebraPoolState>()
  private balances = new Map<string, Map<string, bigint>>()
  private readonly verifyEvery: number
  private readonly verifySample: number
  private readonly random: () => number
  readonly stats: SyncStats = { blocks: 0, requests: 0, rounds: 0, logs: 0, touched: 0, reorgs: 0, rereads: 0, verified: 0, algebraSwaps: 0 }
  /** The synced block's header figures (what a cycle's artifacts need of it). */
  header: { timestamp: bigint; baseFeePerGas: bigint | null } = { timestamp: 0n, baseFeePerGas: null }
  /** Each configured factory's venue type, by lowercase address. */
  private factoryKinds: Map<string, Config['venues'][number]['type']> | null = null
  /** What a cycle reads of the state, kept while nothing replaced a state object; and the pools touched since the registry list was built. */
  private statesKept: LocalStates | null = null
  private registeredKept: { list: RegisteredPool[]; records: RegistryPool[]; index: Map<string, number> } | null = null
  private readonly touchedSince = new Set<string>()
  /**
   * Pools of interest a factory created since the last full read (its creation event was in a
   * block's logs): the universe is stale, and the caller discovers it again at the next block.
   */
  created: { venue: string; pair: string; pool: string; block: number }[] = []
  /**
   * Pools the configured factories created since the last full read that are of no pair scanned:
   * what `universe.pairs: all` may widen to (the caller decides, then clears them).
   */
  createdElsewhere: CreatedPool[] = []
  /** The pools that failed discovery at the last full read (the cycle's registry rejects). */
  dropped: import('../contract/parts.ts').DroppedPool[] = []

  constructor(private readonly p: SyncParameters) {
    this.market = new MarketState(p.depth ?? 64)
    this.verifyEvery = p.verifyEvery ?? 0
    this.verifySample = p.verifySample ?? 4
    this.random = p.random ?? Math.random
  }

  get block(): number {
    return this.market.block
  }

  /** Reads every pool in full at `block` (the registry's pools, verified at the same block). */
  async start(pools: RegisteredPool[], block: bigint): Promise<void> {
    this.pools = pools
    const [header, states, algebra] = await Promise.all([
      this.p.client.getBlock({ blockNumber: block }),
      this.readFull(pools.filter((p) => p.venue.type !== 'algebra'), block),
      this.readAlgebra(pools.filter((p) => p.venue.type === 'algebra'), block),
    ])
    this.count(3)
    this.market.reset(Number(block), header.hash!, states)
    this.voidKept()
    this.created = []
    this.createdElsewhere = []
    this.header = { timestamp: header.timestamp, baseFeePerGas: header.baseFeePerGas ?? null }
    this.algebra = algebra
    this.balances = new Map(pools.map((pool) => [pool.address.toLowerCase(), new Map([
      [pool.pair.base.address.toLowerCase(), BigInt(pool.record.base_balance)],
      [pool.pair.quote.address.toLowerCase(), BigInt(pool.record.quote_balance)],
    ])]))
  }

  /**
   * Moves the state to block `to`: one round (the pools' logs and the transfers from and to them,
   * with the headers of the first and last new block unless they were announced; one JSON-RPC
   * batch through `requestAll`), a rollback first if the chain reorganised under us.
   * Returns the pools whose state changed.
   */
  async advance(to: bigint): Promise<Set<string>> {
    const target = Number(to)
    if (target <= this.market.block) return new Set()
    const from = this.market.block + 1
    const watch = this.watchList()
    const announced = this.announcedChain(from, target)
    const addressQuery = (at: object) => ({ method: 'eth_getLogs', params: [{ address: watch.addresses, ...at }] })
    const topicQuery = (at: object) => ({ method: 'eth_getLogs', params: [{ topics: [BROADCAST_TOPICS], ...at }] })
    const blockQuery = (block: number) => ({ method: 'eth_getBlockByNumber', params: [numberToHex(block), false] })
    // Blocks whose headers were announced: their logs by block hash (a node that lacks a block
    // fails loudly; a range beyond a node's head would answer short, silently). Else a range,
    // with the first and last headers in the same round.
    const range = { fromBlock: numberToHex(from), toBlock: numberToHex(to) }
    const requests = announced
      ? announced.flatMap((header) => [addressQuery({ blockHash: header.hash }), topicQuery({ blockHash: header.hash })])
      : [addressQuery(range), topicQuery(range), blockQuery(from), ...target === from ? [] : [blockQuery(target)]]
    const answers = await (this.p.requestAll ?? ((all) => Promise.all(all.map((r) => this.p.client.request(r as never)))))(requests)
    this.count(requests.length)
    const logs = announced ? answers : answers.slice(0, 2)
    const watched = logs.filter((_, i) => i % 2 === 0).flatMap((raw) => (raw as RpcLog[]).map((log) => formatLog(log)))
    const broadcast = logs.filter((_, i) => i % 2 === 1).flat() as RpcLog[]
    const headers = announced ?? (answers.slice(2) as RpcBlock[]).map((raw) => headerOf(formatBlock(raw)))
    const first = headers[0]!
    const head = headers.at(-1)!
    if (first.parentHash !== this.market.hashOf(this.market.block)) {
      await this.reorg()
      return this.advance(to)
    }
    // The V2 and V3 pools' events and the transfers from and to any pool, out of every such log of the blocks.
    const poolLogs: Log[] = [...watched]
    const transfers: Log[] = []
    for (const raw of broadcast) {
      const address = raw.address.toLowerCase()
      if (raw.topics[0] === TRANSFER_TOPIC) {
        if (raw.topics.length === 3 && watch.tokens.has(address) && (watch.pools.has(topicAddress(raw.topics[1]!)) || watch.pools.has(topicAddress(raw.topics[2]!)))) transfers.push(formatLog(raw))
      } else if (watch.pools.has(address) && !watch.algebra.has(address)) {
        poolLogs.push(formatLog(raw))
      }
    }
    // Logs from a chain that changed between the requests: read the round again.
    const hashes = new Map(headers.map((header) => [Number(header.number), header.hash]))
    if ([...poolLogs, ...transfers].some((log) => hashes.has(Number(log.blockNumber)) && hashes.get(Number(log.blockNumber)) !== log.blockHash)) return this.advance(to)

    const touched = this.market.advance(target, head.hash, poolLogs, hashes)
    this.created.push(...this.creations(poolLogs))
    this.header = { timestamp: head.timestamp, baseFeePerGas: head.baseFeePerGas }
    this.applyTransfers(transfers, touched)
    // Algebra pools: swaps, mints and burns are applied from their events (the fee of a pool
    // without plugin is fixed); anything else (fee, plugin, tick spacing) re-reads the pool.
    const reread: RegisteredPool[] = []
    // Each query answers in chain order, and an Algebra pool's logs all come from one of them.
    const byPool = new Map<string, Log[]>()
    for (const log of watched) {
      const key = log.address.toLowerCase()
      if (!watch.algebra.has(key)) continue
      if (!byPool.has(key)) byPool.set(key, [])
      byPool.get(key)!.push(log)
    }
    for (const [key, logs] of byPool) {
      touched.add(key)
      const state = this.algebra.get(key)
      const done = state ? applyAlgebraLogs(state, logs) : { applied: false, swaps: 0 }
      if (done.applied) this.stats.algebraSwaps += done.swaps
      else reread.push(watch.algebraPools.get(key)!)
    }
    if (reread.length) {
      for (const [address, state] of await this.readAlgebra(reread, to)) this.algebra.set(address, state)
      this.statesKept = null
      this.stats.rereads += reread.length
      this.count(1)
    }
    this.stats.blocks += target - from + 1
    this.stats.logs += poolLogs.length + transfers.length
    this.stats.touched += touched.size
    for (const address of touched) this.touchedSince.add(address)
    if (this.verifyEvery > 0 && Math.floor(target / this.verifyEvery) !== Math.floor((from - 1) / this.verifyEvery)) await this.verify()
    return touched
  }

  /**
   * The announced headers of blocks `from`..`to`, when every one is known and they chain — the
   * first onto the synced block, each the parent of the next — and few enough for one batch;
   * else null (the round asks by range and reads the headers from the node: a reorg is then seen
   * on the node's chain, never re-detected forever on a stale announcement).
   */
  private announcedChain(from: number, to: number): Header[] | null {
    if (!this.p.headers || to - from + 1 > MAX_BLOCKS_BY_HASH) return null
    const chain: Header[] = []
    for (let block = from; block <= to; block++) {
      const header = this.p.headers(BigInt(block))
      const parent = chain.length ? chain.at(-1)!.hash : this.market.hashOf(this.market.block)
      if (!header || header.parentHash !== parent) return null
      chain.push(header)
    }
    return chain
  }

  /**
   * What a block's logs are read for, built once per universe: the Algebra pools and the
   * factories by address (every event of theirs: one not modelled re-reads an Algebra pool),
   * and the sets that pick the V2/V3 pools' events and the pool tokens' transfers out of the
   * broadcast query (by topic only: a short request whatever the universe's size).
   */
  private watchList(): { addresses: Hex[]; pools: Set<string>; algebra: Set<string>; algebraPools: Map<string, RegisteredPool>; tokens: Set<string> } {
    if (this.watching?.pools === this.pools) return this.watching.list
    const algebraPools = new Map(this.pools.filter((p) => p.venue.type === 'algebra').map((p) => [p.address.toLowerCase(), p]))
    const algebra = [...algebraPools.keys()]
    const list = {
      addresses: [...algebra, ...new Set(this.p.config.venues.map((v) => v.factory.toLowerCase()))] as Hex[],
      pools: new Set(this.pools.map((p) => p.address.toLowerCase())),
      algebra: new Set(algebra),
      algebraPools,
      tokens: new Set(this.pools.flatMap((p) => [p.pair.base.address.toLowerCase(), p.pair.quote.address.toLowerCase()])),
    }
    this.watching = { pools: this.pools, list }
    return list
  }

  /** The creation events among `logs` whose pool is one the config asks for (its pair, its fee tier); the others are kept in `createdElsewhere`. */
  private creations(logs: readonly Log[]): SyncEngine['created'] {
    const kinds = (this.factoryKinds ??= new Map(this.p.config.venues.map((v) => [v.factory.toLowerCase(), v.type])))
    const created: CreatedPool[] = []
    for (const log of logs) {
      const kind = kinds.get(lower(log.address))
      if (!kind) continue
      try {
        const { args } = decodeEventLog({ abi: [creationEvents[kind]], data: log.data, topics: log.topics as [Hex, ...Hex[]] })
        created.push(createdPool(log.address, args, Number(log.blockNumber)))
      } catch {
        // Another event of the factory (owner, fee tier enabled): not a creation.
      }
    }
    const interest = poolsOfInterest(this.p.config, created)
    const scanned = new Set(interest.map((p) => p.address))
    this.createdElsewhere.push(...created.filter((p) => !scanned.has(p.address)))
    return interest.map((p) => ({ venue: p.venue, pair: p.pair, pool: p.address, block: p.block }))
  }

  /** Finds the last block both chains share (walking back the journal's hashes), rolls back to it. */
  private async reorg(): Promise<void> {
    this.stats.reorgs++
    let block = this.market.block
    for (;;) {
      const header = await this.p.client.getBlock({ blockNumber: BigInt(block) })
      this.count(1)
      if (header.hash === this.market.hashOf(block)) break
      block--
      if (this.market.hashOf(block) === undefined) throw new StateDivergence(block, [`reorg deeper than the journal (${this.market.block - block} blocks)`])
    }
    this.market.rollback(block)
    this.voidKept()
    // Balances and Algebra pools are re-read at the ancestor (they keep no journal).
    await this.rereadSideState(BigInt(block))
  }

  private async rereadSideState(block: bigint): Promise<void> {
    this.algebra = await this.readAlgebra(this.pools.filter((p) => p.venue.type === 'algebra'), block)
    this.balances = await this.readBalances(block)
    this.statesKept = null
    this.registeredKept = null
    this.count(2)
  }

  private applyTransfers(logs: readonly Log[], touched: Set<string>): void {
    const ordered = [...logs].sort((a, b) => Number(a.blockNumber! - b.blockNumber!) || a.logIndex! - b.logIndex!)
    for (const log of ordered) {
      // A pool paying another pool moves both balances (one log, two holders).
      // Not an ERC-20 transfer (an NFT's carries its id as a third indexed topic): no pool token moved.
      const event = decodePoolEvent(log)
      if (event?.eventName !== 'Transfer') continue
      const { args } = event
      const token = log.address.toLowerCase()
      for (const [holder, sign] of [[args.from, -1n], [args.to, 1n]] as const) {
        const held = this.balances.get(holder)
        if (!held?.has(token)) continue
        held.set(token, held.get(token)! + sign * args.value)
        touched.add(holder)
      }
    }
  }

  /**
   * Re-reads `sample` random pools (V2 and V3) in full at the synced block and compares every
   * field a quote reads — reserves; price, tick, liquidity, every initialized tick's net and gross
   * and the bitmap — and the pools' token balances. Any difference stops the run.
   */
  async verify(sample = this.verifySample): Promise<void> {
    const block = BigInt(this.market.block)
    const candidates = this.pools
    const chosen = new Set<RegisteredPool>()
    while (chosen.size < Math.min(sample, candidates.length)) chosen.add(candidates[Math.floor(this.random() * candidates.length)]!)
    const picked = [...chosen]
    const [fresh, algebra, balances] = await Promise.all([
      this.readFull(picked.filter((p) => p.venue.type !== 'algebra'), block),
      this.readAlgebra(picked.filter((p) => p.venue.type === 'algebra'), block),
      this.readBalances(block, picked),
    ])
    this.count(3)
    const details: string[] = []
    for (const pool of chosen) {
      const key = pool.address.toLowerCase()
      if (pool.venue.type === 'algebra') details.push(...diffAlgebra(key, this.algebra.get(key), algebra.get(key)))
      else details.push(...diffState(key, this.market.get(pool.address)!, fresh.get(key)!))
      for (const [token, value] of balances.get(key)!) {
        if (this.balances.get(key)!.get(token) !== value) details.push(`${key} balance of ${token}: synced ${this.balances.get(key)!.get(token)} ≠ read ${value}`)
      }
    }
    this.stats.verified += chosen.size
    if (details.length) throw new StateDivergence(this.market.block, details.slice(0, 8))
  }

  /** A full read or a rollback: every state and pool object handed out before is void. */
  private voidKept(): void {
    this.statesKept = null
    this.registeredKept = null
  }

  /**
   * What local quoting reads: V3 and Algebra states by pool address. The state objects change in
   * place with each block's logs; the maps are built again only when one is replaced (a full
   * read, a rollback, an Algebra pool re-read).
   */
  localStates(): LocalStates {
    return (this.statesKept ??= this.buildLocalStates())
  }

  private buildLocalStates(): LocalStates {
    const v3 = new Map<string, V3State>()
    for (const pool of this.pools) {
      const state = this.market.get(pool.address)
      if (state?.kind === 'v3') v3.set(pool.address, state)
    }
    const algebra = new Map<string, ClPoolState>()
    for (const pool of this.pools) {
      const state = this.algebra.get(pool.address.toLowerCase())
      if (state) algebra.set(pool.address, state)
    }
    return { v3, algebra }
  }

  /**
   * The registry's pools with every figure of the synced block: reserves, price heads, balances,
   * liquidity, Algebra's fee — rebuilt for the pools touched since the last call only. A pool's
   * object stays the same until anything a quote of it reads may have changed (its logs, its
   * balances, a re-read, a rollback, a full read): what was computed from it (its quotes, a
   * route's optimal size) holds while it is the same object.
   */
  registered(): RegisteredPool[] {
    const kept = this.registeredKept
    if (kept && this.pools.length === kept.list.length) {
      if (!this.touchedSince.size) return kept.list
      const list = kept.list.slice()
      const records = kept.records.slice()
      for (const key of this.touchedSince) {
        const i = kept.index.get(key)
        if (i === undefined) continue
        list[i] = this.registeredAt(this.pools[i]!, key)
        records[i] = list[i]!.record
      }
      this.touchedSince.clear()
      this.registeredKept = { list, records, index: kept.index }
      return list
    }
    const list = this.pools.map((pool) => this.registeredAt(pool, pool.address.toLowerCase()))
    this.touchedSince.clear()
    this.registeredKept = { list, records: list.map((pool) => pool.record), index: new Map(this.pools.map((pool, i) => [pool.address.toLowerCase(), i])) }
    return list
  }

  /** The registry records of `registered()`'s pools, in its order (kept alongside: no pool looked into that a block did not touch). */
  registeredRecords(): RegistryPool[] {
    this.registered()
    return this.registeredKept!.records
  }

  private registeredAt(pool: RegisteredPool, key: string): RegisteredPool {
    const state = this.market.get(pool.address)
    const algebra = this.algebra.get(key)
    const held = this.balances.get(key)!
    const base = held.get(pool.pair.base.address.toLowerCase())!
    const quote = held.get(pool.pair.quote.address.toLowerCase())!
    const reserves: [bigint, bigint] | null = state?.kind === 'v2' ? [state.reserve0, state.reserve1] : null
    const liquidity = reserves ? isqrt(reserves[0] * reserves[1]) : state?.kind === 'v3' ? state.liquidity : algebra?.liquidity ?? BigInt(pool.record.liquidity)
    const fee = algebra ? algebra.fee : pool.fee
    return {
      ...pool, fee, baseBalance: base, reserves,
      v3: state?.kind === 'v3' ? { address: pool.address, sqrtPriceX96: state.sqrtPriceX96, tick: state.tick, liquidity: state.liquidity, fee: state.fee, tickSpacing: state.tickSpacing } : pool.v3,
      record: { ...pool.record, fee, liquidity: liquidity.toString(), base_balance: base.toString(), quote_balance: quote.toString() },
    }
  }

  private async readFull(pools: RegisteredPool[], block: bigint): Promise<Map<string, PoolState>> {
    const { client, config } = this.p
    const v2 = pools.filter((p) => p.venue.type === 'uniswap_v2')
    const v3Pools = pools.filter((p) => p.venue.type === 'uniswap_v3')
    const [reserves, v3] = await Promise.all([
      v2.length ? aggregate3({ client, multicall3: config.multicall3, calls: v2.map((p) => ({ target: p.address, callData: encodeFunctionData({ abi: poolAbi, functionName: 'getReserves' }) })), blockNumber: block, ...READ_CHUNK }) : [],
      v3Pools.length ? readV3Full({ client, multicall3: config.multicall3, heads: v3Pools.map(headOf), blockNumber: block }) : new Map(),
    ])
    const out = new Map<string, PoolState>()
    v2.forEach((pool, i) => {
      const result = reserves[i]!
      if (!result.ok) throw new Error(`getReserves of ${pool.address}: ${result.error}`)
      const [reserve0, reserve1] = decodeFunctionResult({ abi: poolAbi, functionName: 'getReserves', data: result.data })
      out.set(pool.address.toLowerCase(), { kind: 'v2', reserve0, reserve1 })
    })
    for (const pool of v3Pools) {
      const state = v3.get(pool.address)
      if (!state) throw new Error(`V3 pool ${pool.address} could not be read in full`)
      out.set(pool.address.toLowerCase(), { kind: 'v3', ...state })
    }
    return out
  }

  private async readAlgebra(pools: RegisteredPool[], block: bigint): Promise<Map<string, AlgebraPoolState>> {
    if (!pools.length) return new Map()
    const states = await readAlgebraStates({ client: this.p.client, multicall3: this.p.config.multicall3, pools: pools.map((p) => p.address), blockNumber: block })
    return new Map([...states].map(([address, state]) => [address.toLowerCase(), state]))
  }

  private async readBalances(block: bigint, pools = this.pools): Promise<Map<string, Map<string, bigint>>> {
    const calls = pools.flatMap((pool) => [pool.pair.base.address, pool.pair.quote.address].map((token) => ({ target: token, callData: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [pool.address] }) })))
    const results = await aggregate3({ client: this.p.client, multicall3: this.p.config.multicall3, calls, blockNumber: block, ...READ_CHUNK })
    return new Map(pools.map((pool, i) => [pool.address.toLowerCase(), new Map([pool.pair.base.address, pool.pair.quote.address].map((token, j) => {
      const result = results[i * 2 + j]!
      if (!result.ok) throw new Error(`balanceOf(${pool.address}) on ${token}: ${result.error}`)
      return [token.toLowerCase(), decodeFunctionResult({ abi: erc20Abi, functionName: 'balanceOf', data: result.data })]
    }))]))
  }

  private count(requests: number): void {
    this.stats.requests += requests
    this.stats.rounds++
  }
}

/** Addresses as the sync engine keys them, lowercased once each (asked for every pool every block). */
const lowered = new Map<string, string>()
function lower(address: string): string {
  let key = lowered.get(address)
  if (key === undefined) {
    if (lowered.size > 1_000_000) lowered.clear()
    lowered.set(address, key = address.toLowerCase())
  }
  return key
}

/** A V3 pool's immutables as the registry read them (the lens reads the rest). */
function headOf(pool: RegisteredPool): V3Head {
  if (!pool.v3) throw new Error(`V3 pool ${pool.address} has no head from the registry`)
  return pool.v3
}

const TRANSFER_TOPIC = TOPICS.Transfer
/** Every event the V2 and V3 pools' states follow, and ERC-20 transfers: one query by topic for the whole universe. */
const BROADCAST_TOPICS = POOL_EVENTS.map((event) => toEventSelector(event))

/** The address in an indexed address topic (the low 20 bytes), lowercase. */
function topicAddress(topic: string): string {
  return `0x${topic.slice(26)}`.toLowerCase()
}
/** Every difference between a synced Algebra pool and a fresh read: price, tick, liquidity, fee, every tick's delta. */
export function diffAlgebra(pool: string, synced: AlgebraPoolState | undefined, fresh: AlgebraPoolState | undefined): string[] {
  if (!synced || !fresh) return synced === fresh ? [] : [`${pool}: ${synced ? 'synced' : 'not synced'}, ${fresh ? 'readable' : 'not readable'} locally`]
  const out: string[] = []
  const same = (field: string, a: unknown, b: unknown) => {
    if (a !== b) out.push(`${pool} ${field}: synced ${String(a)} ≠ read ${String(b)}`)
  }
  same('price', synced.sqrtPriceX96, fresh.sqrtPriceX96)
  same('tick', synced.tick, fresh.tick)
  same('liquidity', synced.liquidity, fresh.liquidity)
  same('fee', synced.fee, fresh.fee)
  const [a, b] = [synced.steps.ticks, fresh.steps.ticks]
  for (const tick of new Set([...a.keys(), ...b.keys()])) same(`liquidityDelta[${tick}]`, a.get(tick), b.get(tick))
  for (const tick of new Set([...synced.liquidityTotal.keys(), ...fresh.liquidityTotal.keys()])) same(`liquidityTotal[${tick}]`, synced.liquidityTotal.get(tick), fresh.liquidityTotal.get(tick))
  return out
}

/** Every difference between a synced and a freshly read pool state, as one line each. */
export function diffState(pool: string, synced: PoolState, fresh: PoolState): string[] {
  const out: string[] = []
  const same = (field: string, a: unknown, b: unknown) => {
    if (a !== b) out.push(`${pool} ${field}: synced ${String(a)} ≠ read ${String(b)}`)
  }
  if (synced.kind !== fresh.kind) return [`${pool}: kind ${synced.kind} ≠ ${fresh.kind}`]
  if (synced.kind === 'v2' && fresh.kind === 'v2') {
    same('reserve0', synced.reserve0, fresh.reserve0)
    same('reserve1', synced.reserve1, fresh.reserve1)
    return out
  }
  const [a, b] = [synced as V3State, fresh as V3State]
  same('sqrtPriceX96', a.sqrtPriceX96, b.sqrtPriceX96)
  same('tick', a.tick, b.tick)
  same('liquidity', a.liquidity, b.liquidity)
  for (const tick of new Set([...a.liquidityNet.keys(), ...b.liquidityNet.keys()])) same(`liquidityNet[${tick}]`, a.liquidityNet.get(tick), b.liquidityNet.get(tick))
  for (const tick of new Set([...a.liquidityGross.keys(), ...b.liquidityGross.keys()])) same(`liquidityGross[${tick}]`, a.liquidityGross.get(tick), b.liquidityGross.get(tick))
  for (const word of new Set([...a.bitmap.words.keys(), ...b.bitmap.words.keys()])) same(`bitmap[${word}]`, a.bitmap.words.get(word) ?? 0n, b.bitmap.words.get(word) ?? 0n)
  return out
}

/** Blocks of one round asked by hash (two queries each, one JSON-RPC batch). */
const MAX_BLOCKS_BY_HASH = 4

function headerOf(block: Block): Header {
  return { number: block.number!, hash: block.hash!, parentHash: block.parentHash, timestamp: block.timestamp, baseFeePerGas: block.baseFeePerGas ?? null }
}
