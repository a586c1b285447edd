import { createPublicClient, webSocket } from 'viem'
import { redactText } from '../redact.ts'

/**
 * New heads announced over a WebSocket (eth_subscribe newHeads through viem's webSocket
 * transport). It only wakes the follower: the head a cycle pins is still read through the
 * HTTP endpoints, and a silent or broken socket costs nothing but the poll interval.
 */
export class HeadFeed {
  private latest = 0n
  private readonly waiters = new Set<{ above: bigint; wake: () => void }>()
  private readonly client
  private readonly unwatch: () => void
  /** Heads announced so far (for logs and tests). */
  announced = 0

  constructor(url: string, onError: (message: string) => void) {
    this.client = createPublicClient({ transport: webSocket(url, { retryCount: 2, timeout: 5_000 }) })
    this.unwatch = this.client.watchBlockNumber({
      emitOnBegin: false,
      onBlockNumber: (block) => this.announce(block),
      onError: (error) => onError(`head subscription: ${redactText(error.message.split('\n')[0] ?? 'error')}`),
    })
  }

  private announce(block: bigint): void {
    this.announced++
    if (block > this.latest) this.latest = block
    for (const waiter of this.waiters) {
      if (this.latest > waiter.above) {
        this.waiters.delete(waiter)
        waiter.wake()
      }
    }
  }

  /**
   * Resolves true when a head above `block` is (or was) announced; false after `ms` at the
   * latest, on abort, or when the feed closes.
   */
  wait(block: bigint, ms: number, signal: AbortSignal): Promise<boolean> {
    if (this.latest > block) return Promise.resolve(true)
    if (signal.aborted) return Promise.resolve(false)
    return new Promise((resolve) => {
      const waiter = { above: block, wake: () => done() }
      const timer = setTimeout(() => done(), ms)
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(waiter)
        signal.removeEventListener('abort', done)
        resolve(this.latest > block)
      }
      this.waiters.add(waiter)
      signal.addEventListener('abort', done, { once: true })
    })
  }

  /** Unsubscribes and closes the socket (an open socket would keep the process alive). */
  async close(): Promise<void> {
    this.unwatch()
    for (const waiter of this.waiters) waiter.wake()
    try {
      const rpc = await this.client.transport.getRpcClient()
      rpc.close()
    } catch {
      // Never connected: nothing to close.
    }
  }
}
