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
import { mulberry32 } from '../lib/random.ts'
import { helperReady, startHelperProcess } from './helperProcess.ts'

export type MarketProcess = {
  market: LargeMarket
  /** One block of traffic on the pools of the first `tokens` tokens: the pools it touched. */
  traffic(tokens: number, arbitraged: number): Promise<number>
  arbitrage(tokens: number): Promise<void>
  seed(value: number): Promise<void>
  stop(): void
}

export async function startMarketProcess(url: string, deployment: Deployment, tokens: number): Promise<MarketProcess> {
  const { first: { control, market }, stop } = await startHelperProcess<{ control: string; market: LargeMarket }>(import.meta.path, [url, JSON.stringify(deployment), String(tokens)], 'market', (key, value) => (key === 'priceWei' ? BigInt(value as string) : value))
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
    stop,
  }
}

if (import.meta.main) {
  const [url, deploymentJson, tokens] = process.argv.slice(2)
  const client = devnetClient(url!)
  const deployment = JSON.parse(deploymentJson!) as Deployment
  const market = await buildLargeMarket(client, deployment, { tokens: Number(tokens) })
  // The pools of the first `count` tokens, made once per count (a pool's token is the very object listed).
  const rank = new Map(market.tokens.map((token, i) => [token, i]))
  const subsets = new Map<number, LargeMarket>()
  const subset = (count: number): LargeMarket => {
    let known = subsets.get(count)
    if (!known) subsets.set(count, known = { ...market, tokens: market.tokens.slice(0, count), pools: market.pools.filter((p) => rank.get(p.token)! < count) })
    return known
  }
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
  helperReady({ control: `http://127.0.0.1:${control.port}`, market }, () => control.stop(true), (_, value) => (typeof value === 'bigint' ? value.toString() : value))
}
