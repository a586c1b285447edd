/**
 * The latency proxy in a process of its own, so a bench's CPU figures are the scanner's alone:
 * every HTTP request is held `latencyMs` (a hosted RPC's round trip) and forwarded as it is,
 * its answer passed back as it came. Nothing else — no parsing, no log — so the proxy's own
 * work takes as little as it can from the two cores the scanner shares with it and the node.
 * As a script: starts the proxy and prints `{"url","control"}`; GET <control>/requests answers
 * the HTTP requests proxied so far, GET <control>/served the time spent serving them (ms). Run
 * by `startProxyProcess`, never by hand.
 */
import { helperReady, startHelperProcess } from './helperProcess.ts'

export type ProxyProcess = {
  url: string
  requests(): Promise<number>
  /**
   * Time spent serving the requests so far (ms), each from its whole request received to its
   * whole answer in hand: the latency added and the node's work. Less than what the client
   * waited, by the transfers.
   */
  served(): Promise<number>
  stop(): void
}

export async function startProxyProcess(upstream: string, latencyMs: number): Promise<ProxyProcess> {
  const { first: { url, control }, stop } = await startHelperProcess<{ url: string; control: string }>(import.meta.path, [upstream, String(latencyMs)], 'proxy')
  const read = async (path: string) => Number(await (await fetch(`${control}${path}`)).text())
  return { url, requests: () => read('/requests'), served: () => read('/served'), stop }
}

if (import.meta.main) {
  const [upstream, latency] = process.argv.slice(2)
  const latencyMs = Number(latency)
  let requests = 0
  let servedMs = 0
  const proxy = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 0,
    async fetch(request) {
      const body = await request.arrayBuffer()
      const received = performance.now()
      requests++
      if (latencyMs) await Bun.sleep(latencyMs)
      const answer = await fetch(upstream!, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      const bytes = await answer.arrayBuffer()
      servedMs += performance.now() - received
      return new Response(bytes, { status: answer.status, headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' } })
    },
  })
  const control = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (request) => new Response(String(new URL(request.url).pathname === '/served' ? servedMs : requests)) })
  helperReady({ url: `http://127.0.0.1:${proxy.port}`, control: `http://127.0.0.1:${control.port}` }, () => {
    proxy.stop(true)
    control.stop(true)
  })
}
