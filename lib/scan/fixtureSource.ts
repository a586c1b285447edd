import { existsSync, readFileSync } from 'node:fs'
import { EMBEDDED_FIXTURES } from '../config/defaults.ts'
import * as v from 'valibot'
import type { Config } from '../config/resolve.ts'
import { DroppedPool, RegistryPool } from '../contract/parts.ts'
import { Address, BlockNumber, Count, Uint } from '../contract/primitives.ts'
import { RejectCodeSchema } from '../contract/rejectCodes.ts'
import { InputError } from '../errors.ts'
import type { CycleSource } from './run.ts'
import { quoteId, type QuoteResult } from './types.ts'

/** A recorded cycle: what a real scan read at one block, replayed offline for SMOKE mode. */
export const QuoteFixture = v.strictObject({
  synthetic: v.literal(true),
  note: v.string(),
  chain_id: v.pipe(Count, v.minValue(1)),
  block: v.pipe(BlockNumber, v.minValue(1)),
  block_timestamp: Count,
  gas_price_wei: Uint,
  pools: v.array(RegistryPool),
  dropped: v.array(DroppedPool),
  quotes: v.array(v.strictObject({
    id: v.string(),
    pool: Address,
    fee: v.pipe(Count, v.maxValue(1_000_000)),
    ok: v.boolean(),
    amount_in: v.nullable(Uint),
    amount_out: v.nullable(Uint),
    gas_estimate: v.nullable(Uint),
    ticks_crossed: v.nullable(Count),
    code: v.nullable(RejectCodeSchema),
    reason: v.nullable(v.string()),
  })),
})
export type QuoteFixture = v.InferOutput<typeof QuoteFixture>

/** Replays a fixture: every configured quote is looked up in it by id; nothing touches a network. */
export function fixtureSource(config: Config, path: string): CycleSource {
  let fixture: QuoteFixture
  try {
    const raw = !existsSync(path) && EMBEDDED_FIXTURES[path] ? EMBEDDED_FIXTURES[path] : JSON.parse(readFileSync(path, 'utf8'))
    fixture = v.parse(QuoteFixture, raw)
  } catch (error) {
    throw new InputError('FIXTURE_INVALID', `cannot load smoke fixture ${path}`, {
      hint: 'regenerate it with `bun run scripts/record-smoke-fixture.ts`',
      cause: error,
    })
  }
  const recorded = new Map(fixture.quotes.map((quote) => [quote.id, quote]))

  return {
    async readCycle(cycle) {
      const quotes: QuoteResult[] = []
      for (const pair of config.pairs) {
        for (const venue of config.venues) {
          for (const side of ['sell', 'buy'] as const) {
            for (const size of pair.sizes) {
              const id = quoteId(pair.name, venue.key, side, size)
              const entry = recorded.get(id)
              if (!entry) continue
              const request = { id, pair, venue, pool: entry.pool as `0x${string}`, fee: entry.fee, side, size }
              quotes.push(entry.ok
                ? {
                    request, quoter: 'onchain', ok: true,
                    amountIn: BigInt(entry.amount_in ?? 0), amountOut: BigInt(entry.amount_out ?? 0),
                    gasEstimate: entry.gas_estimate === null ? null : BigInt(entry.gas_estimate),
                    ticksCrossed: entry.ticks_crossed,
                  }
                : { request, quoter: 'onchain', ok: false, code: entry.code ?? 'QUOTE_REVERT', reason: entry.reason ?? 'recorded failure' })
            }
          }
        }
      }
      return {
        runMode: 'SMOKE_SIMULATOR',
        quoteSource: 'fixture',
        quoter: 'onchain',
        synthetic: true,
        cycle,
        chainId: fixture.chain_id,
        block: fixture.block,
        pinError: null,
        blockTimestamp: fixture.block_timestamp,
        gasPriceWei: BigInt(fixture.gas_price_wei),
        pools: fixture.pools,
        dropped: fixture.dropped,
        quotes,
        sizings: [],
        rpc: {
          total_requests: 0, successful_requests: 0, failed_requests: 0, timeout_requests: 0,
          avg_latency_ms: 0, max_latency_ms: 0, success_rate: null, endpoints_healthy: 0, endpoints_total: 0, endpoints: [],
        },
      }
    },
    async close() {},
  }
}
