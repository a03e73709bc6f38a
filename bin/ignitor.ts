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
    app.listen('SIGTERM', () => app.terminate())
    app.listenIf(app.managedByPm2, 'SIGINT', () => app.terminate())
  })
}
