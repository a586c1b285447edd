export { mulberry32 } from '../../lib/random.ts'

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

/** Log-uniform bigint in [1, max]: dust and whales equally likely per order of magnitude. */
export function logUniform(random: () => number, max: bigint): bigint {
  const digits = max.toString().length
  const exponent = random() * digits
  const whole = 10n ** BigInt(Math.floor(exponent))
  const value = (whole * BigInt(Math.floor(10 ** (exponent % 1) * 1e6))) / 1_000_000n
  return value < 1n ? 1n : value > max ? max : value
}
