import { removeQuietly } from './outputDir.ts'

/**
 * Retention of a long run's per-cycle files: keep the last `keep` cycles written, and/or those
 * younger than `keepForMs`; older files are deleted as new ones arrive. Only files this run
 * wrote are touched (scan.log rotates on its own).
 */
export class Retention {
  private readonly written: { at: number; files: string[] }[] = []

  constructor(private readonly limits: { keep?: number; keepForMs?: number }, private readonly now: () => number = () => Date.now()) {}

  get active(): boolean {
    return this.limits.keep !== undefined || this.limits.keepForMs !== undefined
  }

  /** Records a cycle's files and deletes what falls out of the limits; returns how many files were deleted. */
  add(files: string[]): number {
    this.written.push({ at: this.now(), files })
    let removed = 0
    const { keep, keepForMs } = this.limits
    while (this.written.length && ((keep !== undefined && this.written.length > keep) || (keepForMs !== undefined && this.written[0]!.at < this.now() - keepForMs))) {
      for (const file of this.written.shift()!.files) {
        removeQuietly(file)
        removed++
      }
    }
    return removed
  }
}
