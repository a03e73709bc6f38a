import { Bouncer } from '@adonisjs/bouncer'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import * as coreAbilities from '#core/policies/abilities'
import { moduleRegistry, type ModuleAbilities } from '#core/services/module_registry'

/* The core's staff abilities and those the modules registered (start/abilities.ts). */
type AllAbilities = typeof coreAbilities & ModuleAbilities
/* A mapped copy: an interface has no index signature, bouncer wants a record. */
type Abilities = { [Name in keyof AllAbilities]: AllAbilities[Name] }
let abilities: Abilities | undefined

/** Bouncer checks staff actions against the signed-in staff member. */
export default class InitializeBouncerMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    abilities ??= { ...coreAbilities, ...moduleRegistry.abilities } as Abilities
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
    bouncer: Bouncer<Exclude<HttpContext['auth']['user'], undefined>, Abilities, {}>
  }
}
