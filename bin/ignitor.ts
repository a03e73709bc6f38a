import 'reflect-metadata'
import { Ignitor } from '@adonisjs/core'

/* Timestamps are stored and compared in UTC whatever the server's zone; Polish dates are formatted for Europe/Warsaw. */
process.env.TZ = 'UTC'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

/** The one way every entry point (web server, ace, tests) boots the application. */
export function ratuszIgnitor() {
  return new Ignitor(APP_ROOT, { importer: IMPORTER }).tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    /* The queue worker drains its running jobs on the same signal: only the web server exits at once. */
    const stop = () => (app.getEnvironment() === 'web' ? stopServer(app) : app.terminate())
    app.listen('SIGTERM', stop)
    app.listenIf(app.managedByPm2, 'SIGINT', stop)
  })
}

/*
 * Terminating closes the HTTP server, then the providers (the database pool
 * last). Requests whose clients are gone may still be queued for a pooled
 * connection then; their 60-second acquire timers would keep the process
 * alive with nothing left to do (systemd waits for TimeoutStopSec, an update
 * for its restart). Once terminate is done, the process ends.
 */
async function stopServer(app: { terminate(): Promise<void> }) {
  try {
    await app.terminate()
  } finally {
    process.exit()
  }
}
