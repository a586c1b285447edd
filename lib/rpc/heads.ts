import { createPublicClient, formatBlock, webSocket, type Hex, type RpcBlock } from 'viem'
import { redactText } from '../redact.ts'
import { checkAnswer } from './answers.ts'

/** What a cycle needs of a block's header. */
export type Header = { number: bigint; hash: Hex; parentHash: Hex; timestamp: bigint; baseFeePerGas: bigint | null }

/** Headers kept for the follower (a few seconds of Arbitrum blocks). */
const KEPT = 64

/**
 * New heads announced over a WebSocket (eth_subscribe newHeads through viem's webSocket
 * transport). They wake the follower, and their headers spare the next sync round its header
 * requests (the logs are then asked by block hash: a node without that block fails loudly
 * rather than answering nothing). A silent or broken socket costs nothing but the poll interval.
 */
export class HeadFeed {
  private newest = 0n
  private readonly headers = new Map<bigint, Header>()
  private readonly waiters = new Set<{ above: bigint; wake: () => void }>()
  private readonly client
  private readonly subscribed: Promise<(() => void) | null>
  private closed = false
  /** Heads announced so far (for logs and tests). */
  announced = 0

  constructor(url: string, onError: (message: string) => void) {
    this.client = createPublicClient({ transport: webSocket(url, { retryCount: 2, timeout: 5_000 }) })
    const failed = (error: Error) => onError(`head subscription: ${redactText(error.message.split('\n')[0] ?? 'error')}`)
    // The subscription itself, not viem's watchBlocks: that one asks for each announced block
    // again (a round trip on the socket before the follower wakes); the announcement is the header.
    this.subscribed = this.client.transport.subscribe({
      params: ['newHeads'],
      onData: (data: { result?: unknown }) => this.announce(data.result),
      onError: failed,
    }).then(({ unsubscribe }) => {
      if (this.closed) void unsubscribe()
      return () => void unsubscribe()
    }, (error: Error) => {
      failed(error)
      return null
    })
  }

  /** The highest head announced so far (0: none yet). */
  get latest(): bigint {
    return this.newest
  }

  /** The header announced for `block`, if it was (and is recent). */
  header(block: bigint): Header | undefined {
    return this.headers.get(block)
  }

  private announce(raw: unknown): void {
    // Checked at the boundary like an HTTP answer: a malformed announcement is no head.
    let header
    try {
      checkAnswer('eth_getBlockByNumber', raw)
      header = formatBlock(raw as RpcBlock)
    } catch {
      return
    }
    const block = header.number
    if (block === null || block <= 0n || header.hash === null) return
    this.announced++
    this.headers.set(block, { number: block, hash: header.hash, parentHash: header.parentHash, timestamp: header.timestamp, baseFeePerGas: header.baseFeePerGas ?? null })
    this.headers.delete(block - BigInt(KEPT))
    if (block > this.newest) this.newest = block
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
    this.closed = true
    ;(await this.subscribed)?.()
    for (const waiter of this.waiters) waiter.wake()
    try {
      const rpc = await this.client.transport.getRpcClient()
      rpc.close()
    } catch {
      // Never connected: nothing to close.
    }
  }
}

