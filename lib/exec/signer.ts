import { keccak256, type Address, type Hex } from 'viem'
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts'
import { InputError } from '../errors.ts'

/** The only place a signing key comes from. */
export const KEY_ENV = 'ARBY_EXEC_PRIVATE_KEY'

/**
 * Keys anyone can look up: anvil's (and hardhat's) ten default accounts, and trivial keys. A
 * real chain's bots sweep them within seconds; they are for the embedded devnet only.
 */
export const PUBLISHED_KEYS: readonly Hex[] = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
  '0x0000000000000000000000000000000000000000000000000000000000000001',
]

/** A signer: its address and a signing function. The key itself is held only inside the account's closure. */
export type Signer = { address: Address; published: boolean; signTransaction: PrivateKeyAccount['signTransaction'] }

/**
 * Reads the key from the environment (never from a file, a flag or the config) and checks it
 * without ever putting it into a message: a malformed value is described by its shape only.
 */
export function signerFromEnv(env: Record<string, string | undefined> = process.env, fallback?: Hex): Signer {
  const raw = env[KEY_ENV]?.trim()
  if (!raw) {
    if (fallback) return signerOf(fallback)
    throw new InputError('EXEC_KEY_MISSING', `${KEY_ENV} is not set: dry-run and live execution sign with it`, { hint: `export ${KEY_ENV}=0x… (64 hex digits) in the environment of the command` })
  }
  const key = (raw.startsWith('0x') ? raw : `0x${raw}`).toLowerCase()
  if (!/^0x[0-9a-f]{64}$/.test(key)) {
    throw new InputError('EXEC_KEY_INVALID', `${KEY_ENV} is not a private key (expected 64 hex digits, got ${raw.length} characters)`, { hint: `set ${KEY_ENV} to the key's 64 hex digits, with or without 0x` })
  }
  return signerOf(key as Hex)
}

function signerOf(key: Hex): Signer {
  let account: PrivateKeyAccount
  try {
    account = privateKeyToAccount(key)
  } catch {
    throw new InputError('EXEC_KEY_INVALID', `${KEY_ENV} is not a valid secp256k1 private key`, { hint: `set ${KEY_ENV} to a key in range` })
  }
  return { address: account.address, published: PUBLISHED_KEYS.includes(key), signTransaction: account.signTransaction }
}

/** anvil's second default account: the devnet's signer when no key is given (the first deploys the market). */
export const DEVNET_SIGNER_KEY: Hex = PUBLISHED_KEYS[1]!

/** The hash of signed raw bytes: what the chain will call the transaction. */
export function txHash(raw: Hex): Hex {
  return keccak256(raw)
}
