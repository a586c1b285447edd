import { readFileSync } from 'node:fs'
import * as v from 'valibot'
import { parse } from 'yaml'
import { DexConfig, DecimalAmount } from '../config/schema.ts'
import { venuesOf, type Config } from '../config/resolve.ts'

/** config/devnet.yaml: the synthetic market the devnet is seeded with. */
export const SeedSpec = v.strictObject({
  dexes: v.record(v.string(), DexConfig),
  pools: v.array(v.strictObject({
    pair: v.pipe(v.string(), v.regex(/^[A-Z0-9]+\/[A-Z0-9]+$/)),
    venue: v.string(),
    price: DecimalAmount,
    depth: DecimalAmount,
  })),
})
export type SeedSpec = v.InferOutput<typeof SeedSpec>

export const DEVNET_SPEC_PATH = new URL('../../config/devnet.yaml', import.meta.url).pathname

export function loadSeedSpec(path = DEVNET_SPEC_PATH): SeedSpec {
  return v.parse(SeedSpec, parse(readFileSync(path, 'utf8')))
}

/** The devnet's own venues (its Algebra stand-in, at devnet-only addresses) added to a config that lacks them. */
export function addDevnetVenues(config: Config): void {
  config.venues.push(...venuesOf(loadSeedSpec().dexes).filter((venue) => !config.venues.some((known) => known.key === venue.key)))
}
