import { basename, relative } from 'node:path'

/**
 * How the user can run ARBY from where they are, for hints: the compiled binary by its name,
 * otherwise the repository's entry point through the Bun that `npm install` brought.
 */
export function arbyCommand(argv: readonly string[] = process.argv, execPath: string = process.execPath): string {
  const script = argv[1] ?? ''
  // A compiled binary runs its embedded entry from Bun's virtual filesystem.
  if (script.startsWith('/$bunfs/') || script.startsWith('B:/~BUN/')) return basename(execPath) === 'arby' ? 'arby' : execPath
  const entry = relative(process.cwd(), new URL('../cmd/main.ts', import.meta.url).pathname) || 'cmd/main.ts'
  return `npx bun run ${entry}`
}

/** A hint naming a runnable ARBY command, e.g. `npx bun run cmd/main.ts exec status`. */
export function invocationHint(args: string): string {
  return `run \`${arbyCommand()} ${args}\``
}
