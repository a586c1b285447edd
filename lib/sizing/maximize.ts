/**
 * Maximises an integer function that is unimodal on [lo, hi] (arbitrage gross profit
 * is concave in size for constant-product and concentrated-liquidity pools) by
 * golden-section search, then an exact scan of the last few integers. `null` means
 * infeasible (the pool cannot fill that size) and counts as minus infinity.
 */
export function maximize(f: (x: bigint) => bigint | null, lo: bigint, hi: bigint): { x: bigint; value: bigint; evaluations: number } | null {
  if (hi < lo) return null
  let evaluations = 0
  const cache = new Map<bigint, bigint | null>()
  const at = (x: bigint): bigint | null => {
    if (!cache.has(x)) {
      evaluations++
      cache.set(x, f(x))
    }
    return cache.get(x)!
  }
  const better = (a: bigint | null, b: bigint | null) => a !== null && (b === null || a > b)

  // 0.381966… = 2 − φ, in parts per 1e9.
  const step = (width: bigint) => (width * 381_966_011n) / 1_000_000_000n
  let a = lo
  let b = hi
  while (b - a > 8n) {
    const m1 = a + step(b - a)
    const m2 = b - step(b - a)
    if (better(at(m2), at(m1))) a = m1
    else b = m2
  }
  let best: { x: bigint; value: bigint } | null = null
  for (let x = a; x <= b; x++) {
    const value = at(x)
    if (value !== null && (best === null || value > best.value)) best = { x, value }
  }
  return best ? { ...best, evaluations } : null
}
