/**
 * A token bucket of capacity 1 refilled at `ratePerSecond`: requests are spaced at least
 * 1/rate apart (plus 5% headroom for latency jitter between us and the provider's
 * counter), so no one-second window sees more than `rate` of them.
 */
export class TokenBucket {
  private next = 0
  constructor(private readonly ratePerSecond: number, private readonly now: () => number = () => performance.now()) {}

  /** Waits for a slot; resolves to the milliseconds waited. */
  async take(): Promise<number> {
    const interval = 1050 / this.ratePerSecond
    const now = this.now()
    const slot = Math.max(now, this.next)
    this.next = slot + interval
    const wait = slot - now
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    return wait
  }

  /** Pushes the next slot out (a Retry-After from the server). */
  delay(ms: number): void {
    this.next = Math.max(this.next, this.now() + ms)
  }
}
