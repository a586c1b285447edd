import { gunzipSync } from 'node:zlib'
import type { Address, Hex } from 'viem'
import type { DevnetClient } from './chain.ts'

export type Move = {
  from: Address
  to: Address
  /** Contracts whose immutables captured address(this) (NoDelegateCall) need it rewritten. */
  patchSelf?: boolean
}

/**
 * Places contracts deployed at temporary addresses onto their canonical addresses:
 * runtime code (optionally with its own address patched) plus every storage slot,
 * read generically from one anvil_dumpState.
 */
export async function relocate(client: DevnetClient, moves: Move[]): Promise<void> {
  const dump = await client.request({ method: 'anvil_dumpState' as never }) as Hex
  const state = JSON.parse(gunzipSync(Buffer.from(dump.slice(2), 'hex')).toString('utf8')) as {
    accounts: Record<string, { storage?: Record<string, Hex> }>
  }
  const accounts = new Map(Object.entries(state.accounts).map(([key, value]) => [key.toLowerCase(), value]))
  for (const move of moves) {
    let code = await client.getCode({ address: move.from })
    if (!code || code === '0x') throw new Error(`relocate: no code at ${move.from}`)
    if (move.patchSelf) {
      const self = move.from.slice(2).toLowerCase()
      if (!code.toLowerCase().includes(self)) throw new Error(`relocate: ${move.from} does not embed its own address`)
      code = code.toLowerCase().split(self).join(move.to.slice(2).toLowerCase()) as Hex
    }
    await client.setCode({ address: move.to, bytecode: code })
    for (const [slot, value] of Object.entries(accounts.get(move.from.toLowerCase())?.storage ?? {})) {
      await client.setStorageAt({ address: move.to, index: pad32(slot), value: pad32(value) })
    }
  }
}

function pad32(value: string): Hex {
  return `0x${value.slice(2).padStart(64, '0')}` as Hex
}
