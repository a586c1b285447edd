/** A cycle's artifacts whose snapshot takes several slices (the writer's tests, and a child process of theirs). */
import { loadConfig } from '../../lib/config/load.ts'
import { buildArtifacts } from '../../lib/report/build.ts'
import { evaluateCycle } from '../../lib/scan/evaluate.ts'
import type { Side } from '../../lib/scan/types.ts'
import { cycleInput, quoteOf } from '../scan/fixtures.ts'

const base = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
// WETH/USDC at 32 sizes on every venue: 320 quotes, 32 × 5 × 4 = 640 candidates (two slices of spreads).
const WETH = 10n ** 18n
const sizes = Array.from({ length: 32 }, (_, i) => (BigInt(i) + 1n) * WETH / 10n)
const pair = { ...base.pairs[0]!, sizes }
const config = { ...base, pairs: [pair, ...base.pairs.slice(1)] }

export function artifacts() {
  const quotes = config.venues.flatMap((venue, v) => sizes.flatMap((size) => (['sell', 'buy'] as Side[]).map((side) =>
    // Prices a few USDC apart by venue, 2,990–3,010 USDC per WETH.
    quoteOf(config, pair.name, venue.key, side, size, (size * (side === 'sell' ? 2_995n + BigInt(v * 3) : 3_005n + BigInt(v))) * 10n ** 6n / WETH))))
  const input = cycleInput(quotes, { block: 77 })
  return buildArtifacts(input, evaluateCycle(input, config), config, '2026-11-26T00:00:00.000Z')
}

