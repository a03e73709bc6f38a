import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'

export default class HealthController {
  /** 200 when the database answers, 503 otherwise: what systemd and the updater poll. */
  async show({ response }: HttpContext) {
    try {
      await db.rawQuery('SELECT 1')
      return response.ok({ status: 'ok' })
    } catch {
      return response.serviceUnavailable({ status: 'unavailable', reason: 'database' })
    }
  }
}
