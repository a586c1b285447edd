/**
 * Compiles the devnet's own contracts with solc-js and writes their artifacts next to
 * the sources (committed; solc is not needed at run time). Run: bun run scripts/compile-contracts.ts
 */
import { readFileSync, writeFileSync } from 'node:fs'
// @ts-expect-error solc ships no types
import solc from 'solc'

const dir = 'lib/devnet/contracts'
for (const name of ['MockERC20']) {
  const input = {
    language: 'Solidity',
    sources: { [`${name}.sol`]: { content: readFileSync(`${dir}/${name}.sol`, 'utf8') } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } } },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input)))
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error')
  if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'))
  const contract = output.contracts[`${name}.sol`][name]
  const artifact = {
    contractName: name,
    compiler: `solc ${solc.version()}`,
    abi: contract.abi,
    bytecode: `0x${contract.evm.bytecode.object}`,
    deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
  }
  writeFileSync(`${dir}/${name}.json`, `${JSON.stringify(artifact, null, 2)}\n`)
  console.log(`${name}: ${artifact.deployedBytecode.length / 2 - 1} bytes runtime`)
}
