/**
 * Compiles ARBY's contracts with solc-js (pinned 0.8.26) and writes their artifacts next to the
 * sources (committed; solc is not needed at run time). Deterministic: the same sources give the
 * same bytes (a test checks the committed artifacts against a fresh compile).
 * Run: npm run contracts:compile
 */
import { readFileSync, writeFileSync } from 'node:fs'
// @ts-expect-error solc ships no types
import solc from 'solc'

/** The devnet's token (legacy pipeline, as it was built), the executor with its test doubles (viaIR, Cancun: TSTORE) and the V3 storage lens. */
export const CONTRACTS = [
  { dir: 'lib/devnet/contracts', name: 'MockERC20', settings: { optimizer: { enabled: true, runs: 200 } } },
  { dir: 'contracts', name: 'ArbExecutor', settings: { optimizer: { enabled: true, runs: 10_000 }, viaIR: true, evmVersion: 'cancun' } },
  { dir: 'contracts', name: 'V3PoolLens', settings: { optimizer: { enabled: true, runs: 200 }, viaIR: true, evmVersion: 'cancun' } },
  { dir: 'contracts/test', name: 'FakePool', settings: { optimizer: { enabled: true, runs: 200 }, viaIR: true, evmVersion: 'cancun' } },
  { dir: 'contracts/test', name: 'MockArbGasInfo', settings: { optimizer: { enabled: true, runs: 200 }, viaIR: true, evmVersion: 'cancun' } },
  { dir: 'contracts/test', name: 'MockNodeInterface', settings: { optimizer: { enabled: true, runs: 200 }, viaIR: true, evmVersion: 'cancun' } },
] as const

export function compile(contract: (typeof CONTRACTS)[number]): string {
  const { dir, name, settings } = contract
  const input = {
    language: 'Solidity',
    sources: { [`${name}.sol`]: { content: readFileSync(`${dir}/${name}.sol`, 'utf8') } },
    settings: { ...settings, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.deployedBytecode.immutableReferences'] } } },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input)))
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error')
  if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'))
  const compiled = output.contracts[`${name}.sol`][name]
  const references = compiled.evm.deployedBytecode.immutableReferences ?? {}
  const artifact = {
    contractName: name,
    compiler: `solc ${solc.version()}`,
    abi: compiled.abi,
    bytecode: `0x${compiled.evm.bytecode.object}`,
    deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
    ...(Object.keys(references).length && { immutableReferences: references }),
  }
  return `${JSON.stringify(artifact, null, 2)}\n`
}

if (import.meta.main) {
  for (const contract of CONTRACTS) {
    const text = compile(contract)
    writeFileSync(`${contract.dir}/${contract.name}.json`, text)
    console.log(`${contract.name}: ${(JSON.parse(text).deployedBytecode.length - 2) / 2} bytes runtime`)
  }
}
