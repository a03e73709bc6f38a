import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { activeAccount } from '#core/services/realm_sessions'

/**
 * Requires a fully signed-in staff member (password and, where enrolled or
 * mandatory, TOTP). Enforces the absolute session timeout, drops sessions of
 * disabled accounts and marks every response as not cacheable.
 */
export default class StaffAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const { user, expired } = await activeAccount(ctx, 'staff')
    if (!user) {
      if (expired)
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
