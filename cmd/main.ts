#!/usr/bin/env bun
import { defineCommand } from 'citty'
import { runCli } from '../lib/cli/runCli.ts'
import pkg from '../package.json' with { type: 'json' }

// `| head` closes stdout early: exit quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

const main = defineCommand({
  meta: {
    name: 'arby',
    version: pkg.version,
    description: 'Truthful DEX-to-DEX arbitrage scanner for Arbitrum One: every quote at one pinned block, every reject with its reason.',
  },
  subCommands: {
    scan: () => import('./scan.ts').then((m) => m.default),
    devnet: () => import('./devnet.ts').then((m) => m.default),
    config: () => import('./config.ts').then((m) => m.default),
    schema: () => import('./schema.ts').then((m) => m.default),
    exec: () => import('./exec.ts').then((m) => m.default),
    ledger: () => import('./ledger.ts').then((m) => m.default),
    report: () => import('./report.ts').then((m) => m.default),
    universe: () => import('./universe.ts').then((m) => m.default),
  },
})

await runCli(main)
