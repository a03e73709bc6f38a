import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import setupState from '#core/services/setup_state'

/** Until the first administrator exists, the staff panel leads to the setup wizard. */
export default class SetupDoneMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!(await setupState.isComplete())) {
      return ctx.response.redirect().toRoute('setup.show')
    }
    return next()
  }
}
