import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { SESSION_LIMITS } from '#core/services/session_limits'

/**
 * Requires a fully signed-in staff member (password and, where enrolled or
 * mandatory, TOTP). Enforces the absolute session timeout, drops sessions of
 * disabled accounts and marks every response as not cacheable.
 */
export default class StaffAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const guard = ctx.auth.use('staff')
    await guard.check()
    const user = guard.user
    const loginAt = Number(ctx.session.get('staff_login_at', 0))
    const expired = Date.now() - loginAt > SESSION_LIMITS.staffAbsoluteMs
    if (!user || !user.isActive || expired) {
      if (user) await guard.logout()
      if (expired && user)
        ctx.session.flash('notification', {
          type: 'info',
          message: 'Sesja wygasła. Zaloguj się ponownie.',
        })
      return ctx.response.redirect().toRoute('staff.login.show')
    }
    ctx.response.header('Cache-Control', 'no-store')
    ctx.view.share({ staffUser: user })
    return next()
  }
}
