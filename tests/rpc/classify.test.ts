import { describe, expect, test } from 'bun:test'
import { HttpRequestError, RpcRequestError, TimeoutError } from 'viem'
import { classify } from '../../lib/rpc/classify.ts'
import { Endpoint } from '../../lib/rpc/endpoint.ts'

const rpcError = (code: number, message: string) => new RpcRequestError({ body: {}, url: 'http://x', error: { code, message } })

describe('classify', () => {
  test.each([
    ['429 with Retry-After → rate_limit', new HttpRequestError({ url: 'http://x', status: 429, headers: new Headers({ 'retry-after': '2' }) }), 'rate_limit', true, 2000],
    ['503 → server', new HttpRequestError({ url: 'http://x', status: 503 }), 'server', true, null],
    ['timeout → timeout', new TimeoutError({ body: {}, url: 'http://x' }), 'timeout', true, null],
    ['connection refused → network', new HttpRequestError({ url: 'http://x', cause: new Error('Unable to connect') }), 'network', true, null],
    ['malformed JSON → malformed', new HttpRequestError({ url: 'http://x', status: 200, cause: new SyntaxError('Unexpected end of JSON input') }), 'malformed', true, null],
    ['JSON-RPC internal error → rpc', rpcError(-32603, 'internal error'), 'rpc', true, null],
    ['limit exceeded → rate_limit', rpcError(-32005, 'limit exceeded'), 'rate_limit', true, null],
    ['header not found → stale_block', rpcError(-32000, 'header not found'), 'stale_block', true, null],
    ['revert → execution (the EVM answered)', rpcError(3, 'execution reverted: SPL'), 'execution', false, null],
    ['out of gas → execution (the EVM answered)', rpcError(-32603, 'EVM error OutOfGas'), 'execution', false, null],
    ['invalid params → permanent', rpcError(-32602, 'invalid params'), 'permanent', false, null],
  ] as const)('behavior: %s', (_, error, kind, transient, retryAfterMs) => {
    const fault = classify(error)
    expect(fault.kind).toBe(kind)
    expect(fault.transient).toBe(transient)
    expect(fault.retryAfterMs).toBe(retryAfterMs)
  })
})

describe('Endpoint health from its faults', () => {
  const endpoint = () => new Endpoint('http://127.0.0.1:1', { timeoutMs: 100, ratePerSecond: 10, burst: 1, throttleLoopback: false, closed: new AbortController().signal })

  test('behavior: a revert or out-of-gas answer is a healthy answer: counted ok, no error, no failure, score kept', () => {
    const e = endpoint()
    e.recordFault('execution', 5, 'execution reverted')
    expect([e.counters.ok, e.counters.errors, e.failures, e.score, e.lastError]).toEqual([1, {}, 0, 1, null])
  })

  test('behavior: a permanent error is counted but does not mark the endpoint as failing; a transient one does', () => {
    const e = endpoint()
    e.recordFault('permanent', 5, 'invalid params')
    expect([e.counters.ok, e.counters.errors, e.failures, e.score]).toEqual([0, { permanent: 1 }, 0, 1])
    e.recordFault('timeout', 5, 'timed out')
    expect([e.counters.errors, e.failures, e.score]).toEqual([{ permanent: 1, timeout: 1 }, 1, 0.8])
    expect(e.lastError).toEqual({ kind: 'timeout', message: 'timed out' })
    e.recordOk(3)
    expect([e.failures, e.score]).toEqual([0, 0.8 * 0.8 + 0.2])
  })

  test('behavior: loopback endpoints are unthrottled unless asked; others always have a bucket', () => {
    const closed = new AbortController().signal
    const make = (url: string, throttleLoopback: boolean) => new Endpoint(url, { timeoutMs: 100, ratePerSecond: 10, burst: 1, throttleLoopback, closed })
    expect(make('http://127.0.0.1:8545', false).bucket).toBeNull()
    expect(make('http://localhost:8545', false).bucket).toBeNull()
    expect(make('http://[::1]:8545', false).bucket).toBeNull()
    expect(make('http://127.0.0.1:8545', true).bucket).not.toBeNull()
    expect(make('https://arb1.example.org/v2/key', false).bucket).not.toBeNull()
  })
})
