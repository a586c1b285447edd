import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { InfraError } from '../errors.ts'
import { spawnProcess } from '../proc.ts'
import { onForcedExit } from '../shutdown.ts'

const require = createRequire(import.meta.url)

/**
 * The native anvil binary shipped in the platform package. Spawning it directly skips
 * the ~60 ms Node wrapper, which also would not forward SIGKILL.
 */
export function anvilBinary(): string {
  const pkg = `@foundry-rs/anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`
  try {
    return require.resolve(`${pkg}/bin/anvil`)
  } catch (error) {
    throw new InfraError('ANVIL_NOT_FOUND', `anvil binary not found (${pkg})`, {
      hint: 'run `npm install` (the devnet needs the @foundry-rs/anvil package)',
      cause: error,
    })
  }
}

/**
 * anvil outlives a crashed or SIGKILLed Bun parent, so it runs under a tiny shell
 * watchdog that polls the parent pid and kills anvil when the parent is gone.
 */
const WATCHDOG = [
  // anvil's stderr joins stdout: a failed start shows anvil's own words ("Address already in use").
  'out="$ARBY_ANVIL_HOME/out"; mkfifo "$out" || exit 1',
  '"$@" > "$out" 2>&1 & child=$!',
  'echo "ARBY_ANVIL_PID $child"',
  // Its words up to "Listening on" reach ARBY (the port, or why it failed); the rest — lines for
  // every request, ~160 reads a block under traffic — are drained here by cat, not in ARBY's event loop.
  '{ while IFS= read -r line || [ -n "$line" ]; do printf \'%s\\n\' "$line"; case $line in *"Listening on"*) exec cat > /dev/null;; esac; done; } < "$out" &',
  'trap \'kill $child 2>/dev/null; wait $child; rm -rf "$ARBY_ANVIL_HOME"; exit 0\' TERM INT HUP',
  'while kill -0 "$ARBY_PARENT_PID" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep "${ARBY_WATCHDOG_POLL_S:-0.2}"; done',
  'kill $child 2>/dev/null; wait $child',
  // What anvil spilled to disk (its state once memory fills: tens of GB for a large market) goes with it.
  'rm -rf "$ARBY_ANVIL_HOME"',
].join('\n')

/** `setsid` where the system has it (util-linux; every Debian), else the same session as ours. */
const SETSID = ['/usr/bin/setsid', '/bin/setsid'].filter((path) => existsSync(path)).slice(0, 1)

export type AnvilProcess = { url: string; port: number; pid: number; stop(): Promise<void> }

const live = new Set<AnvilProcess>()
/** Each live anvil's own HOME (where it spills state). */
const homes = new Map<AnvilProcess, string>()
let hooksInstalled = false

/** Starts anvil on 127.0.0.1 with an OS-picked port and resolves once it listens. */
export async function startAnvil(args: string[], { port: wanted = 0, timeoutMs = 10_000 } = {}): Promise<AnvilProcess> {
  installExitHooks()
  // Its own session (setsid): a terminal's Ctrl-C reaches ARBY only, which stops anvil after
  // the scan has finished with it — never under a cycle in progress.
  // A home of its own: anvil spills state under ~/.foundry/anvil/tmp and leaves it there when it
  // is stopped; this one is removed with the process, by the watchdog even if we are killed.
  const home = mkdtempSync(join(tmpdir(), 'arby-anvil-home-'))
  const child = spawnProcess([...SETSID, '/bin/sh', '-c', WATCHDOG, 'arby-anvil', anvilBinary(), '--host', '127.0.0.1', '--port', String(wanted), ...args], {
    env: { ...(process.env as Record<string, string>), ARBY_PARENT_PID: String(process.pid), HOME: home, ARBY_ANVIL_HOME: home },
  })
  const reader = child.stdout.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let anvilPid = 0
  let port = 0
  const deadline = setTimeout(() => child.kill('SIGTERM'), timeoutMs)
  while (!port) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
    anvilPid ||= Number(text.match(/ARBY_ANVIL_PID (\d+)/)?.[1] ?? 0)
    port = Number(text.match(/Listening on 127\.0\.0\.1:(\d+)/)?.[1] ?? 0)
  }
  clearTimeout(deadline)
  if (!port) {
    rmSync(home, { recursive: true, force: true })
    const said = text.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('ARBY_ANVIL_PID'))
    const inUse = said.some((line) => /address already in use/i.test(line))
    throw new InfraError('ANVIL_START_FAILED', `anvil exited before listening${inUse ? `: port ${wanted} is already in use` : ''}`, {
      hint: inUse ? 'pick another --port, or 0 for any free port' : 'check the state file and flags (anvil\'s own words are above)',
      details: said.slice(-5).map((line) => `anvil: ${line.slice(0, 200)}`),
    })
  }
  // Nothing more comes once it listens (the watchdog drains anvil's request lines); read to the end all the same.
  void (async () => { while (!(await reader.read()).done); })().catch(() => {})

  const anvil: AnvilProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: anvilPid,
    async stop() {
      if (!live.delete(anvil)) return
      // SIGTERM first so anvil can write --state / --dump-state files; SIGKILL if it lingers.
      signalQuietly(anvilPid, 'SIGTERM')
      if (!(await exitsWithin(anvilPid, 3000))) signalQuietly(anvilPid, 'SIGKILL')
      child.kill('SIGTERM')
      await child.exited
      rmSync(home, { recursive: true, force: true })
      homes.delete(anvil)
    },
  }
  live.add(anvil)
  homes.set(anvil, home)
  return anvil
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  if (!pid) return
  try {
    process.kill(pid, signal)
  } catch {
    // already gone
  }
}

async function exitsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0)
    } catch {
      return true
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return false
}

/** Normal exit, uncaught errors and signals all take anvil down with us. */
function installExitHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  process.on('exit', () => {
    for (const anvil of live) {
      signalQuietly(anvil.pid, 'SIGKILL')
      rmSync(homes.get(anvil)!, { recursive: true, force: true })
    }
  })
  onForcedExit(() => Promise.all([...live].map((anvil) => anvil.stop())).then(() => {}))
}
