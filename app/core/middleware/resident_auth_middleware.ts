import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { SESSION_LIMITS } from '#core/services/session_limits'

/** Requires a signed-in resident of the e-BOK; same timeouts and caching rules as staff. */
export default class ResidentAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const guard = ctx.auth.use('resident')
    await guard.check()
    const user = guard.user
    const loginAt = Number(ctx.session.get('resident_login_at', 0))
    const expired = Date.now() - loginAt > SESSION_LIMITS.residentAbsoluteMs
    if (!user || !user.isActive || expired) {
      if (user) await guard.logout()
      return ctx.response.redirect().toRoute('resident.login.show')
    }
    ctx.response.header('Cache-Control', 'no-store')
    ctx.view.share({ resident: user })
    return next()
  }
}
