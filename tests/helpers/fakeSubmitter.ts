/**
 * A submitter for tests that stands between ARBY and the devnet: each send follows the next
 * scripted behaviour (then the last one again): forward, drop (answer "accepted", forward
 * nothing), delay (answer at once, forward later), refuse with a message without forwarding,
 * forward then answer nothing clear, or forward then refuse (the node took it anyway).
 */
import type { Hex } from 'viem'
import type { SendResult, Submitter } from '../../lib/exec/submit.ts'

export type Behaviour = 'forward' | 'drop' | { delayMs: number } | { refuse: string } | 'ambiguous' | { forwardThenRefuse: string }

export class FakeSubmitter implements Submitter {
  readonly path = 'fake'
  readonly sent: { raw: Hex; behaviour: Behaviour }[] = []
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()

  constructor(private readonly url: string, private readonly script: Behaviour[]) {}

  async send(raw: Hex): Promise<SendResult> {
    const behaviour = this.script[Math.min(this.sent.length, this.script.length - 1)]!
    this.sent.push({ raw, behaviour })
    if (behaviour === 'forward') return this.forward(raw)
    if (behaviour === 'drop') return { kind: 'accepted' }
    if (behaviour === 'ambiguous') {
      await this.forward(raw)
      return { kind: 'unknown', message: 'timed out after 10000 ms' }
    }
    if ('delayMs' in behaviour) {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        void this.forward(raw)
      }, behaviour.delayMs)
      this.timers.add(timer)
      return { kind: 'accepted' }
    }
    if ('forwardThenRefuse' in behaviour) {
      await this.forward(raw)
      return { kind: 'refused', message: behaviour.forwardThenRefuse }
    }
    return { kind: 'refused', message: behaviour.refuse }
  }

  private async forward(raw: Hex): Promise<SendResult> {
    const response = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [raw] }) })
    const body = await response.json() as { result?: string; error?: { message: string } }
    return body.result ? { kind: 'accepted' } : { kind: 'refused', message: body.error?.message ?? 'error' }
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer)
  }
}
