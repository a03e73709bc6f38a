import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import databaseHealth from '#core/services/database_health'

/**
 * GET /up is polled by systemd, the updater and monitoring, often many times a
 * second: it is answered right after the security headers, before the router
 * and the page middleware (static files, language) that a JSON status does not need. The route in
 * app/core/routes.ts stays as its documented home.
 */
export default class HealthFastPathMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.url() !== '/up' || ctx.request.method() !== 'GET') return next()
    return databaseHealth.respond(ctx.response)
  }
}
