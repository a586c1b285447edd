/**
 * The one place that listens for HTTP (Bun.serve), so a move off Bun stays cheap. Loopback by
 * default: a scanner's metrics and dashboard are for its operator.
 */
export type HttpServer = { port: number; url: string; stop(): void }

export function serveHttp({ port, hostname = '127.0.0.1', handle }: { port: number; hostname?: string; handle: (request: Request) => Response | Promise<Response> }): HttpServer {
  const server = Bun.serve({ port, hostname, fetch: handle, idleTimeout: 0 })
  return { port: server.port!, url: `http://${hostname}:${server.port}`, stop: () => void server.stop(true) }
}
