import { toHex, type Address } from 'viem'
import { loadArtifact } from './artifacts.ts'
import type { DevnetClient } from './chain.ts'

/** Arbitrum's gas precompiles, which anvil lacks. */
export const ARB_GAS_INFO: Address = '0x000000000000000000000000000000000000006C'
export const NODE_INTERFACE: Address = '0x00000000000000000000000000000000000000C8'

/**
 * Places small mocks of ArbGasInfo and NodeInterface at their Arbitrum addresses (anvil_setCode)
 * so the L1 part of a trade's cost is priced through the same calls as on Arbitrum One.
 * `l1BaseFeeWei` is the L1 base fee estimate they answer with (0: no L1 cost, as before);
 * `l2BaseFeeWei` prices L1 gas when a call carries no base fee.
 */
export async function placeGasPrecompiles(client: DevnetClient, { l1BaseFeeWei = 0n, l2BaseFeeWei = 10_000_000n } = {}): Promise<void> {
  for (const [address, name] of [[ARB_GAS_INFO, 'MockArbGasInfo'], [NODE_INTERFACE, 'MockNodeInterface']] as const) {
    await client.setCode({ address, bytecode: loadArtifact(name).runtime! })
    await client.setStorageAt({ address, index: toHex(0, { size: 32 }), value: toHex(l1BaseFeeWei, { size: 32 }) })
  }
  await client.setStorageAt({ address: NODE_INTERFACE, index: toHex(1, { size: 32 }), value: toHex(l2BaseFeeWei, { size: 32 }) })
}

/** Changes the L1 base fee estimate the mocks answer with (e.g. an L1 price spike, in tests). */
export async function setL1BaseFee(client: DevnetClient, l1BaseFeeWei: bigint): Promise<void> {
  for (const address of [ARB_GAS_INFO, NODE_INTERFACE]) {
    await client.setStorageAt({ address, index: toHex(0, { size: 32 }), value: toHex(l1BaseFeeWei, { size: 32 }) })
  }
}
