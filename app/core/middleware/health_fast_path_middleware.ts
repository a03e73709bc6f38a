import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import databaseHealth from '#core/services/database_health'
import staffZone from '#core/services/staff_zone'
import { wantsDeepHealth } from '#core/services/server_health'

/**
 * GET /up is polled by systemd, the updater and monitoring, often many times a
 * second: it is answered right after the security headers, before the router
 * and the page middleware (static files, language) that a JSON status does not need.
 * Only `/up?deep=1` with a cookie from the office networks goes on to the route
 * in app/core/routes.ts, whose session stack tells whether the administrator asks;
 * any other `?deep=1` gets the plain answer.
 */
export default class HealthFastPathMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const { request } = ctx
    if (request.url() !== '/up') return next()
    const method = request.method()
    if (method !== 'GET' && method !== 'HEAD') return next()
    /* Without a cookie nobody is signed in: monitoring scripts never start a session here. */
    if (
      wantsDeepHealth(request) &&
      request.header('cookie') &&
      (await staffZone.contains(request.ip()))
    )
      return next()
    return databaseHealth.respond(ctx.response)
  }
}
