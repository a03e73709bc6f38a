import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { activeAccount } from '#core/services/realm_sessions'
import { residentInbox } from '#core/services/resident_inbox'

/** Requires a signed-in resident of the e-BOK; same timeouts and caching rules as staff. */
export default class ResidentAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const { user, expired, unreadMessages } = await activeAccount(ctx, 'resident')
    if (!user) {
      if (expired)
        ctx.session.flash('notification', {
          type: 'info',
          message: 'Sesja wygasła. Zaloguj się ponownie.',
        })
      return ctx.response.redirect().toRoute('resident.login.show')
    }
    ctx.response.header('Cache-Control', 'no-store')
    /*
     * A page reading the count gets the one read with the account, as the request began: no
     * GET changes messages. A form post that renders a page counts again (once per request).
     */
    const safe = ctx.request.method() === 'GET' || ctx.request.method() === 'HEAD'
    let unread: Promise<number> | undefined
    ctx.view.share({
      resident: user,
      unreadMessages: () =>
        (unread ??=
          safe && typeof unreadMessages === 'number'
            ? Promise.resolve(unreadMessages)
            : residentInbox.unreadCount(user.id)),
    })
    return next()
  }
}
