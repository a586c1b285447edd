/**
 * Records one REAL cycle on the embedded devnet into the SMOKE fixture
 * (config/fixtures/smoke_quotes.json): real quoter outputs from real bytecode, over the
 * synthetic devnet market. Run: bun run scripts/record-smoke-fixture.ts
 */
import { writeFileSync } from 'node:fs'
import { chainSource } from '../lib/chain/chainSource.ts'
import { loadConfig } from '../lib/config/load.ts'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import type { QuoteFixture } from '../lib/scan/fixtureSource.ts'

const OUT = 'config/fixtures/smoke_quotes.json'
const config = loadConfig('config/smoke.yaml')
const devnet = await startDevnet()
try {
  const input = await chainSource(config, [devnet.url], 'onchain').readCycle(1)
  if (input.block <= 0) throw new Error(`no block pinned: ${input.pinError}`)
  const fixture: QuoteFixture = {
    synthetic: true,
    note: 'SYNTHETIC: recorded from the embedded devnet (real Uniswap/Sushi/Algebra bytecode, made-up market from config/devnet.yaml). Not Arbitrum One data.',
    chain_id: input.chainId,
    block: input.block,
    block_timestamp: input.blockTimestamp ?? 0,
    gas_price_wei: String(input.gasPriceWei ?? 0n),
    pools: input.pools,
    dropped: input.dropped,
    quotes: input.quotes.map((q) => ({
      id: q.request.id,
      pool: q.request.pool,
      fee: q.request.fee,
      ok: q.ok,
      amount_in: q.ok ? q.amountIn.toString() : null,
      amount_out: q.ok ? q.amountOut.toString() : null,
      gas_estimate: q.ok && q.gasEstimate !== null ? q.gasEstimate.toString() : null,
      ticks_crossed: q.ok ? q.ticksCrossed : null,
      code: q.ok ? null : q.code,
      reason: q.ok ? null : q.reason,
    })),
  }
  writeFileSync(OUT, `${JSON.stringify(fixture, null, 2)}\n`)
  console.error(`recorded ${fixture.quotes.length} quotes at block ${fixture.block} -> ${OUT}`)
} finally {
  await devnet.stop()
}
