import type { Config } from '../config/resolve.ts'
import { log } from '../log.ts'
import { redactText } from '../redact.ts'
import type { CycleSource } from '../scan/run.ts'
import type { CycleInput, Quoter } from '../scan/types.ts'
import { fetchQuotes, type QuoteMemo } from './quotes.ts'
import { discoverPools } from './registry.ts'
import { createRpcClient, type RpcClient } from '../rpc/client.ts'
import { isLoopback } from '../rpc/endpoint.ts'
import { HeadFeed } from '../rpc/heads.ts'
import { readLocalStates } from '../state/readLocalStates.ts'
import { optimalSizes, type SizingMemo } from '../sizing/optimalSizes.ts'
import { simulationTarget } from '../sim/target.ts'
import { simulatePlans } from '../sim/simulate.ts'
import { StateDivergence, SyncEngine } from '../sync/engine.ts'
import type { WidenMidRun } from '../universe/scanPairs.ts'

/**
 * REAL mode: each cycle pins one block that every endpoint used can serve (the pool
 * benches lagging ones), reads that block's header (timestamp, base fee), then
 * discovers, verifies and quotes at exactly that block number.
 */
export type ChainSourceOptions = {
  /** Sync mode: pools read in full once, then kept exact from each block's logs. */
  sync?: boolean
  /**
   * Sync mode (`universe.pairs: all` or `tokens`): called when the factories created pools of no
   * pair scanned, and at each full re-read after the first (pairs left out looked at again).
   */
  widen?: WidenMidRun
}

export function chainSource(config: Config, urls: string[], quoter: Quoter = config.quoting.quoter, { sync = false, widen }: ChainSourceOptions = {}): CycleSource & { client: RpcClient; engine: SyncEngine | null } {
  const { client, pool } = createRpcClient(urls, config)
  // Sync mode (watch): pools read in full once, then kept exact from each block's logs.
  // Opened with the first wait (a one-shot scan never needs it).
  let heads: HeadFeed | null | undefined
  const engine = sync && quoter === 'local' ? new SyncEngine({
    client, config, verifyEvery: config.quoting.verify_every, verifySample: 4,
    requestAll: (requests) => pool.requestAll(requests), headers: (block) => heads?.header(block),
  }) : null
  // Cycles pinned at a head the wait saw since the last probe of every endpoint; the highest head a poll saw.
  let unprobed = 0
  let polled = 0n
  let discoveredAt = 0
  // Routes whose pools a block did not touch keep their sizing (sync mode).
  const sizing: SizingMemo = { pairs: new Map() }
  let localQuotes: QuoteMemo = new WeakMap()
  // Learned once: whether the endpoints answer eth_simulateV1 (else eth_call + eth_estimateGas).
  const support = { simulateV1: true }
  let target: Awaited<ReturnType<typeof simulationTarget>> | null = null
  const pollMs = urls.every(isLoopback) ? 20 : 100
  const resolveTarget = async () => (target ??= await simulationTarget(client, config.execution))

  return {
    client,
    engine,
    async readCycle(cycle): Promise<CycleInput> {
      const base = {
        runMode: 'REGISTRY_REAL', quoteSource: 'onchain', quoter, synthetic: false, cycle, chainId: config.chain.chainId,
      } as const
      const failed = (why: string): CycleInput => ({
        ...base, block: 0, pinError: redactText(why), blockTimestamp: null, gasPriceWei: null,
        pools: [], dropped: [], quotes: [], sizings: [], rpc: pool.takeHealth(),
      })

      // A synced engine on one endpoint pins the head its wait just saw — announced, or polled —
      // without probing again (the round then costs one request: the blocks' logs, with their
      // headers unless announced; its failure voids the cycle and says why). Several endpoints
      // are probed every cycle: each one's health is part of the report, and the pin must suit
      // them all; a single one too, every PROBE_EVERY cycles. Throws CHAIN_MISMATCH when no
      // endpoint is on the configured chain.
      const seen = (heads?.latest ?? 0n) > polled ? heads!.latest : polled
      const head = engine && engine.block > 0 && urls.length === 1 && config.rpc.pin_lag_blocks === 0 && unprobed < PROBE_EVERY ? seen : 0n
      const fast = head > BigInt(engine?.block ?? 0) ? pool.beginCycleAt(head) : null
      unprobed = fast ? unprobed + 1 : 0
      const pinned = fast ?? await pool.beginCycle()
      if ('error' in pinned) return failed(pinned.error)
      const blockNumber = pinned.pin
      if (engine) {
        try {
          // One round per block; a full read at the start, every `rediscover_every` blocks, and at
          // once when a factory's creation event names a pool of interest.
          const due = engine.block === 0 || Number(blockNumber) - discoveredAt >= config.quoting.rediscover_every
          if (!due) await engine.advance(blockNumber)
          if (engine.created.length) log.info(`new pool${engine.created.length > 1 ? 's' : ''} of interest: ${engine.created.map((c) => `${c.pair} on ${c.venue} (${c.pool}, block ${c.block})`).join('; ')}; the universe is read again`)
          // Pools of pairs not scanned, or a full re-read after the first: the caller may widen the
          // pairs (a pair left out for its floor may qualify now). Cleared once it has decided.
          const recheck = due && engine.block > 0
          const widened = widen !== undefined && (recheck || engine.createdElsewhere.length > 0) && await widen(blockNumber, recheck ? null : engine.createdElsewhere)
          engine.createdElsewhere = []
          if (due || engine.created.length || widened) {
            const registry = await discoverPools({ client, config, blockNumber })
            await engine.start(registry.pools, blockNumber)
            engine.dropped = registry.dropped
            // Every pool object before the full read is void: what was kept by them goes (pools may have left).
            sizing.pairs.clear()
            localQuotes = new WeakMap()
            discoveredAt = Number(blockNumber)
          }
        } catch (error) {
          if (error instanceof StateDivergence) throw error
          // A failed sync round leaves the state where it was: this cycle is void, the next one catches up.
          return failed(`could not sync to block ${blockNumber}: ${message(error)}`)
        }
        const pools = engine.registered()
        const states = engine.localStates()
        return {
          ...base,
          block: Number(blockNumber),
          pinError: null,
          blockTimestamp: Number(engine.header.timestamp),
          gasPriceWei: engine.header.baseFeePerGas,
          pools: engine.registeredRecords(),
          dropped: engine.dropped,
          quotes: await fetchQuotes(client, config, pools, blockNumber, { quoter, states, memo: localQuotes }),
          sizings: optimalSizes(config, pools, states, sizing),
          rpc: pool.takeHealth(),
        }
      }

      let header: { timestamp: bigint; baseFeePerGas: bigint | null }
      try {
        header = await client.getBlock({ blockNumber })
      } catch (error) {
        return failed(`could not read block ${blockNumber}: ${message(error)}`)
      }

      const registry = await discoverPools({ client, config, blockNumber })
      const states = quoter === 'local' ? await readLocalStates(client, config, registry.pools, blockNumber) : undefined
      const quotes = await fetchQuotes(client, config, registry.pools, blockNumber, { quoter, states })
      return {
        ...base,
        block: Number(blockNumber),
        pinError: null,
        blockTimestamp: Number(header.timestamp),
        gasPriceWei: header.baseFeePerGas,
        pools: registry.pools.map((pool) => pool.record),
        dropped: registry.dropped,
        quotes,
        sizings: states ? optimalSizes(config, registry.pools, states) : [],
        rpc: pool.takeHealth(),
      }
    },
    async simulate(plans, input) {
      const target = await resolveTarget()
      const pin = { block: BigInt(input.block), timestamp: BigInt(input.blockTimestamp ?? 0) }
      return { target, outcomes: await simulatePlans(client, plans, pin, target, support) }
    },
    async waitForNewBlock(block, signal) {
      // Without a head subscription: looks at once (the next block may already be there), then
      // polls, often on a local node, a few times per 250 ms block on a hosted one (its quota).
      // With one: an announced head is taken at its word, with no HTTP request at all; polling is a
      // safety net between announcements (and the first look, while the socket opens).
      // A void cycle retries after one block time.
      if (block === 0) return sleep(BLOCK_MS, signal)
      let look = heads === undefined || heads === null
      heads ??= config.rpc.heads_ws ? new HeadFeed(config.rpc.heads_ws, (message) => log.warn(message)) : null
      while (!signal.aborted) {
        const seen = look ? await pool.headAbove(BigInt(block)) : null
        if (seen !== null) {
          polled = seen
          return
        }
        look = true
        if (heads) {
          if (await heads.wait(BigInt(block), SAFETY_POLL_MS, signal)) return
        } else await sleep(pollMs, signal)
      }
    },
    async close() {
      await heads?.close()
      pool.close()
    },
  }
}

/** Cycles pinned at a head the wait saw between two probes of every endpoint (~5 s of blocks). */
const PROBE_EVERY = 20
/** Arbitrum One's block time. */
const BLOCK_MS = 250
/** With a head subscription, the poll that catches what the socket missed. */
const SAFETY_POLL_MS = 1_000

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve() }, { once: true })
  })
}

function message(error: unknown): string {
  const text = error instanceof Error ? (error as { shortMessage?: string }).shortMessage ?? error.message : String(error)
  return text.split('\n')[0] ?? 'unknown error'
}
