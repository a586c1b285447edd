/** Hand-made ledger trades for the store and kill-switch tests. */
import type { TradeRecord } from '../../lib/contract/execution.ts'

export const SIGNER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
export const HASH = `0x${'ab'.repeat(32)}`

export function draft(id: string, overrides: Partial<TradeRecord> = {}): Omit<TradeRecord, 'state' | 'transitions' | 'created_at' | 'updated_at'> {
  return {
    id, run_id: 'r1', mode: 'live', route: 'WETH/USDC|a>b', pair: 'WETH/USDC', buy_venue: 'a', sell_venue: 'b', kind: 'opportunity', opportunity_id: 'WETH/USDC|a>b|1',
    size: '1000', quote_token: { symbol: 'USDC', address: '0xaf88d065e77c8cC2239327C5EDb3A432268e5831', decimals: 6 },
    pin_block: 100, sim_block: null, signed_block: null,
    predicted: { profit: '10', gas_used: '200000', l1_gas: '0', base_fee_wei: '10000000', cost_wei: '2000000000000', cost: '6', net: '4', net_usd: 0.000004 },
    rates: { wei_to_quote: { num: '3000', den: '1000000000000000' }, quote_to_usd_micro: { num: '1', den: '1' } },
    calldata: '0x1234', signer: SIGNER, executor: '0x8464135c8F25Da09e49BC8782676a84730C318bC',
    tx: null, submit_path: null, sends: 0, receipt: null, realized: null, code: null, detail: null,
    ...overrides,
  }
}
export const tx = (nonce: number) => ({ nonce, hash: HASH, raw: '0x02f0', gas_limit: '250000', max_fee_per_gas: '20000000' })

