import type { Hex } from 'viem'
import { redactText, redactUrl } from '../redact.ts'

/**
 * Where signed bytes go. `accepted`: the endpoint took them (or already had them); `refused`:
 * it said no for good (the transaction can never be included as it is); `unknown`: no clear
 * answer (timeout, dropped connection) — the bytes may be on their way, so the trade is tracked
 * as sent and the chain decides. A nonce is never reused on a guess.
 */
export type SendResult = { kind: 'accepted' } | { kind: 'refused'; message: string } | { kind: 'unknown'; message: string }

export interface Submitter {
  /** Recorded on every trade: which path its bytes took. */
  readonly path: string
  send(raw: Hex): Promise<SendResult>
}

/** Answers that mean the transaction as signed will never be included. */
const REFUSED = /nonce too (low|high)|insufficient funds|fee cap less than block base fee|max fee per gas less than block base fee|maxFeePerGas.*(below|less)|transaction underpriced|intrinsic gas too low|exceeds block gas limit|invalid (sender|signature|chain ?id)|only replay-protected|rejected|-32003/i
/** Answers that mean the node already holds these exact bytes. */
const KNOWN = /already known|known transaction|already imported/i

/**
 * eth_sendRawTransaction to one URL: any endpoint (`rpc`), or Arbitrum's sequencer endpoint
 * (`sequencer`: submission only, it answers nothing else; Arbitrum has no public mempool, so
 * this is the private path, one forwarding hop shorter).
 */
export class RpcSubmitter implements Submitter {
  readonly path: string
  constructor(private readonly url: string, kind: 'rpc' | 'sequencer', private readonly timeoutMs: number) {
    this.path = `${kind}:${redactUrl(url)}`
  }

  async send(raw: Hex): Promise<SendResult> {
    let response: Response
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [raw] }),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (error) {
      return { kind: 'unknown', message: redactText(`no answer from ${redactUrl(this.url)}: ${error instanceof Error ? error.message : String(error)}`) }
    }
    const text = await response.text().catch(() => '')
    let body: { result?: unknown; error?: { code?: number; message?: string } } | null = null
    try {
      body = JSON.parse(text)
    } catch {
      body = null
    }
    if (body && typeof body.result === 'string') return { kind: 'accepted' }
    const message = redactText(body?.error ? `${body.error.code ?? ''} ${body.error.message ?? ''}`.trim() : `HTTP ${response.status}`)
    if (KNOWN.test(message)) return { kind: 'accepted' }
    if (body?.error && REFUSED.test(message)) return { kind: 'refused', message }
    return { kind: 'unknown', message }
  }
}

export function classifySendError(message: string): SendResult['kind'] {
  if (KNOWN.test(message)) return 'accepted'
  return REFUSED.test(message) ? 'refused' : 'unknown'
}
