import { http, type EIP1193RequestFn } from 'viem'
import { redactUrl } from '../redact.ts'
import type { FaultKind } from './classify.ts'
import { TokenBucket } from './tokenBucket.ts'

export type EndpointStatus = 'active' | 'lagging' | 'down' | 'wrong_chain'

/** Counters of one endpoint since its last report (a cycle, and in watch mode the polling before it). */
export type EndpointCounters = {
  requests: number
  ok: number
  errors: Partial<Record<FaultKind, number>>
  retries: number
  rateLimitWaits: number
  rateLimitWaitMs: number
  latencies: number[]
}

/** The most requests one JSON-RPC batch carries (providers cap batches; a block's round is a few). */
export const MAX_BATCH = 16

/** One RPC endpoint: viem's fetch-based http transport without its own retries, a rate limit, health. */
export class Endpoint {
  readonly label: string
  readonly request: EIP1193RequestFn
  /** The same endpoint through a batching transport: requests made in one tick go out as one JSON-RPC batch. */
  readonly batchRequest: EIP1193RequestFn
  /** False once the endpoint refused a batch (some providers do): one request each from then on. */
  batches = true
  /** null: not rate-limited (a loopback node has no quota). */
  readonly bucket: TokenBucket | null
  status: EndpointStatus = 'active'
  /** Until when (performance.now) the endpoint rests after a long Retry-After: no request is sent before. */
  restingUntil = 0
  /** The last failure, for messages (kind and one line). */
  lastError: { kind: FaultKind; message: string } | null = null
  head: bigint | null = null
  chainId: number | null = null
  /** Consecutive transient failures; past a few the endpoint goes to the back of the line. */
  failures = 0
  /** Smoothed success rate, for ranking. */
  score = 1
  counters: EndpointCounters = emptyCounters()

  constructor(readonly url: string, options: { timeoutMs: number; ratePerSecond: number; burst: number; throttleLoopback: boolean; closed: AbortSignal }) {
    this.label = redactUrl(url)
    this.bucket = options.throttleLoopback || !isLoopback(url) ? new TokenBucket(options.ratePerSecond, options.burst) : null
    // Every fetch also ends when the pool closes, so a hanging endpoint cannot keep the process alive.
    const fetchFn: typeof fetch = Object.assign(
      (input: string | URL | Request, init?: RequestInit) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, options.closed]) : options.closed }),
      { preconnect: fetch.preconnect },
    )
    this.request = http(url, { timeout: options.timeoutMs, retryCount: 0, fetchFn })({ retryCount: 0 }).request
    this.batchRequest = http(url, { timeout: options.timeoutMs, retryCount: 0, fetchFn, batch: { batchSize: MAX_BATCH } })({ retryCount: 0 }).request
  }

  /** A new cycle forgives past failures (the counters run until they are reported). */
  resetCycle(): void {
    this.failures = 0
  }

  resetCounters(): void {
    this.counters = emptyCounters()
  }

  recordOk(latencyMs: number): void {
    this.counters.ok++
    this.counters.latencies.push(latencyMs)
    this.failures = 0
    this.score = this.score * 0.8 + 0.2
  }

  recordFault(kind: FaultKind, latencyMs: number, message = ''): void {
    // A revert or out-of-gas is a correct answer about the EVM: the endpoint is healthy.
    if (kind === 'execution') return this.recordOk(latencyMs)
    this.counters.errors[kind] = (this.counters.errors[kind] ?? 0) + 1
    this.counters.latencies.push(latencyMs)
    this.lastError = { kind, message }
    if (kind !== 'permanent') {
      this.failures++
      this.score = this.score * 0.8
    }
  }
}

/** 127.0.0.0/8, ::1 and localhost: the embedded devnet or a node on this machine. */
export function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  } catch {
    return false
  }
}

function emptyCounters(): EndpointCounters {
  return { requests: 0, ok: 0, errors: {}, retries: 0, rateLimitWaits: 0, rateLimitWaitMs: 0, latencies: [] }
}
