import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** Login and registration pages send an already signed-in user to their dashboard. */
export default class GuestMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { guard: 'staff' | 'resident' }) {
    const guard = ctx.auth.use(options.guard)
    /* Asking the guard throws and catches an exception inside; a visitor without the session key is a guest anyway. */
    if (ctx.session.has(guard.sessionKeyName) && (await guard.check())) {
      return ctx.response
        .redirect()
        .toRoute(options.guard === 'staff' ? 'staff.dashboard' : 'resident.dashboard')
    }
    ctx.response.header('Cache-Control', 'no-store')
    return next()
  }
}
