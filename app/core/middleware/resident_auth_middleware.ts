import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { activeAccount } from '#core/services/realm_sessions'

/** Requires a signed-in resident of the e-BOK; same timeouts and caching rules as staff. */
export default class ResidentAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const { user, expired } = await activeAccount(ctx, 'resident')
    if (!user) {
      if (expired)
        ctx.session.flash('notification', {
          type: 'info',
          message: 'Sesja wygasła. Zaloguj się ponownie.',
        })
      return ctx.response.redirect().toRoute('resident.login.show')
    }
    ctx.response.header('Cache-Control', 'no-store')
    ctx.view.share({ resident: user })
    return next()
  }
}
