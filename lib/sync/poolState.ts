import type { Log } from 'viem'
import { decodePoolEvent } from './eventWords.ts'
import { position } from '../math/tickBitmap.ts'
import type { V3PoolState } from '../math/v3Swap.ts'

/**
 * A pool's exact state as the sync engine keeps it, and the pure functions that apply one log
 * to it with the pool contract's own integer semantics: V2's Sync sets the reserves; V3's Swap
 * sets price, tick and liquidity; Mint and Burn move liquidityNet and liquidityGross at both ends
 * of the range (flipping the bitmap bit when a tick becomes or stops being initialized) and the
 * active liquidity when the price is inside it; Initialize sets the price. Nothing is estimated.
 */
export type V2State = { kind: 'v2'; reserve0: bigint; reserve1: bigint }
export type V3State = { kind: 'v3' } & V3PoolState & { liquidityGross: Map<number, bigint> }
export type PoolState = V2State | V3State


/**
 * A copy for the journal (one per pool per block, to roll a reorg back). The tick maps are
 * shared, not copied: they are never changed in place once shared — a position change gives
 * the live state fresh copies first (`modifyPosition`) — so a block of swaps journals a pool in
 * a few fields instead of every initialized tick and bitmap word.
 */
export function cloneState(state: PoolState): PoolState {
  return { ...state }
}

/** Applies one of the pool's logs in place; returns whether it changed anything the quotes depend on. */
export function applyLog(state: PoolState, log: Pick<Log, 'data' | 'topics'>): boolean {
  const event = decodePoolEvent(log)
  if (state.kind === 'v2') {
    if (event?.eventName !== 'Sync') return false
    state.reserve0 = event.args.reserve0
    state.reserve1 = event.args.reserve1
    return true
  }
  if (!event) return false
  switch (event.eventName) {
    case 'Swap':
      state.sqrtPriceX96 = event.args.sqrtPriceX96
      state.tick = event.args.tick
      state.liquidity = event.args.liquidity
      return true
    case 'Initialize':
      state.sqrtPriceX96 = event.args.sqrtPriceX96
      state.tick = event.args.tick
      return true
    case 'Mint':
      return modifyPosition(state, event.args.tickLower, event.args.tickUpper, event.args.amount)
    case 'Burn':
      return modifyPosition(state, event.args.tickLower, event.args.tickUpper, -event.args.amount)
    default:
      return false
  }
}

/** UniswapV3Pool._modifyPosition's effect on what a swap reads (Tick.update and TickBitmap.flipTick). */
function modifyPosition(state: V3State, tickLower: number, tickUpper: number, delta: bigint): boolean {
  if (delta === 0n) return false
  // Copy on write: the journal may hold the maps as they are.
  state.bitmap = { ...state.bitmap, words: new Map(state.bitmap.words) }
  state.liquidityNet = new Map(state.liquidityNet)
  state.liquidityGross = new Map(state.liquidityGross)
  updateTick(state, tickLower, delta, false)
  updateTick(state, tickUpper, delta, true)
  if (state.tick >= tickLower && state.tick < tickUpper) state.liquidity += delta
  return true
}

function updateTick(state: V3State, tick: number, delta: bigint, upper: boolean): void {
  const grossBefore = state.liquidityGross.get(tick) ?? 0n
  const grossAfter = grossBefore + delta
  if (grossAfter < 0n) throw new Error(`tick ${tick}: liquidityGross would go below zero`)
  const net = (state.liquidityNet.get(tick) ?? 0n) + (upper ? -delta : delta)
  if ((grossBefore === 0n) !== (grossAfter === 0n)) {
    const { wordPos, bitPos } = position(tick / state.tickSpacing)
    const word = (state.bitmap.words.get(wordPos) ?? 0n) ^ (1n << BigInt(bitPos))
    if (word === 0n) state.bitmap.words.delete(wordPos)
    else state.bitmap.words.set(wordPos, word)
  }
  if (grossAfter === 0n) {
    // Burn to zero clears the tick (Tick.clear): nothing of it remains.
    state.liquidityGross.delete(tick)
    state.liquidityNet.delete(tick)
  } else {
    state.liquidityGross.set(tick, grossAfter)
    state.liquidityNet.set(tick, net)
  }
}

