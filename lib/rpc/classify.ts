/** What went wrong with one RPC attempt, and whether trying again can help. */
export type FaultKind = 'rate_limit' | 'server' | 'timeout' | 'network' | 'malformed' | 'rpc' | 'stale_block' | 'permanent' | 'execution'

export type Fault = { kind: FaultKind; transient: boolean; retryAfterMs: number | null; message: string }

type ErrorLike = { name?: string; message?: string; shortMessage?: string; status?: number; code?: number; headers?: Headers; cause?: unknown; details?: string }

/** JSON-RPC codes that say "this request itself is wrong": retrying cannot help. */
const PERMANENT_CODES = new Set([-32600, -32601, -32602, -32700])

/**
 * Classifies an error from one attempt (viem's HttpRequestError, TimeoutError,
 * RpcRequestError and their causes) into a fault kind. Only transient kinds are retried.
 */
export function classify(error: unknown): Fault {
  const chain = causes(error)
  const text = chain.map((e) => `${e.shortMessage ?? ''} ${e.details ?? ''} ${e.message ?? ''}`).join(' ')
  const status = chain.find((e) => typeof e.status === 'number')?.status
  // viem says "HTTP request failed." whatever the status: the status is the reason an operator needs.
  const said = (chain[0]?.shortMessage ?? chain[0]?.message ?? String(error)).split('\n')[0] ?? 'rpc error'
  // For a JSON-RPC error viem's words are generic ("Missing or invalid parameters."): the node's own are the reason.
  const nodeSaid = chain.find((e) => typeof e.code === 'number' && e.details)?.details?.split('\n')[0]
  const message = status !== undefined && /^HTTP request failed/.test(said) ? `HTTP ${status}` : nodeSaid ?? said
  const fault = (kind: FaultKind, retryAfterMs: number | null = null): Fault => ({ kind, transient: kind !== 'permanent' && kind !== 'execution', retryAfterMs, message })

  if (chain.some((e) => e.name === 'MalformedAnswerError')) return fault('malformed')
  if (chain.some((e) => e.name === 'TimeoutError' || e.name === 'AbortError')) return fault('timeout')
  if (status === 429) return fault('rate_limit', retryAfter(chain.find((e) => e.headers)?.headers))
  if (status !== undefined && status >= 500) return fault('server')
  const code = chain.find((e) => typeof e.code === 'number')?.code
  if (code !== undefined) {
    if (/header not found|unknown block|missing trie node|block not found|state .*not available/i.test(text)) return fault('stale_block')
    if (code === -32005 || code === 429) return fault('rate_limit')
    // A revert or an out-of-gas is the EVM's answer, the same on every retry: the endpoint
    // worked; the call itself must change (more gas, other arguments).
    if (code === 3 || /execution reverted|out ?of ?gas|gas required exceeds/i.test(text)) return fault('execution')
    if (PERMANENT_CODES.has(code)) return fault('permanent')
    return fault('rpc')
  }
  if (chain.some((e) => e.name === 'SyntaxError') || /JSON|Unexpected (token|end)/i.test(text)) return fault('malformed')
  if (status !== undefined && status >= 400) return fault('permanent')
  return fault('network')
}

function causes(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = []
  let current: unknown = error
  while (current && typeof current === 'object' && out.length < 8) {
    out.push(current as ErrorLike)
    current = (current as ErrorLike).cause
  }
  return out
}

/** Retry-After in seconds or as an HTTP date, in ms. */
function retryAfter(headers: Headers | undefined): number | null {
  const value = headers?.get('retry-after')
  if (!value) return null
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now())
}
