/* First: sets the terminal size before any CLI library measures it (see headless.ts). */
import './headless.js'
import { prettyPrintError } from '@adonisjs/core'
import { ratuszIgnitor } from './ignitor.js'

ratuszIgnitor()
  .httpServer()
  .start()
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
