/**
 * BitMath.mostSignificantBit: index of the highest set bit (x > 0). From the hex digits (the
 * engine's own conversion) rather than eight BigInt compares and shifts: 4 bits per digit
 * below the first, and the first digit's own highest bit.
 */
export function mostSignificantBit(x: bigint): number {
  if (x <= 0n) throw new Error('BITMATH_ZERO')
  const hex = x.toString(16)
  return (hex.length - 1) * 4 + 31 - Math.clz32(parseInt(hex[0]!, 16))
}

/** BitMath.leastSignificantBit: index of the lowest set bit (x > 0). */
export function leastSignificantBit(x: bigint): number {
  if (x <= 0n) throw new Error('BITMATH_ZERO')
  return mostSignificantBit(x & -x)
}
