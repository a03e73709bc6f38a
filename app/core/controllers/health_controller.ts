import type { HttpContext } from '@adonisjs/core/http'
import databaseHealth from '#core/services/database_health'
import { activeAccount } from '#core/services/realm_sessions'
import { serverHealthReport, wantsDeepHealth } from '#core/services/server_health'

export default class HealthController {
  /**
   * Plain /up (200 when the database answers, 503 otherwise) is normally answered
   * earlier by HealthFastPathMiddleware. `?deep=1` from the office networks lands
   * here: the administrator gets the server's figures; a caller without a staff
   * session the plain answer, a staff member without the admin role 403.
   */
  async show(ctx: HttpContext) {
    const { request, response, bouncer } = ctx
    if (!wantsDeepHealth(request)) return databaseHealth.respond(response)
    const { user } = await activeAccount(ctx, 'staff')
    if (!user) return databaseHealth.respond(response)
    response.header('Cache-Control', 'no-store')
    await bouncer.authorize('manageOffice')
    const report = await serverHealthReport()
    return response.status(report.status === 'ok' ? 200 : 503).json(report)
  }
}
