import { InputError } from './errors.ts'

/**
 * The one place that listens for HTTP (Bun.serve), so a move off Bun stays cheap. Loopback by
 * default: a scanner's metrics and dashboard are for its operator.
 */
export type HttpServer = { port: number; url: string; stop(): void }

export function serveHttp({ port, hostname = '127.0.0.1', handle }: { port: number; hostname?: string; handle: (request: Request) => Response | Promise<Response> }): HttpServer {
  let server: ReturnType<typeof Bun.serve>
  try {
    server = Bun.serve({ port, hostname, fetch: handle, idleTimeout: 0 })
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'EADDRINUSE' || /in use/i.test(String(error))) throw new InputError('PORT_IN_USE', `port ${port} on ${hostname} is already in use`, { hint: 'choose another --metrics-port (0 picks a free one)' })
    throw error
  }
  return { port: server.port!, url: `http://${hostname}:${server.port}`, stop: () => void server.stop(true) }
}
