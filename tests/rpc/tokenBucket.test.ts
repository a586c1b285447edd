import { describe, expect, test } from 'bun:test'
import { TokenBucket } from '../../lib/rpc/tokenBucket.ts'

describe('TokenBucket', () => {
  test('behavior: concurrent takers are let through one at a time, >= 1.05/rate apart', async () => {
    const bucket = new TokenBucket(50)
    const granted: number[] = []
    await Promise.all(Array.from({ length: 8 }, () => bucket.take().then(() => granted.push(performance.now()))))
    granted.sort((a, b) => a - b)
    for (let i = 1; i < granted.length; i++) expect(granted[i]! - granted[i - 1]!).toBeGreaterThanOrEqual(20.5)
  })

  test('behavior: Retry-After holds the next slot back', async () => {
    const bucket = new TokenBucket(1000)
    await bucket.take()
    bucket.delay(60)
    const waited = await bucket.take()
    expect(waited).toBeGreaterThanOrEqual(55)
  })
})
