/**
 * A fault-injecting JSON-RPC proxy on 127.0.0.1 for tests: forwards to an upstream node
 * and, by configured rates from a seeded RNG, answers with 429 (with or without
 * Retry-After), 500/502/503, hangs past the client's timeout, dropped connections,
 * truncated JSON, JSON-RPC errors, fixed (malformed) results; can lag the head by N blocks,
 * lie about the chain id, or be dead. Bounded: at most `maxRequests` requests, and it stops after `ttlMs`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mulberry32 } from './random.ts'

export type FaultRates = Partial<Record<'rate_limit' | 'rate_limit_retry_after' | 'server' | 'hang' | 'drop' | 'truncated' | 'rpc_error', number>>

export type FaultProxyOptions = {
  upstream: string
  rates?: FaultRates
  /** Report this many blocks less as head; refuse calls for blocks above the lagged head. */
  lagBlocks?: number
  chainId?: number
  dead?: boolean
  hangMs?: number
  /** The Retry-After a `rate_limit_retry_after` fault carries (seconds; default 0.05). */
  retryAfter?: string
  /** Faults hit only these methods (default: every method). */
  faultMethods?: string[]
  /** false: JSON-RPC batches are refused with one error object (as some providers answer). */
  batches?: boolean
  /** Methods answered "method not found" (-32601), as a node without them would. */
  missingMethods?: string[]
  /** Fixed results for some methods (e.g. a malformed eth_blockNumber). */
  results?: Record<string, unknown>
  /** The JSON-RPC error code of an `rpc_error` fault (default -32603, internal error: transient). */
  rpcErrorCode?: number
  /** Added to every answer: a hosted RPC's round trip, simulated. */
  latencyMs?: number
  /** eth_getLogs spanning more blocks than this is refused, as hosted providers do. */
  maxLogRange?: number
  seed?: number
  maxRequests?: number
  ttlMs?: number
}

export type FaultProxy = {
  url: string
  /** Arrival time (ms, performance.now) and method of every JSON-RPC request (each of a batch: `batch` is its HTTP request's size). */
  log: { at: number; method: string; params: string; block: string | null; fault: string | null; batch?: number }[]
  /** HTTP requests received (a JSON-RPC batch is one). */
  readonly requests: number
  setDead(dead: boolean): void
  stop(): void
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = mulberry32(options.seed ?? 1)
  const hanging = new Set<ReturnType<typeof setTimeout>>()
  const log: FaultProxy['log'] = []
  let dead = options.dead ?? false

  let requests = 0
  const answer = async (raw: string): Promise<Reply> => {
    requests++
    if (dead) return { status: 503, body: '' }
    if (log.length >= (options.maxRequests ?? 20_000)) return { status: 503, body: 'proxy request cap reached' }
    const parsed = JSON.parse(raw) as { id: number; method: string; params?: unknown[] } | { id: number; method: string; params?: unknown[] }[]
    if (Array.isArray(parsed)) return answerBatch(parsed, raw)
    const body = parsed
    const block = body.method === 'eth_call' || body.method === 'eth_getBlockByNumber' ? String((body.params ?? [])[body.method === 'eth_call' ? 1 : 0] ?? '') : null
    const entry = { at: performance.now(), method: body.method, params: JSON.stringify(body.params ?? []), block, fault: null as string | null }
    log.push(entry)
    const json = (value: unknown): Reply => ({ status: 200, body: JSON.stringify(value), json: true })

    const fault = !options.faultMethods || options.faultMethods.includes(body.method) ? pick(options.rates ?? {}, random()) : null
    entry.fault = fault
    switch (fault) {
      case 'rate_limit': return { status: 429, body: '{"error":"too many requests"}' }
      case 'rate_limit_retry_after': return { status: 429, body: '{"error":"too many requests"}', headers: { 'retry-after': options.retryAfter ?? '0.05' } }
      case 'server': return { status: [500, 502, 503][Math.floor(random() * 3)]!, body: 'bad gateway' }
      case 'hang': await new Promise((resolve) => { const timer = setTimeout(resolve, options.hangMs ?? 2000); hanging.add(timer) }); return { status: 504, body: 'late' }
      case 'drop': return { status: 200, body: '{"jsonrpc":"2.0","id"', json: true, drop: true }
      case 'truncated': return { status: 200, body: '{"jsonrpc":"2.0","id":1,"resu', json: true }
      case 'rpc_error': return json({ jsonrpc: '2.0', id: body.id, error: { code: options.rpcErrorCode ?? -32603, message: options.rpcErrorCode === -32602 ? 'invalid params' : 'internal error' } })
    }

    if (body.method === 'eth_getLogs' && options.maxLogRange !== undefined) {
      const [filter] = (body.params ?? []) as [{ fromBlock?: string; toBlock?: string }]
      const span = BigInt(filter?.toBlock ?? '0x0') - BigInt(filter?.fromBlock ?? '0x0') + 1n
      if (span > BigInt(options.maxLogRange)) return json({ jsonrpc: '2.0', id: body.id, error: { code: -32602, message: `eth_getLogs block range too large: at most ${options.maxLogRange} blocks per request` } })
    }
    if (options.missingMethods?.includes(body.method)) return json({ jsonrpc: '2.0', id: body.id, error: { code: -32601, message: `the method ${body.method} does not exist/is not available` } })
    if (options.results && body.method in options.results) return json({ jsonrpc: '2.0', id: body.id, result: options.results[body.method] })
    if (body.method === 'eth_chainId' && options.chainId !== undefined) {
      return json({ jsonrpc: '2.0', id: body.id, result: `0x${options.chainId.toString(16)}` })
    }
    const lag = BigInt(options.lagBlocks ?? 0)
    if (lag > 0n) {
      const head = BigInt(await upstream('eth_blockNumber', []) as string) - lag
      if (body.method === 'eth_blockNumber') return json({ jsonrpc: '2.0', id: body.id, result: `0x${head.toString(16)}` })
      if (block?.startsWith('0x') && BigInt(block) > head) {
        return json({ jsonrpc: '2.0', id: body.id, error: { code: -32000, message: 'header not found' } })
      }
    }
    if (options.latencyMs) await Bun.sleep(options.latencyMs)
    const forwarded = await fetch(options.upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw })
    return { status: forwarded.status, body: await forwarded.text(), json: true }
  }

  /**
   * A JSON-RPC batch: refused as a whole (one error object, as some providers answer) with
   * `batches: false`, else given the whole-request faults and forwarded as it is.
   */
  const answerBatch = async (items: { id: number; method: string; params?: unknown[] }[], raw: string): Promise<Reply> => {
    const at = performance.now()
    const fault = !options.faultMethods || items.some((item) => options.faultMethods!.includes(item.method)) ? pick(options.rates ?? {}, random()) : null
    for (const item of items) log.push({ at, method: item.method, params: JSON.stringify(item.params ?? []), block: null, fault, batch: items.length })
    if (options.batches === false) return { status: 200, body: JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'batch requests are not supported' } }), json: true }
    switch (fault) {
      case 'rate_limit': case 'rate_limit_retry_after': return { status: 429, body: '{"error":"too many requests"}' }
      case 'server': return { status: 502, body: 'bad gateway' }
      case 'hang': await new Promise((resolve) => { const timer = setTimeout(resolve, options.hangMs ?? 2000); hanging.add(timer) }); return { status: 504, body: 'late' }
      case 'drop': case 'truncated': return { status: 200, body: '[{"jsonrpc":"2.0","id"', json: true }
    }
    if (options.latencyMs) await Bun.sleep(options.latencyMs)
    const forwarded = await fetch(options.upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw })
    return { status: forwarded.status, body: await forwarded.text(), json: true }
  }

  // node:http rather than Bun.serve: it can really drop a connection halfway through an answer.
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => { raw += chunk })
    req.on('end', () => {
      answer(raw).then((reply) => {
        if (reply.drop) {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '512' })
          res.write(reply.body)
          setTimeout(() => req.socket.destroy(), 5)
          return
        }
        res.writeHead(reply.status, { ...(reply.json && { 'content-type': 'application/json' }), ...reply.headers })
        res.end(reply.body)
      }, () => {
        res.writeHead(500)
        res.end('proxy error')
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const stop = () => {
    clearTimeout(ttl)
    for (const timer of hanging) clearTimeout(timer)
    server.closeAllConnections?.()
    server.close()
  }
  const ttl = setTimeout(stop, options.ttlMs ?? 120_000)

  async function upstream(method: string, params: unknown[]): Promise<unknown> {
    const response = await fetch(options.upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
    return ((await response.json()) as { result: unknown }).result
  }

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    get requests() { return requests },
    setDead: (value) => { dead = value },
    stop,
  }
}

type Reply = { status: number; body: string; json?: boolean; headers?: Record<string, string>; drop?: boolean }

function pick(rates: FaultRates, roll: number): keyof FaultRates | null {
  let acc = 0
  for (const [fault, rate] of Object.entries(rates) as [keyof FaultRates, number][]) {
    acc += rate
    if (roll < acc) return fault
  }
  return null
}
