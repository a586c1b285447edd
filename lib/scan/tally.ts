import { REJECT_STAGES, type Reject } from '../contract/parts.ts'
import { GATE_BUCKETS, REJECT_BUCKETS, REJECT_CODES, type RejectCode } from '../contract/rejectCodes.ts'

type Stage = Reject['stage']

const STAGE_INDEX = Object.fromEntries(REJECT_STAGES.map((stage, i) => [stage, i])) as Record<Stage, number>
const CODE_INDEX = new Map(REJECT_CODES.map((code, i) => [code, i]))

/**
 * Reject counts by stage and code: all the histogram and the truth report need of a cycle's
 * rejects, kept per pair while its verdicts hold, so a cycle counts without building them.
 */
export class RejectTally {
  /** Counts at stage index × codes + code index (a flat array: a verdict counted with no map in between), made at the first count. */
  private cells: number[] | null = null
  /** The cells counted in, in the order first counted: a merge adds only those (most tallies hold a few of the hundreds). */
  private readonly used: number[] = []
  total = 0

  add(stage: Stage, code: RejectCode, n = 1): this {
    this.count(STAGE_INDEX[stage] * REJECT_CODES.length + CODE_INDEX.get(code)!, n)
    return this
  }

  merge(other: RejectTally): this {
    if (other.total === 0) return this
    for (const i of other.used) this.count(i, other.cells![i]!)
    return this
  }

  private count(i: number, n: number): void {
    if (n === 0) return
    const cells = (this.cells ??= new Array<number>(REJECT_STAGES.length * REJECT_CODES.length).fill(0))
    if (cells[i] === 0) this.used.push(i)
    cells[i]! += n
    this.total += n
  }

  static of(rejects: readonly Reject[]): RejectTally {
    const tally = new RejectTally()
    for (const reject of rejects) tally.add(reject.stage, reject.code)
    return tally
  }

  /** Every count there is, by stage then code (the closed lists' orders). */
  entries(): { stage: Stage; code: RejectCode; count: number }[] {
    const out: { stage: Stage; code: RejectCode; count: number }[] = []
    const cells = this.cells ?? []
    for (let i = 0; i < cells.length; i++) {
      if (cells[i]) out.push({ stage: REJECT_STAGES[Math.floor(i / REJECT_CODES.length)]!, code: REJECT_CODES[i % REJECT_CODES.length]!, count: cells[i]! })
    }
    return out
  }

  /** Counts by code, in the closed list's order, codes with none left out. */
  byCode(): Partial<Record<RejectCode, number>> {
    const out: Partial<Record<RejectCode, number>> = {}
    for (const { code, count } of this.entries()) out[code] = (out[code] ?? 0) + count
    // In the closed list's order, codes with none left out.
    return Object.fromEntries(REJECT_CODES.filter((code) => out[code]).map((code) => [code, out[code]!]))
  }

  byStage(): Record<Stage, number> {
    const out = Object.fromEntries(REJECT_STAGES.map((stage) => [stage, 0])) as Record<Stage, number>
    for (const { stage, count } of this.entries()) out[stage] += count
    return out
  }

  byBucket(): Record<(typeof GATE_BUCKETS)[number], number> {
    const out = Object.fromEntries(GATE_BUCKETS.map((bucket) => [bucket, 0])) as Record<(typeof GATE_BUCKETS)[number], number>
    for (const { code, count } of this.entries()) out[REJECT_BUCKETS[code]] += count
    return out
  }
}

const CODE_MARK = new Map<RejectCode | null, string>([[null, '.'], ...REJECT_CODES.map((code, i) => [code, String.fromCharCode(65 + i)] as const)])

/** One character per verdict (a code, or '.' for none): verdicts compared as strings. */
export function verdictMarks(codes: Iterable<RejectCode | null | undefined>): string {
  let out = ''
  for (const code of codes) out += code === undefined ? '-' : CODE_MARK.get(code)!
  return out
}
