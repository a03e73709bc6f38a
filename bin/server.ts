import { prettyPrintError } from '@adonisjs/core'
import { ratuszIgnitor } from './ignitor.js'

ratuszIgnitor()
  .httpServer()
  .start()
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
