import { InputError } from '../errors.ts'

const UNITS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** "90s", "30m", "24h", "7d" → milliseconds; anything else is bad input naming the flag. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim())
  if (!match || Number(match[1]) === 0) throw new InputError('DURATION_INVALID', `${flag} ${text} is not a duration`, { hint: `e.g. ${flag} 24h (units: s, m, h, d)` })
  return Number(match[1]) * UNITS[match[2] as keyof typeof UNITS]
}
