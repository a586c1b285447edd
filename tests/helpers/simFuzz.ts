/**
 * The Phase 3 proof, as a reusable run: random routes and sizes across every kind pair on the
 * devnet; ARBY's exact local math predicts both legs at the pinned block; the executor's
 * transaction is simulated at that block (eth_simulateV1); then it is really mined (by the
 * owner, at the simulated timestamp, from the pinned state) and the receipt is compared with the
 * simulation: profit to the wei, gas to the unit. Used by tests/sim/fuzz.test.ts (1,000 cases per
 * CI run) and `npm run fuzz:sim -- --n 20000`.
 */
import { erc20Abi, getAddress } from 'viem'
import { discoverPools, type RegisteredPool } from '../../lib/chain/registry.ts'
import { deploy, OPERATOR, receiptOf } from '../../lib/devnet/chain.ts'
import { startDevnet } from '../../lib/devnet/startDevnet.ts'
import { localQuote } from '../../lib/quote/localQuote.ts'
import type { RpcClient } from '../../lib/rpc/client.ts'
import { quoteId, type QuoteRequest } from '../../lib/scan/types.ts'
import { arbEvent, encodeArb, POOL_KIND } from '../../lib/sim/executor.ts'
import type { Plan } from '../../lib/sim/plan.ts'
import { simulatePlans, type SimOutcome } from '../../lib/sim/simulate.ts'
import { readLocalStates } from '../../lib/state/readLocalStates.ts'
import { logUniform, mulberry32 } from './random.ts'
import { ALL_VENUES } from './routes.ts'

/** Families of routes the proof covers (both directions of each). */
const FAMILIES = [['uniswap_v3', 'uniswap_v3'], ['uniswap_v3', 'algebra'], ['uniswap_v3', 'uniswap_v2'], ['algebra', 'uniswap_v2']] as const
/** Sizes up to this many base units per pair (beyond, most routes lose; some still run pools dry). */
const MAX_SIZE: Record<string, bigint> = { 'WETH/USDC': 20n * 10n ** 18n, 'ARB/WETH': 60_000n * 10n ** 18n, 'WETH/USDT': 20n * 10n ** 18n }

export type SimFuzzReport = {
  cases: number
  simulated: number
  profitable: number
  unprofitable: number
  /** Sizes with no case: a pool that cannot fill them, or dust with a zero leg. */
  skipped: number
  mined: number
  families: Record<string, number>
  mismatches: string[]
}

export async function runSimFuzz({ n, seed, l1BaseFeeWei = 500_000_000n, mine = true }: { n: number; seed: number; l1BaseFeeWei?: bigint; mine?: boolean }): Promise<SimFuzzReport> {
  const random = mulberry32(seed)
  const devnet = await startDevnet({ l1BaseFeeWei })
  try {
    const client = devnet.client as unknown as RpcClient
    const executor = getAddress(await deploy(devnet.client, 'ArbExecutor', [], OPERATOR))
    const head = await devnet.client.getBlock()
    const block = head.number
    const config = { ...ALL_VENUES, quoting: { ...ALL_VENUES.quoting, word_radius: 64 } }
    const registry = await discoverPools({ client, config, blockNumber: block })
    const states = await readLocalStates(client, config, registry.pools, block)
    const pools = registry.pools.filter((p) => MAX_SIZE[p.pair.name])
    const leg = (pool: RegisteredPool, side: 'sell' | 'buy', size: bigint) => {
      const request: QuoteRequest = { id: quoteId(pool.pair.name, pool.venue.key, side, size), pair: pool.pair, venue: pool.venue, pool: pool.address, fee: pool.fee, side, size }
      const quote = localQuote(request, pool, states, config.gas)
      return quote?.ok ? quote : null
    }

    const report: SimFuzzReport = { cases: n, simulated: 0, profitable: 0, unprofitable: 0, skipped: 0, mined: 0, families: {}, mismatches: [] }
    const plans: Plan[] = []
    while (plans.length < n) {
      const [a, b] = FAMILIES[Math.floor(random() * FAMILIES.length)]!
      const [sellType, buyType] = random() < 0.5 ? [a, b] : [b, a]
      const pair = ['WETH/USDC', 'ARB/WETH'][Math.floor(random() * 2)]!
      const sells = pools.filter((p) => p.pair.name === pair && p.venue.type === sellType)
      const buys = pools.filter((p) => p.pair.name === pair && p.venue.type === buyType)
      const sell = sells[Math.floor(random() * sells.length)]
      const others = buys.filter((p) => p !== sell)
      const buy = others[Math.floor(random() * others.length)]
      if (!sell || !buy) continue
      const size = logUniform(random, MAX_SIZE[pair]!)
      const [s, q] = [leg(sell, 'sell', size), leg(buy, 'buy', size)]
      // No local answer (a pool that cannot fill the size: POOL_NO_LIQUIDITY), or dust that buys or
      // sells nothing (QUOTE_ZERO_OUTPUT): never a candidate, so not a case.
      if (!s || !q || s.amountOut === 0n || q.amountIn === 0n) {
        report.skipped++
        continue
      }
      const gross = s.amountOut - q.amountIn
      const call = { sellPool: sell.address, sellKind: POOL_KIND[sell.venue.type], buyPool: buy.address, buyKind: POOL_KIND[buy.venue.type], base: sell.pair.base.address, quote: sell.pair.quote.address, size, minProfit: gross > 0n ? gross : 0n }
      const family = `${sellType}→${buyType}`
      report.families[family] = (report.families[family] ?? 0) + 1
      plans.push({ id: `${pair}|${buy.venue.key}>${sell.venue.key}|${size}`, kind: 'opportunity', pair: sell.pair, size, sellOut: s.amountOut, buyIn: q.amountIn, gross, call, calldata: encodeArb(call) })
    }

    const pin = { block, timestamp: head.timestamp }
    const target = { to: executor, from: OPERATOR, code: null, l1: 'nodeinterface' as const }
    const outcomes: SimOutcome[] = []
    for (let i = 0; i < plans.length; i += 200) outcomes.push(...await simulatePlans(client, plans.slice(i, i + 200), pin, target, { simulateV1: true }))
    report.simulated = outcomes.length

    let snapshot = await devnet.client.snapshot()
    for (const [i, plan] of plans.entries()) {
      const sim = outcomes[i]!
      const say = (what: string) => report.mismatches.push(`${plan.id}: ${what}`)
      // The L1 part: the mock's formula on the exact calldata, in L2 gas at the pinned block's base fee
      // (16 × l1 fee × (140 + bytes) / base fee).
      const expectedL1 = (16n * l1BaseFeeWei * (140n + BigInt((plan.calldata.length - 2) / 2))) / head.baseFeePerGas!
      if (sim.l1Gas !== expectedL1) say(`L1 gas ${sim.l1Gas} ≠ ${expectedL1}`)
      if (plan.gross >= 0n) {
        report.profitable++
        if (!sim.ok || sim.profit !== plan.gross) say(`simulated ${sim.ok ? sim.profit : sim.revert?.text} ≠ predicted ${plan.gross}`)
        if (sim.event && (sim.event.quoteOut !== plan.sellOut || sim.event.quoteIn !== plan.buyIn)) say(`legs ${sim.event.quoteOut}/${sim.event.quoteIn} ≠ ${plan.sellOut}/${plan.buyIn}`)
      } else {
        report.unprofitable++
        // A losing route reverts with both legs' figures: they must be the predicted ones too.
        if (sim.ok || sim.revert?.name !== 'Unprofitable' || sim.revert.args.join() !== `${plan.sellOut},${plan.buyIn}`) say(`expected Unprofitable(${plan.sellOut}, ${plan.buyIn}), simulated ${sim.ok ? 'success' : sim.revert?.text}`)
      }
      if (!mine) continue
      await devnet.client.setNextBlockTimestamp({ timestamp: pin.timestamp + 1n })
      const before = await devnet.client.readContract({ address: plan.call.quote, abi: erc20Abi, functionName: 'balanceOf', args: [executor] })
      const hash = await devnet.client.sendTransaction({ account: OPERATOR, to: executor, data: plan.calldata, gas: 3_000_000n, maxPriorityFeePerGas: 0n, chain: null } as never)
      const receipt = await receiptOf(devnet.client, hash)
      const after = await devnet.client.readContract({ address: plan.call.quote, abi: erc20Abi, functionName: 'balanceOf', args: [executor] })
      report.mined++
      if ((receipt.status === 'success') !== sim.ok) say(`mined ${receipt.status}, simulated ${sim.ok ? 'success' : 'revert'}`)
      if (receipt.gasUsed !== sim.gasUsed) say(`mined gas ${receipt.gasUsed} ≠ simulated ${sim.gasUsed}`)
      if (receipt.status === 'success') {
        const event = arbEvent(receipt.logs, executor)
        if (event?.profit !== sim.profit || after - before !== sim.profit) say(`mined profit ${event?.profit} (balance +${after - before}) ≠ simulated ${sim.profit}`)
      }
      // Back to the pinned state for the next case (a snapshot is spent by its revert).
      await devnet.client.revert({ id: snapshot })
      snapshot = await devnet.client.snapshot()
    }
    return report
  } finally {
    await devnet.stop()
  }
}
