/**
 * One place for SIGINT/SIGTERM/SIGHUP. While a job holds the shutdown (a scan finishing
 * its cycle), the first signal only asks it to stop; a second signal, or a signal with
 * no holder, runs the cleanups (stop anvil) and exits.
 */
type Cleanup = () => Promise<void> | void

const cleanups = new Set<Cleanup>()
const controller = new AbortController()
let holders = 0
let installed = false

/** Aborted when a stop was requested; jobs check it between units of work. */
export const stopRequested: AbortSignal = controller.signal

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
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => {
      if (holders > 0 && !controller.signal.aborted) {
        controller.abort()
        process.stderr.write(`\n${signal}: finishing the current cycle (send it again to stop now)\n`)
        return
      }
      void Promise.allSettled([...cleanups].map((cleanup) => cleanup())).finally(() => process.exit(code))
    })
  }
}
