import type { ArgsDef } from 'citty'

/** Flags every command shares, with the same help text everywhere. */
export const commonArgs = {
  config: { type: 'string', description: 'Config YAML (trust anchors, pairs, gates). Default depends on the command.', valueHint: 'file' },
  json: { type: 'boolean', description: 'Print machine-readable JSON on stdout (logs stay on stderr).', default: false },
  quiet: { type: 'boolean', description: 'Only warnings and errors on stderr.', default: false },
  verbose: { type: 'boolean', description: 'Debug logs on stderr.', default: false },
} as const satisfies ArgsDef
