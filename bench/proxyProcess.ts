/**
 * The latency proxy in a process of its own, so a bench's CPU figures are the scanner's alone.
 * As a script: starts the proxy and prints `{"url","control"}`; GET <control>/requests answers
 * the HTTP requests proxied so far, GET <control>/served the time spent serving them (ms). Run
 * by `startProxyProcess`, never by hand.
 */
import { startFaultProxy } from '../tests/helpers/faultProxy.ts'
import { helperReady, startHelperProcess } from './helperProcess.ts'

export type ProxyProcess = {
  url: string
  requests(): Promise<number>
  /** Time spent serving the requests so far (ms): what the node took, and the latency added (`FaultProxy.servedMs`). */
  served(): Promise<number>
  stop(): void
}

export async function startProxyProcess(upstream: string, latencyMs: number): Promise<ProxyProcess> {
  const { first: { url, control }, stop } = await startHelperProcess<{ url: string; control: string }>(import.meta.path, [upstream, String(latencyMs)], 'proxy')
  return {
    url,
    requests: async () => Number(await (await fetch(`${control}/requests`)).text()),
    served: async () => Number(await (await fetch(`${control}/served`)).text()),
    stop,
  }
}

if (import.meta.main) {
  const [upstream, latency] = process.argv.slice(2)
  const proxy = await startFaultProxy({ upstream: upstream!, latencyMs: Number(latency), maxRequests: 100_000_000, ttlMs: 24 * 3_600_000 })
  const control = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (request) => new Response(String(new URL(request.url).pathname === '/served' ? proxy.servedMs : proxy.requests)) })
  helperReady({ url: proxy.url, control: `http://127.0.0.1:${control.port}` }, () => {
    proxy.stop()
    control.stop(true)
  })
}
