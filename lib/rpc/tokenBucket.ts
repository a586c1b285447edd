/**
 * A token bucket of `capacity` tokens refilled at `ratePerSecond`, as GCRA (the virtual
 * scheduling form): each request is granted at the earliest time that keeps every window
 * within `rate` requests per second plus a burst of `capacity`. Grants are computed when a
 * request asks, so a busy event loop waking a waiter late never lets two through early.
 * The rate carries 5% headroom for jitter between our clock and the provider's counter.
 */
export class TokenBucket {
  /** Theoretical arrival time of the next request (ms). */
  private tat = Number.NEGATIVE_INFINITY
  readonly interval: number
  private readonly tolerance: number

  constructor(ratePerSecond: number, readonly capacity = 1, private readonly now: () => number = () => performance.now()) {
    this.interval = 1050 / ratePerSecond
    this.tolerance = (capacity - 1) * this.interval
  }

  /** Waits for a token; resolves to the milliseconds waited. */
  async take(): Promise<number> {
    const asked = this.now()
    const grant = this.reserve(asked)
    // Timers may fire a fraction of a millisecond early: wait until the grant has truly come.
    for (let wait = grant - this.now(); wait > 0; wait = grant - this.now()) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(wait))))
    }
    return this.now() - asked
  }

  /** Books the next token at or after `at` and returns its grant time. */
  reserve(at: number): number {
    const grant = Math.max(at, this.tat - this.tolerance)
    this.tat = Math.max(this.tat, grant) + this.interval
    return grant
  }

  /** Holds every token back until `ms` from now (a server's short Retry-After). */
  delay(ms: number): void {
    this.tat = Math.max(this.tat, this.now() + ms + this.tolerance)
  }
}
