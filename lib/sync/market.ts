import type { Address, Hex, Log } from 'viem'
import { applyLog, cloneState, type PoolState } from './poolState.ts'

/**
 * Every tracked pool's exact state at one block, moved forward by that chain's logs, with a
 * journal of the last `depth` blocks (each pool's state before the block first changed it) so
 * a reorg rolls back exactly instead of re-reading everything. Pure bookkeeping: no I/O.
 */
export class MarketState {
  readonly pools = new Map<string, PoolState>()
  /** The block the state is at, and the hashes of the recent blocks it went through. */
  block = 0
  private readonly hashes = new Map<number, Hex>()
  private readonly journal = new Map<number, Map<string, PoolState>>()

  constructor(private readonly depth = 64) {}

  /** The state as read in full at `block` (the start, or after a re-read). */
  reset(block: number, hash: Hex, pools: Map<string, PoolState>): void {
    this.pools.clear()
    for (const [address, state] of pools) this.pools.set(address.toLowerCase(), state)
    this.hashes.clear()
    this.journal.clear()
    this.block = block
    this.hashes.set(block, hash)
  }

  hashOf(block: number): Hex | undefined {
    return this.hashes.get(block)
  }

  /**
   * Applies the logs of blocks `block + 1 … to` (in chain order) and moves to `to`; returns the
   * pools whose state changed. Logs of pools not tracked are ignored.
   */
  advance(to: number, toHash: Hex, logs: readonly Log[], blockHashes: ReadonlyMap<number, Hex> = new Map()): Set<string> {
    const touched = new Set<string>()
    const ordered = [...logs].sort((a, b) => Number(a.blockNumber! - b.blockNumber!) || a.logIndex! - b.logIndex!)
    for (const log of ordered) {
      const address = log.address.toLowerCase()
      const state = this.pools.get(address)
      if (!state) continue
      const block = Number(log.blockNumber!)
      const undo = this.journal.get(block) ?? new Map<string, PoolState>()
      if (!undo.has(address)) undo.set(address, cloneState(state))
      this.journal.set(block, undo)
      if (applyLog(state, log)) touched.add(address)
      if (log.blockHash) this.hashes.set(block, log.blockHash)
    }
    for (const [block, hash] of blockHashes) this.hashes.set(block, hash)
    this.block = to
    this.hashes.set(to, toHash)
    for (const block of [...this.hashes.keys()]) if (block < to - this.depth) this.hashes.delete(block)
    for (const block of [...this.journal.keys()]) if (block < to - this.depth) this.journal.delete(block)
    return touched
  }

  /** Undoes every block after `block` (a reorg's common ancestor). */
  rollback(block: number): void {
    if (block < this.block - this.depth) throw new Error(`cannot roll back to block ${block}: the journal keeps ${this.depth} blocks`)
    for (const b of [...this.journal.keys()].sort((x, y) => y - x)) {
      if (b <= block) continue
      for (const [address, state] of this.journal.get(b)!) this.pools.set(address, state)
      this.journal.delete(b)
    }
    for (const b of [...this.hashes.keys()]) if (b > block) this.hashes.delete(b)
    this.block = block
  }

  get(address: Address): PoolState | undefined {
    return this.pools.get(address.toLowerCase())
  }
}
