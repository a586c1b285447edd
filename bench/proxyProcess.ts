/**
 * The latency proxy in a process of its own, so a bench's CPU figures are the scanner's alone.
 * As a script: starts the proxy and prints `{"url","control"}`; GET <control>/requests answers
 * the HTTP requests proxied so far. Run by `startProxyProcess`, never by hand.
 */
import { spawnProcess } from '../lib/proc.ts'
import { startFaultProxy } from '../tests/helpers/faultProxy.ts'

export type ProxyProcess = { url: string; requests(): Promise<number>; stop(): void }

export async function startProxyProcess(upstream: string, latencyMs: number): Promise<ProxyProcess> {
  // Its stdin is a lifeline: when this process ends, however it ends, the proxy ends too.
  const child = spawnProcess([process.execPath, import.meta.path, upstream, String(latencyMs)], { stdin: 'pipe' })
  const reader = child.stdout.getReader()
  let text = ''
  while (!text.includes('\n')) {
    const { value, done } = await reader.read()
    if (done) throw new Error('the proxy process ended before it listened')
    text += new TextDecoder().decode(value)
  }
  reader.releaseLock()
  const { url, control } = JSON.parse(text.slice(0, text.indexOf('\n'))) as { url: string; control: string }
  return {
    url,
    requests: async () => Number(await (await fetch(`${control}/requests`)).text()),
    stop: () => child.kill('SIGTERM'),
  }
}

if (import.meta.main) {
  const [upstream, latency] = process.argv.slice(2)
  const proxy = await startFaultProxy({ upstream: upstream!, latencyMs: Number(latency), maxRequests: 100_000_000, ttlMs: 24 * 3_600_000 })
  const control = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response(String(proxy.requests)) })
  process.stdout.write(`${JSON.stringify({ url: proxy.url, control: `http://127.0.0.1:${control.port}` })}\n`)
  const stop = () => { proxy.stop(); control.stop(true); process.exit(0) }
  process.on('SIGTERM', stop)
  process.stdin.on('end', stop)
  process.stdin.resume()
}
