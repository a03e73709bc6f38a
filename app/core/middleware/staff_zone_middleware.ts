import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { errors } from '@adonisjs/core'
import staffZone from '#core/services/staff_zone'

/**
 * Staff and admin pages exist only for the office LAN and the VPN. Anyone else
 * gets the same 404 as for a page that does not exist, so the panel is not
 * even discoverable from the internet.
 */
export default class StaffZoneMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!(await staffZone.contains(ctx.request.ip()))) {
      throw new errors.E_ROUTE_NOT_FOUND([ctx.request.method(), ctx.request.url()])
    }
    return next()
  }
}
