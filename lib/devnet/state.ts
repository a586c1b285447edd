import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import type { Hex } from 'viem'
import type { DevnetClient } from './chain.ts'
import type { Deployment } from './deploy.ts'
import type { SeededPool } from './seed.ts'
import { DEVNET_SPEC_PATH } from './seedSpec.ts'

/** The committed pre-seeded chain (plain JSON: anvil's --load-state cannot read gzip). */
export const STATE_PATH = new URL('./state/devnet-state.json', import.meta.url).pathname
export const STATE_META_PATH = new URL('./state/devnet-meta.json', import.meta.url).pathname

export type StateMeta = { seed_hash: string; deployment: Deployment; pools: SeededPool[] }

/** Everything the seed is made of: when any of it changes, the committed state is stale. */
export function seedHash(): string {
  const hash = createHash('sha256')
  for (const url of ['./deploy.ts', './seed.ts', './contracts/MockERC20.json']) {
    hash.update(readFileSync(new URL(url, import.meta.url)))
  }
  hash.update(readFileSync(DEVNET_SPEC_PATH))
  return hash.digest('hex').slice(0, 16)
}

/** The committed state's description (deployment and pools are deterministic). */
export function readStateMeta(): StateMeta {
  return JSON.parse(readFileSync(STATE_META_PATH, 'utf8')) as StateMeta
}

/** The committed state if present and built from the current seed, else null. */
export function freshStateMeta(): StateMeta | null {
  if (!existsSync(STATE_PATH) || !existsSync(STATE_META_PATH)) return null
  const meta = readStateMeta()
  return meta.seed_hash === seedHash() ? meta : null
}

/** anvil's state as JSON, without the transaction list (it is 60% of the size and not needed to load). */
export async function dumpState(client: DevnetClient): Promise<string> {
  const dump = await client.request({ method: 'anvil_dumpState' as never }) as Hex
  const state = JSON.parse(gunzipSync(Buffer.from(dump.slice(2), 'hex')).toString('utf8')) as Record<string, unknown>
  state.transactions = []
  return JSON.stringify(state)
}
