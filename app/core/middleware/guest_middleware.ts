import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** Login and registration pages send an already signed-in user to their dashboard. */
export default class GuestMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { guard: 'staff' | 'resident' }) {
    if (await ctx.auth.use(options.guard).check()) {
      return ctx.response
        .redirect()
        .toRoute(options.guard === 'staff' ? 'staff.dashboard' : 'resident.dashboard')
    }
    ctx.response.header('Cache-Control', 'no-store')
    return next()
  }
}
