import type { Reject } from '../contract/parts.ts'
import { GATE_BUCKETS, REJECT_BUCKETS, REJECT_CODES, type RejectCode } from '../contract/rejectCodes.ts'

type Stage = Reject['stage']

/**
 * Reject counts by stage and code: all the histogram and the truth report need of a cycle's
 * rejects, kept per pair while its verdicts hold, so a cycle counts without building them.
 */
export class RejectTally {
  readonly counts = new Map<Stage, Map<RejectCode, number>>()
  total = 0

  add(stage: Stage, code: RejectCode, n = 1): this {
    let row = this.counts.get(stage)
    if (!row) this.counts.set(stage, row = new Map())
    row.set(code, (row.get(code) ?? 0) + n)
    this.total += n
    return this
  }

  merge(other: RejectTally): this {
    for (const [stage, row] of other.counts) for (const [code, n] of row) this.add(stage, code, n)
    return this
  }

  static of(rejects: readonly Reject[]): RejectTally {
    const tally = new RejectTally()
    for (const reject of rejects) tally.add(reject.stage, reject.code)
    return tally
  }

  /** Counts by code, in the closed list's order, codes with none left out. */
  byCode(): Partial<Record<RejectCode, number>> {
    const sums = new Map<RejectCode, number>()
    for (const row of this.counts.values()) for (const [code, n] of row) sums.set(code, (sums.get(code) ?? 0) + n)
    return Object.fromEntries(REJECT_CODES.filter((code) => sums.get(code)).map((code) => [code, sums.get(code)!]))
  }

  byStage(): Record<Stage, number> {
    const out: Record<Stage, number> = { block: 0, registry: 0, quote: 0, candidate: 0, simulation: 0, execution: 0 }
    for (const [stage, row] of this.counts) for (const n of row.values()) out[stage] += n
    return out
  }

  byBucket(): Record<(typeof GATE_BUCKETS)[number], number> {
    const out = Object.fromEntries(GATE_BUCKETS.map((bucket) => [bucket, 0])) as Record<(typeof GATE_BUCKETS)[number], number>
    for (const row of this.counts.values()) for (const [code, n] of row) out[REJECT_BUCKETS[code]] += n
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
