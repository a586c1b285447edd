import { describe, expect, test } from 'bun:test'
import type { Address } from 'viem'
import { fetchQuotes } from '../../lib/chain/quotes.ts'
import type { RegisteredPool } from '../../lib/chain/registry.ts'
import type { RpcClient } from '../../lib/rpc/client.ts'
import { ALL_VENUES as config } from '../helpers/routes.ts'

// V2 pools are quoted from their reserves alone: no RPC is made (a client that throws proves it).
const noRpc = new Proxy({}, { get: () => { throw new Error('no RPC expected') } }) as RpcClient
const v2 = config.venues.find((venue) => venue.type === 'uniswap_v2')!
const states = { v3: new Map(), algebra: new Map() }

function v2Pool(pairAt: number): RegisteredPool {
  const pair = config.pairs[pairAt]!
  const depth = 10n ** 30n
  return {
    record: {} as RegisteredPool['record'], pair, venue: v2, fee: 3000,
    address: `0x${(pairAt + 1).toString(16).padStart(40, '0')}` as Address,
    baseBalance: depth, baseIsToken0: true, reserves: [depth, depth * 1000n], v3: null,
  }
}

const order = (quotes: { request: { pair: { name: string }; venue: { key: string }; side: string; size: bigint } }[]) =>
  quotes.map(({ request: r }) => `${r.pair.name} ${r.venue.key} ${r.side} ${r.size}`)

describe('fetchQuotes', () => {
  test('behavior: quotes come in the config order (pair, venue, side, size) whatever the pools\' order, a list like the last one in order kept as it is', async () => {
    expect(config.pairs.length).toBeGreaterThanOrEqual(4)
    const inOrder = [v2Pool(0), v2Pool(1), v2Pool(2), v2Pool(3)]
    const quote = (pools: RegisteredPool[]) => fetchQuotes(noRpc, config, pools, 1n, { quoter: 'local', states })
    const expected = order(await quote(inOrder))
    expect(expected).toHaveLength(4 * 2 * config.pairs[0]!.sizes.length)
    expect(expected[0]).toStartWith(`${config.pairs[0]!.name} ${v2.key} sell`)
    // The same pairs and venues in new objects (what a synced block hands), then the same length out of order.
    expect(order(await quote(inOrder.map((pool) => ({ ...pool }))))).toEqual(expected)
    expect(order(await quote([inOrder[2]!, inOrder[0]!, inOrder[3]!, inOrder[1]!]))).toEqual(expected)
    expect(order(await quote([inOrder[0]!, inOrder[1]!, inOrder[3]!, inOrder[2]!]))).toEqual(expected)
  })
})
