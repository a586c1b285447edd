import { afterEach, describe, expect, test } from 'bun:test'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { InvalidParamsRpcError, ResponseBodyTooLargeError } from 'viem'
import { Endpoint } from '../../lib/rpc/endpoint.ts'

/** A JSON-RPC server on 127.0.0.1 answering each request of a body with `answer`, sent as `send` says. */
async function serve(answer: (request: { id: number; method: string; params: unknown[] }) => unknown, send: (body: string, res: import('node:http').ServerResponse) => void = (body, res) => res.end(body)): Promise<{ url: string; server: Server; bodies: unknown[] }> {
  const bodies: unknown[] = []
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      const body = JSON.parse(raw)
      bodies.push(body)
      const reply = (r: { id: number; method: string; params: unknown[] }) => ({ jsonrpc: '2.0', id: r.id, ...(answer(r) as object) })
      res.setHeader('content-type', 'application/json')
      send(JSON.stringify(Array.isArray(body) ? body.map(reply).reverse() : reply(body)), res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, bodies }
}
const servers: Server[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

const endpointAt = (url: string) => new Endpoint(url, { timeoutMs: 5_000, ratePerSecond: 100, burst: 10, throttleLoopback: false, closed: new AbortController().signal })
const chunked = (body: string, res: import('node:http').ServerResponse) => {
  // Written in pieces with no declared length: a chunked body.
  for (let at = 0; at < body.length; at += 1 << 20) res.write(body.slice(at, at + (1 << 20)))
  res.end()
}

describe('an endpoint', () => {
  test('behavior: a batch goes out as one HTTP request at once; each request gets its own answer though the server answers out of order, and an error item is raised as it would be alone', async () => {
    const { url, bodies } = await serve((r) => (r.method === 'eth_getBalance' ? { error: { code: -32602, message: 'invalid params' } } : { result: `${r.method}:${JSON.stringify(r.params)}` }))
    const endpoint = endpointAt(url)
    const requests = [{ method: 'eth_blockNumber', params: [] }, { method: 'eth_getBalance', params: ['0x0'] }, { method: 'eth_chainId', params: [7] }]
    const answers = await Promise.allSettled(endpoint.batch(requests))
    expect(bodies).toHaveLength(1)
    expect((bodies[0] as unknown[]).length).toBe(3)
    expect(answers[0]).toEqual({ status: 'fulfilled', value: 'eth_blockNumber:[]' })
    expect(answers[2]).toEqual({ status: 'fulfilled', value: 'eth_chainId:[7]' })
    expect(answers[1]!.status).toBe('rejected')
    const error = (answers[1] as PromiseRejectedResult).reason
    expect(error).toBeInstanceOf(InvalidParamsRpcError)
    // The same class a lone request gets for the same answer.
    expect(await endpoint.request({ method: 'eth_getBalance', params: ['0x0'] } as never).catch((e) => e)).toBeInstanceOf(InvalidParamsRpcError)
  })

  test('behavior: a body up to 10 MiB is read whole, declared or chunked; beyond, the request fails (ResponseBodyTooLargeError) without reading it all', async () => {
    const big = (n: number) => ({ result: `0x${'ab'.repeat(n)}` })
    for (const send of [undefined, chunked]) {
      const small = await serve(() => big(3 << 20), send)
      expect(((await endpointAt(small.url).request({ method: 'eth_call' } as never)) as string).length).toBe(2 + (6 << 20))
      const huge = await serve(() => big(6 << 20), send)
      expect(await endpointAt(huge.url).request({ method: 'eth_call' } as never).catch((e) => e)).toBeInstanceOf(ResponseBodyTooLargeError)
      expect(await Promise.allSettled(endpointAt(huge.url).batch([{ method: 'eth_call' }, { method: 'eth_call' }]))).toMatchObject([{ status: 'rejected' }, { status: 'rejected' }])
    }
  })
})
