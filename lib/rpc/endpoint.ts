import { http, ResponseBodyTooLargeError, RpcRequestError, type EIP1193RequestFn } from 'viem'
import { buildRequest, getHttpRpcClient } from 'viem/utils'
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

/** One item of a JSON-RPC batch's answer (ids as sent: the batch's order). */
type BatchAnswer = { id: number; error?: { code: number; message: string }; result?: unknown }

/** The largest response body read (viem's default). */
const MAX_RESPONSE_BYTES = 10 * 2 ** 20

/**
 * A response whose body is at most MAX_RESPONSE_BYTES: by its declared length at once; without
 * one (chunked), read here up to the bound and handed on whole.
 */
async function bounded(response: Response): Promise<Response> {
  const declared = response.headers.get('content-length')
  if (declared !== null) {
    if (Number(declared) <= MAX_RESPONSE_BYTES) return response
    await response.body?.cancel()
    throw new ResponseBodyTooLargeError({ size: Number(declared), maxSize: MAX_RESPONSE_BYTES })
  }
  if (!response.body) return response
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel()
      throw new ResponseBodyTooLargeError({ size, maxSize: MAX_RESPONSE_BYTES })
    }
    chunks.push(value)
  }
  return new Response(new Blob(chunks), { status: response.status, statusText: response.statusText, headers: response.headers })
}

/** The most requests one JSON-RPC batch carries (providers cap batches; a block's round is a few). */
export const MAX_BATCH = 16

/** One RPC endpoint: viem's fetch-based http transport without its own retries, a rate limit, health. */
export class Endpoint {
  readonly label: string
  readonly request: EIP1193RequestFn
  /**
   * Several requests as one JSON-RPC batch (one HTTP request, sent at once): each one's answer,
   * or its error as viem would raise it for the request alone.
   */
  readonly batch: (requests: { method: string; params?: unknown }[]) => Promise<unknown>[]
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
      async (input: string | URL | Request, init?: RequestInit) => bounded(await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, options.closed]) : options.closed })),
      { preconnect: fetch.preconnect },
    )
    // Bodies are bounded by `bounded` (viem's own bound reads them chunk by chunk through a stream: ~1 ms a round on Bun).
    this.request = http(url, { timeout: options.timeoutMs, retryCount: 0, fetchFn, maxResponseBodySize: false })({ retryCount: 0 }).request
    // Not viem's batching transport: it gathers a tick's requests behind a setTimeout(0), ~1 ms on Bun every round.
    const rpc = getHttpRpcClient(url, { timeout: options.timeoutMs, fetchFn, maxResponseBodySize: false })
    // Each answer raised as the transport raises it (buildRequest maps a JSON-RPC error to viem's class for its code).
    const answerOf = buildRequest(async ({ method, params, answer }: { method: string; params?: unknown; answer: Promise<BatchAnswer | undefined> }) => {
      const got = await answer
      if (!got) throw new Error(`the endpoint's answer to a JSON-RPC batch lacks the ${method} request's`)
      if (got.error) throw new RpcRequestError({ body: { method, params }, error: got.error, url })
      return got.result
    }, { retryCount: 0 })
    this.batch = (requests) => {
      const answers = rpc.request({ body: requests.map(({ method, params }) => ({ method, params })) })
        .then((all) => (all as BatchAnswer[]).sort((a, b) => a.id - b.id))
      const each = requests.map(({ method, params }, i) => answerOf({ method, params, answer: answers.then((all) => all[i]) }))
      // Marked handled here; each caller still sees its own rejection.
      for (const promise of each) promise.catch(() => {})
      return each
    }
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
