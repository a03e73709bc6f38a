import { defineConfig } from '@adonisjs/auth'
import { sessionGuard, sessionUserProvider } from '@adonisjs/auth/session'
import type { InferAuthenticators, InferAuthEvents, Authenticators } from '@adonisjs/auth/types'

/*
 * Two realms with separate guards: office staff and residents. A session can
 * hold both at once without one granting the other's rights.
 */
const authConfig = defineConfig({
  default: 'resident',
  guards: {
    staff: sessionGuard({
      useRememberMeTokens: false,
      provider: sessionUserProvider({ model: () => import('#core/models/staff_user') }),
    }),
    resident: sessionGuard({
      useRememberMeTokens: false,
      provider: sessionUserProvider({ model: () => import('#core/models/resident') }),
    }),
  },
})

export default authConfig

declare module '@adonisjs/auth/types' {
  export interface Authenticators extends InferAuthenticators<typeof authConfig> {}
}
declare module '@adonisjs/core/types' {
  interface EventsList extends InferAuthEvents<Authenticators> {}
}
