import { leastSignificantBit, mostSignificantBit } from './bitMath.ts'

/** Thrown when a swap reaches a bitmap word that was not read: the caller must not guess. */
export class TickDataMissing extends Error {
  constructor(readonly wordPos: number) {
    super(`TICK_WORD_NOT_LOADED(${wordPos})`)
  }
}

/** The part of a pool's tick bitmap that was read: words by position, within [minWord, maxWord]. */
export type TickBitmap = { words: Map<number, bigint>; minWord: number; maxWord: number }

/** The masks of TickBitmap.nextInitializedTickWithinOneWord by bit position, made once: bits at or below it (lte), and at or above it. */
const AT_OR_BELOW = Array.from({ length: 256 }, (_, bit) => (1n << BigInt(bit)) - 1n + (1n << BigInt(bit)))
const AT_OR_ABOVE = Array.from({ length: 256 }, (_, bit) => ~((1n << BigInt(bit)) - 1n) & ((1n << 256n) - 1n))

export function position(compressed: number): { wordPos: number; bitPos: number } {
  return { wordPos: compressed >> 8, bitPos: compressed & 0xff }
}

function word(bitmap: TickBitmap, wordPos: number): bigint {
  if (wordPos < bitmap.minWord || wordPos > bitmap.maxWord) throw new TickDataMissing(wordPos)
  return bitmap.words.get(wordPos) ?? 0n
}

/** TickBitmap.nextInitializedTickWithinOneWord. */
export function nextInitializedTickWithinOneWord(bitmap: TickBitmap, tick: number, tickSpacing: number, lte: boolean): { next: number; initialized: boolean } {
  let compressed = Math.trunc(tick / tickSpacing)
  if (tick < 0 && tick % tickSpacing !== 0) compressed--
  if (lte) {
    const { wordPos, bitPos } = position(compressed)
    const masked = word(bitmap, wordPos) & AT_OR_BELOW[bitPos]!
    const initialized = masked !== 0n
    const next = initialized ? (compressed - (bitPos - mostSignificantBit(masked))) * tickSpacing : (compressed - bitPos) * tickSpacing
    return { next, initialized }
  }
  const { wordPos, bitPos } = position(compressed + 1)
  const masked = word(bitmap, wordPos) & AT_OR_ABOVE[bitPos]!
  const initialized = masked !== 0n
  const next = initialized
    ? (compressed + 1 + (leastSignificantBit(masked) - bitPos)) * tickSpacing
    : (compressed + 1 + (255 - bitPos)) * tickSpacing
  return { next, initialized }
}
