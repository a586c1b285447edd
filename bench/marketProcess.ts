/**
 * The large market's builder and traffic in a process of their own, so a bench's CPU figures
 * (and its collections) are the scanner's alone: the traffic's encoding, receipts and garbage
 * stay out of the measured process. As a script: builds the market on the running devnet and
 * prints `{"control","market"}`; POST <control>/traffic?tokens=N&arbitraged=S moves the pools of
 * the first N tokens for one block (answers its counts), POST <control>/arbitrage?tokens=N
 * brings them to their market prices, POST <control>/seed?value=K restarts the traffic's random
 * sequence. Run by `startMarketProcess`, never by hand.
 */
import { devnetClient } from '../lib/devnet/chain.ts'
import type { Deployment } from '../lib/devnet/deploy.ts'
import { arbitrageMarket, buildLargeMarket, largeTraffic, type LargeMarket } from '../lib/devnet/largeMarket.ts'
import { spawnProcess } from '../lib/proc.ts'
import { mulberry32 } from '../lib/random.ts'

export type MarketProcess = {
  market: LargeMarket
  /** One block of traffic on the pools of the first `tokens` tokens: the pools it touched. */
  traffic(tokens: number, arbitraged: number): Promise<number>
  arbitrage(tokens: number): Promise<void>
  seed(value: number): Promise<void>
  stop(): void
}

export async function startMarketProcess(url: string, deployment: Deployment, tokens: number): Promise<MarketProcess> {
  // Its stdin is a lifeline: when this process ends, however it ends, the builder ends too.
  const child = spawnProcess([process.execPath, import.meta.path, url, JSON.stringify(deployment), String(tokens)], { stdin: 'pipe' })
  const reader = child.stdout.getReader()
  let text = ''
  while (!text.includes('\n')) {
    const { value, done } = await reader.read()
    if (done) throw new Error('the market process ended before it built the market')
    text += new TextDecoder().decode(value)
  }
  reader.releaseLock()
  const { control, market } = JSON.parse(text.slice(0, text.indexOf('\n')), (key, value) => (key === 'priceWei' ? BigInt(value) : value)) as { control: string; market: LargeMarket }
  const post = async (path: string) => {
    const answer = await fetch(`${control}${path}`, { method: 'POST' })
    if (!answer.ok) throw new Error(`market process: ${path}: ${await answer.text()}`)
    return answer.text()
  }
  return {
    market,
    traffic: async (count, arbitraged) => Number(await post(`/traffic?tokens=${count}&arbitraged=${arbitraged}`)),
    arbitrage: async (count) => void await post(`/arbitrage?tokens=${count}`),
    seed: async (value) => void await post(`/seed?value=${value}`),
    stop: () => child.kill('SIGTERM'),
  }
}

if (import.meta.main) {
  const [url, deploymentJson, tokens] = process.argv.slice(2)
  const client = devnetClient(url!)
  const deployment = JSON.parse(deploymentJson!) as Deployment
  const market = await buildLargeMarket(client, deployment, { tokens: Number(tokens) })
  const subset = (count: number): LargeMarket => ({ ...market, tokens: market.tokens.slice(0, count), pools: market.pools.filter((p) => market.tokens.indexOf(p.token) < count) })
  // (Within this process a pool's token is the very object listed in the market.)
  let random = mulberry32(11)
  const control = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 0,
    async fetch(request) {
      const at = new URL(request.url)
      const count = Number(at.searchParams.get('tokens'))
      try {
        if (at.pathname === '/traffic') return new Response(String((await largeTraffic(client, deployment, subset(count), random, { arbitraged: Number(at.searchParams.get('arbitraged')) })).pools))
        if (at.pathname === '/arbitrage') return new Response(String(await arbitrageMarket(client, deployment, subset(count))))
        if (at.pathname === '/seed') {
          random = mulberry32(Number(at.searchParams.get('value')))
          return new Response('ok')
        }
        return new Response('unknown command', { status: 404 })
      } catch (error) {
        return new Response(String(error), { status: 500 })
      }
    },
  })
  process.stdout.write(`${JSON.stringify({ control: `http://127.0.0.1:${control.port}`, market }, (_, value) => (typeof value === 'bigint' ? value.toString() : value))}\n`)
  const stop = () => { control.stop(true); process.exit(0) }
  process.on('SIGTERM', stop)
  process.stdin.on('end', stop)
  process.stdin.resume()
}
