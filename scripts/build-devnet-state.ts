/**
 * Seeds a fresh devnet from config/devnet.yaml and writes the state anvil loads in
 * milliseconds (lib/devnet/state/). Deterministic: same addresses and prices every run.
 * Run: bun run devnet:build-state
 */
import { writeFileSync } from 'node:fs'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { dumpState, seedHash, STATE_META_PATH, STATE_PATH, type StateMeta } from '../lib/devnet/state.ts'

const started = performance.now()
const devnet = await startDevnet({ state: 'fresh' })
try {
  writeFileSync(STATE_PATH, await dumpState(devnet.client))
  const meta: StateMeta = { seed_hash: seedHash(), deployment: devnet.deployment, pools: devnet.pools }
  writeFileSync(STATE_META_PATH, `${JSON.stringify(meta, null, 2)}\n`)
  console.error(`devnet state: ${devnet.pools.length} pools, ${(performance.now() - started).toFixed(0)} ms -> ${STATE_PATH}`)
} finally {
  await devnet.stop()
}
