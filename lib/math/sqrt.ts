/** Floor integer square root (Newton's method on bigint). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new Error('SQRT_NEGATIVE')
  if (n < 2n) return n
  let x = BigInt(Math.floor(Math.sqrt(Number(n))))
  // Refine from the float guess; it can be off either way for large n.
  for (;;) {
    const y = (x + n / x) >> 1n
    if (y >= x && x * x <= n && (x + 1n) * (x + 1n) > n) return x
    x = y === x ? x - 1n : y
  }
}

/** 2^96-scaled square root of the price `token1 per token0` = num/den (raw units). */
export function encodeSqrtPriceX96(num: bigint, den: bigint): bigint {
  return isqrt((num << 192n) / den)
}
