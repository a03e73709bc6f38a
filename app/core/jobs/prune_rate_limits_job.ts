import db from '@adonisjs/lucid/services/db'
import { Job } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import { sessionRegistry } from '#core/services/session_registry'

/** Nightly clean-up: expired login throttling entries and ended sign-in sessions. */
export default class PruneRateLimitsJob extends Job<Record<string, never>> {
  static options: JobOptions = { name: 'core.prune_rate_limits', maxRetries: 0 }

  async execute() {
    await db.from('rate_limits').whereNotNull('expire').where('expire', '<', Date.now()).delete()
    await sessionRegistry.prune()
  }
}
