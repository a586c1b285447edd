/**
 * A fault-injecting JSON-RPC proxy on 127.0.0.1 for tests: forwards to an upstream node
 * and, by configured rates from a seeded RNG, answers with 429 (with or without
 * Retry-After), 500/502/503, hangs past the client's timeout, dropped connections,
 * truncated JSON, JSON-RPC errors; can lag the head by N blocks, lie about the chain id,
 * or be dead. Bounded: at most `maxRequests` requests, and it stops after `ttlMs`.
 */
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
  /** Added to every answer: a hosted RPC's round trip, simulated. */
  latencyMs?: number
  seed?: number
  maxRequests?: number
  ttlMs?: number
}

export type FaultProxy = {
  url: string
  /** Arrival time (ms, performance.now) and method of every request. */
  log: { at: number; method: string; block: string | null; fault: string | null }[]
  setDead(dead: boolean): void
  stop(): void
}

export function startFaultProxy(options: FaultProxyOptions): FaultProxy {
  const random = mulberry32(options.seed ?? 1)
  const log: FaultProxy['log'] = []
  let dead = options.dead ?? false
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 30,
    async fetch(request) {
      if (dead) return new Response(null, { status: 503 })
      if (log.length >= (options.maxRequests ?? 20_000)) return new Response('proxy request cap reached', { status: 503 })
      const body = (await request.json()) as { id: number; method: string; params?: unknown[] }
      const block = body.method === 'eth_call' || body.method === 'eth_getBlockByNumber' ? String((body.params ?? [])[body.method === 'eth_call' ? 1 : 0] ?? '') : null
      const entry = { at: performance.now(), method: body.method, block, fault: null as string | null }
      log.push(entry)

      const fault = pick(options.rates ?? {}, random())
      entry.fault = fault
      switch (fault) {
        case 'rate_limit': return new Response('{"error":"too many requests"}', { status: 429 })
        case 'rate_limit_retry_after': return new Response('{"error":"too many requests"}', { status: 429, headers: { 'retry-after': '0.05' } })
        case 'server': return new Response('bad gateway', { status: [500, 502, 503][Math.floor(random() * 3)] })
        case 'hang': await Bun.sleep(options.hangMs ?? 2000); return new Response('late', { status: 504 })
        case 'drop': return new Response(new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('{"jsonrpc":"2.0","id"')); controller.error(new Error('dropped')) } }), { headers: { 'content-type': 'application/json' } })
        case 'truncated': return new Response('{"jsonrpc":"2.0","id":1,"resu', { headers: { 'content-type': 'application/json' } })
        case 'rpc_error': return Response.json({ jsonrpc: '2.0', id: body.id, error: { code: -32603, message: 'internal error' } })
      }

      if (body.method === 'eth_chainId' && options.chainId !== undefined) {
        return Response.json({ jsonrpc: '2.0', id: body.id, result: `0x${options.chainId.toString(16)}` })
      }
      const lag = BigInt(options.lagBlocks ?? 0)
      if (lag > 0n) {
        const head = BigInt(await upstream('eth_blockNumber', []) as string) - lag
        if (body.method === 'eth_blockNumber') return Response.json({ jsonrpc: '2.0', id: body.id, result: `0x${head.toString(16)}` })
        if (block?.startsWith('0x') && BigInt(block) > head) {
          return Response.json({ jsonrpc: '2.0', id: body.id, error: { code: -32000, message: 'header not found' } })
        }
      }
      if (options.latencyMs) await Bun.sleep(options.latencyMs)
      const forwarded = await fetch(options.upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      return new Response(await forwarded.text(), { status: forwarded.status, headers: { 'content-type': 'application/json' } })
    },
  })
  const ttl = setTimeout(() => server.stop(true), options.ttlMs ?? 120_000)

  async function upstream(method: string, params: unknown[]): Promise<unknown> {
    const response = await fetch(options.upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
    return ((await response.json()) as { result: unknown }).result
  }

  return {
    url: `http://127.0.0.1:${server.port}`,
    log,
    setDead: (value) => { dead = value },
    stop: () => { clearTimeout(ttl); server.stop(true) },
  }
}

function pick(rates: FaultRates, roll: number): keyof FaultRates | null {
  let acc = 0
  for (const [fault, rate] of Object.entries(rates) as [keyof FaultRates, number][]) {
    acc += rate
    if (roll < acc) return fault
  }
  return null
}
