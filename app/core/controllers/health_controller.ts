import type { HttpContext } from '@adonisjs/core/http'
import databaseHealth from '#core/services/database_health'

export default class HealthController {
  /**
   * 200 when the database answers, 503 otherwise: what systemd, the updater and
   * monitoring poll. Normally answered earlier by HealthFastPathMiddleware; this
   * handler serves HEAD and keeps the route listed.
   */
  async show({ response }: HttpContext) {
    return databaseHealth.respond(response)
  }
}
