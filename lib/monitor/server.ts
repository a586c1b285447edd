import { serveHttp, type HttpServer } from '../http.ts'
import type { LiveState } from './live.ts'
import type { ScanMetrics } from './metrics.ts'

/**
 * The operator's port: `/metrics` (Prometheus text), `/healthz` (200 while cycles keep coming
 * and the pinned block is fresh, else 503 — for supervisors), `/api/latest` and `/api/history`
 * (JSON), `/api/events` (server-sent events, one per cycle) and `/` (the dashboard page).
 */
export type MonitorServer = HttpServer & { publish(): void }

export function startMonitor({ port, metrics, live, dashboard, staleAfterS = 30 }: { port: number; metrics: ScanMetrics; live: LiveState; dashboard?: () => string; staleAfterS?: number }): MonitorServer {
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>()
  const encoder = new TextEncoder()
  const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } })
  const server = serveHttp({
    port,
    handle: async (request) => {
      const path = new URL(request.url).pathname
      if (request.method !== 'GET') return new Response('method not allowed', { status: 405 })
      if (path === '/metrics') return new Response(await metrics.text(), { headers: { 'content-type': metrics.contentType } })
      if (path === '/healthz') {
        const last = metrics.last
        const now = Date.now() / 1000
        const sinceCycle = last ? now - last.endedMs / 1000 : null
        const blockAge = last?.blockTimestamp ? now - last.blockTimestamp : null
        const healthy = last !== null && last.block > 0 && sinceCycle! <= staleAfterS
        return json({ status: healthy ? 'ok' : 'stale', block: last?.block ?? null, block_age_s: blockAge === null ? null : Math.round(blockAge * 10) / 10, since_last_cycle_s: sinceCycle === null ? null : Math.round(sinceCycle * 10) / 10 }, healthy ? 200 : 503)
      }
      if (path === '/api/latest') return json({ latest: live.latest, totals: live.totals })
      if (path === '/api/history') return json(live.recent())
      if (path === '/api/events') {
        let self: ReadableStreamDefaultController<Uint8Array>
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            self = controller
            streams.add(controller)
            controller.enqueue(encoder.encode(': connected\n\n'))
          },
          cancel() {
            streams.delete(self)
          },
        })
        return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } })
      }
      if (path === '/' && dashboard) return new Response(dashboard(), { headers: { 'content-type': 'text/html; charset=utf-8' } })
      return new Response('not found', { status: 404 })
    },
  })
  return {
    ...server,
    publish() {
      const data = encoder.encode(`event: cycle\ndata: ${JSON.stringify(live.latest)}\n\n`)
      for (const stream of streams) {
        try {
          stream.enqueue(data)
        } catch {
          streams.delete(stream)
        }
      }
    },
    stop() {
      for (const stream of streams) {
        try {
          stream.close()
        } catch {
          // already closed
        }
      }
      streams.clear()
      server.stop()
    },
  }
}
