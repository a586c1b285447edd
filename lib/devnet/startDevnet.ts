import { InfraError } from '../errors.ts'
import { startAnvil } from './anvil.ts'
import { devnetClient, type DevnetClient } from './chain.ts'
import { deployAll, type Deployment } from './deploy.ts'
import { placeGasPrecompiles } from './precompiles.ts'
import { seedMarket, type SeededPool } from './seed.ts'
import { loadSeedSpec } from './seedSpec.ts'
import { existsSync } from 'node:fs'
import { freshStateMeta, readStateMeta, STATE_PATH } from './state.ts'

export const DEVNET_CHAIN_ID = 42_161
/** Arbitrum-sized block numbers (viem's arbitrum chain refuses multicall below 7,654,707). */
export const DEVNET_GENESIS_NUMBER = 350_000_000
/** Arbitrum's 0.01 gwei base fee. */
const BASE_FEE_WEI = '10000000'

export type StartDevnetParameters = {
  /** 0 lets the OS pick a free port. */
  port?: number
  /** Seconds between blocks; unset = one block per transaction (automine). */
  blockTime?: number
  /**
   * 'auto' loads the committed state when it matches the seed, else seeds; 'fresh' always
   * seeds; a file path keeps the chain there across runs (loaded if present, seeded and
   * written on stop otherwise).
   */
  state?: 'auto' | 'fresh' | (string & {})
  /** The L1 base fee estimate (wei) the mock ArbGasInfo/NodeInterface answer with; 0 = no L1 cost. */
  l1BaseFeeWei?: bigint
}

export type Devnet = {
  url: string
  chainId: number
  deployment: Deployment
  pools: SeededPool[]
  source: 'state' | 'seed'
  client: DevnetClient
  stop(): Promise<void>
}

/** Starts the embedded Arbitrum devnet: real bytecode at canonical addresses, a synthetic market. */
export async function startDevnet({ port = 0, blockTime, state = 'auto', l1BaseFeeWei = 0n }: StartDevnetParameters = {}): Promise<Devnet> {
  const persistent = state !== 'auto' && state !== 'fresh' ? state : null
  const committed = freshStateMeta()
  // A persistent file that exists was seeded by us: same deterministic deployment.
  const meta = state === 'auto' ? committed : persistent && existsSync(persistent) ? committed ?? readStateMeta() : null
  const args = ['--chain-id', String(DEVNET_CHAIN_ID), '--base-fee', BASE_FEE_WEI]
  if (blockTime !== undefined) args.push('--block-time', String(blockTime))
  if (persistent) args.push('--state', persistent)
  else if (meta) args.push('--load-state', STATE_PATH)
  if (!meta) args.push('--number', String(DEVNET_GENESIS_NUMBER))
  const anvil = await startAnvil(args, { port })
  const client = devnetClient(anvil.url)
  try {
    // Arbitrum's gas precompiles (not in anvil, not in the state file): placed on every start.
    await placeGasPrecompiles(client, { l1BaseFeeWei, l2BaseFeeWei: BigInt(BASE_FEE_WEI) })
    if (meta) {
      if (blockTime === undefined) await strictlyOneSecondApart(client)
      return { url: anvil.url, chainId: DEVNET_CHAIN_ID, deployment: meta.deployment, pools: meta.pools, source: 'state', client, stop: withFeeFloor(client, blockTime, anvil.stop) }
    }
    const deployment = await deployAll(client)
    const pools = await seedMarket(client, deployment, loadSeedSpec())
    // Seeding's light blocks decayed the base fee; restore Arbitrum's 0.01 gwei at the head.
    await client.setNextBlockBaseFeePerGas({ baseFeePerGas: BigInt(BASE_FEE_WEI) })
    await client.mine({ blocks: 1 })
    if (blockTime === undefined) await strictlyOneSecondApart(client)
    return { url: anvil.url, chainId: DEVNET_CHAIN_ID, deployment, pools, source: 'seed', client, stop: withFeeFloor(client, blockTime, anvil.stop) }
  } catch (error) {
    await anvil.stop()
    throw new InfraError('DEVNET_SEED_FAILED', 'the devnet could not be deployed and seeded', { cause: error, hint: 'run `bun run devnet:build-state` to see the failing step' })
  }
}

/**
 * Automine: each block one second after its parent (the next one at the wall clock). anvil
 * otherwise stamps blocks with the wall-clock second, so two blocks of one second share a
 * timestamp — and a trade mined in the same second as a pool's last update skips the pool's
 * per-second oracle write, using less gas than its simulation one second after the pin
 * (README: "Gas and the block's second"). Deterministic blocks make that proof exact.
 */
async function strictlyOneSecondApart(client: DevnetClient): Promise<void> {
  const head = await client.getBlock({ blockTag: 'latest' })
  const now = BigInt(Math.floor(Date.now() / 1000))
  await client.setNextBlockTimestamp({ timestamp: now > head.timestamp ? now : head.timestamp + 1n })
  await client.request({ method: 'anvil_setBlockTimestampInterval' as never, params: [1] as never })
}

/**
 * Interval mining: Arbitrum's base fee never falls below its 0.01 gwei floor, but anvil applies
 * EIP-1559 to every (empty) block and would decay it by 12.5% a block. Twice a block the next
 * block's base fee is set to the floor. Returns the stop function that also ends this.
 */
function withFeeFloor(client: DevnetClient, blockTime: number | undefined, stop: () => Promise<void>): () => Promise<void> {
  if (blockTime === undefined) return stop
  const timer = setInterval(() => {
    client.setNextBlockBaseFeePerGas({ baseFeePerGas: BigInt(BASE_FEE_WEI) }).catch(() => {})
  }, Math.max(10, (blockTime * 1000) / 2))
  timer.unref?.()
  return async () => {
    clearInterval(timer)
    await stop()
  }
}
