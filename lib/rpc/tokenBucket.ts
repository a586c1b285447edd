/**
 * A token bucket of capacity 1 refilled at `ratePerSecond`, as a queue: each request is let
 * through at least 1/rate after the previous one actually went (plus 5% headroom for jitter
 * between our clock and the provider's counter), so no one-second window sees more than
 * `rate` of them, even when a busy event loop wakes a waiter late.
 */
export class TokenBucket {
  /** When the previous request was let through. */
  private last: Promise<number> = Promise.resolve(Number.NEGATIVE_INFINITY)
  private readonly interval: number

  constructor(ratePerSecond: number, private readonly now: () => number = () => performance.now()) {
    this.interval = 1050 / ratePerSecond
  }

  /** Waits for a slot; resolves to the milliseconds waited. */
  take(): Promise<number> {
    const asked = this.now()
    const granted = this.last.then(async (previous) => {
      // Timers may fire a fraction of a millisecond early: wait until the slot has truly come.
      for (let wait = previous + this.interval - this.now(); wait > 0; wait = previous + this.interval - this.now()) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(wait))))
      }
      return this.now()
    })
    this.last = granted
    return granted.then((at) => at - asked)
  }

  /** Holds the next slot back by at least `ms` from now (a server's Retry-After). */
  delay(ms: number): void {
    const until = this.now() + ms - this.interval
    this.last = this.last.then((previous) => Math.max(previous, until))
  }
}
