import { describe, expect, test } from 'bun:test'
import { HttpRequestError, RpcRequestError, TimeoutError } from 'viem'
import { classify } from '../../lib/rpc/classify.ts'

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
