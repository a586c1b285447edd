import { InputError } from '../errors.ts'

/** A flag's whole number ≥ 1 (at most 9 digits), or bad input naming the flag. */
export function positiveInt(text: string, flag: string): number {
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new InputError('NUMBER_INVALID', `${flag} must be a whole number >= 1, got "${text}"`, { hint: `e.g. ${flag} 100` })
  return Number(text)
}
