/*
 * Cross-module events. Modules listen to each other here instead of reaching
 * into each other's tables.
 */
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import { watchCommitFailures } from '#core/services/commit_failures'

emitter.onError((event, error) => {
  logger.error({ err: error, event: String(event) }, 'event listener failed')
})

/* Failed commits: a file for `ratusz doctor`, a log line, an e-mail to the administrator. */
watchCommitFailures()
