import { Bouncer } from '@adonisjs/bouncer'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import * as coreAbilities from '#core/policies/abilities'
import * as feesAbilities from '#fees/policies/abilities'

/* Every module's staff abilities, one namespace for bouncer.authorize(). */
const abilities = { ...coreAbilities, ...feesAbilities }

/** Bouncer checks staff actions against the signed-in staff member. */
export default class InitializeBouncerMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    ctx.bouncer = new Bouncer(
      () => ctx.auth.use('staff').user || null,
      abilities,
      {}
    ).setContainerResolver(ctx.containerResolver)
    if ('view' in ctx) ctx.view.share(ctx.bouncer.edgeHelpers)
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    bouncer: Bouncer<Exclude<HttpContext['auth']['user'], undefined>, typeof abilities, {}>
  }
}
