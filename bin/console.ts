import { prettyPrintError } from '@adonisjs/core'
import { ratuszIgnitor } from './ignitor.js'

ratuszIgnitor()
  .ace()
  .handle(process.argv.splice(2))
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
