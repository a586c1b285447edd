/**
 * One place for SIGINT/SIGTERM/SIGHUP. While a job holds the shutdown (a scan in a cycle),
 * the first signal asks it to stop after the cycle in progress; if that cycle has not
 * finished within GRACE_MS its in-flight work is aborted (`abortRequested`) and the cycle is
 * abandoned, never written half-read. A second signal, or a signal with no holder, runs the
 * cleanups (stop anvil) and exits at once. Whatever happens, the process is gone within
 * HARD_EXIT_MS of the first signal.
 */
type Cleanup = () => Promise<void> | void

/** How long the cycle in progress may take to finish after the first signal. */
export const GRACE_MS = 700
/** The process ends this long after the first signal, whatever is still pending. */
const HARD_EXIT_MS = 1_800

const cleanups = new Set<Cleanup>()
const stopController = new AbortController()
const abortController = new AbortController()
let holders = 0
let installed = false
let signalled: NodeJS.Signals | null = null

/** Aborted on the first signal: jobs stop after the unit of work in progress. */
export const stopRequested: AbortSignal = stopController.signal
/** Aborted when the unit in progress must not finish (grace over, or a second signal): abort in-flight requests. */
export const abortRequested: AbortSignal = abortController.signal

/** The signal that stopped the process, if any (for its exit code, 128 + number). */
export function stopSignal(): NodeJS.Signals | null {
  return signalled
}

export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const

export function onForcedExit(cleanup: Cleanup): () => void {
  install()
  cleanups.add(cleanup)
  return () => cleanups.delete(cleanup)
}

/** Declares a job that finishes gracefully on the first signal; returns the release. */
export function holdShutdown(): () => void {
  install()
  holders++
  return () => { holders-- }
}

function install(): void {
  if (installed) return
  installed = true
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[]) {
    process.on(signal, () => {
      const code = SIGNAL_EXIT_CODES[signal]
      if (!signalled) {
        signalled = signal
        setTimeout(() => process.exit(code), HARD_EXIT_MS).unref()
      }
      if (holders > 0 && !stopController.signal.aborted) {
        stopController.abort()
        process.stderr.write(`\n${signal}: finishing the current cycle (send it again to stop now)\n`)
        setTimeout(() => abortController.abort(), GRACE_MS).unref()
        return
      }
      abortController.abort()
      void Promise.allSettled([...cleanups].map((cleanup) => cleanup())).finally(() => process.exit(code))
    })
  }
}
