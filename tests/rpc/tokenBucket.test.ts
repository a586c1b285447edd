import { describe, expect, test } from 'bun:test'
import { TokenBucket } from '../../lib/rpc/tokenBucket.ts'

describe('TokenBucket (GCRA)', () => {
  test('behavior: grants are 1.05/rate apart (5% headroom), computed where they are granted', () => {
    const bucket = new TokenBucket(50, 1, () => 0)
    const grants = Array.from({ length: 8 }, () => bucket.reserve(0))
    expect(grants).toEqual(Array.from({ length: 8 }, (_, i) => i * 21))
  })

  test('behavior: a burst of `capacity` goes at once, then the rate holds', () => {
    const bucket = new TokenBucket(10, 3)
    const grants = Array.from({ length: 6 }, () => bucket.reserve(1000))
    expect(grants).toEqual([1000, 1000, 1000, 1105, 1210, 1315])
    // An idle bucket refills: a second later the burst is available again.
    expect([bucket.reserve(3000), bucket.reserve(3000), bucket.reserve(3000), bucket.reserve(3000)]).toEqual([3000, 3000, 3000, 3105])
  })

  test('behavior: no window of one second ever holds more than rate + capacity − 1 grants', () => {
    for (const [rate, capacity] of [[4, 1], [4, 3], [20, 10], [7, 2]] as const) {
      const bucket = new TokenBucket(rate, capacity)
      let clock = 0
      const grants: number[] = []
      for (let i = 0; i < 200; i++) {
        clock += (i * 7919) % 13 // irregular arrivals, often faster than the rate
        grants.push(bucket.reserve(clock))
      }
      const most = Math.max(...grants.map((start) => grants.filter((t) => t >= start && t < start + 1000).length))
      expect(most).toBeLessThanOrEqual(rate + capacity - 1)
    }
  })

  test('behavior: take() waits until its grant (never early, whatever the timers do)', async () => {
    const bucket = new TokenBucket(100, 1)
    const asked = performance.now()
    const grants = [bucket.reserve(asked), bucket.reserve(asked)]
    const waited = await bucket.take()
    expect(waited).toBeGreaterThanOrEqual(grants[1]! + bucket.interval - asked - 0.001)
  })

  test('behavior: a short Retry-After holds every token back', async () => {
    const bucket = new TokenBucket(1000, 5)
    await bucket.take()
    bucket.delay(60)
    const waited = await bucket.take()
    expect(waited).toBeGreaterThanOrEqual(59)
  })
})
