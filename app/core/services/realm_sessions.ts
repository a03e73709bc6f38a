import type { HttpContext } from '@adonisjs/core/http'
import auditLog from '#core/services/audit_log'
import { SESSION_LIMITS } from '#core/services/session_limits'

export type Realm = 'staff' | 'resident'

const REALMS = {
  staff: {
    loginAtKey: 'staff_login_at',
    absoluteMs: SESSION_LIMITS.staffAbsoluteMs,
    subjectType: 'staff_user',
  },
  resident: {
    loginAtKey: 'resident_login_at',
    absoluteMs: SESSION_LIMITS.residentAbsoluteMs,
    subjectType: 'resident',
  },
} as const

/**
 * The signed-in account of a realm, or null when there is none, it was
 * disabled, or its absolute session lifetime is over (then it is signed out).
 */
export async function activeAccount(ctx: HttpContext, realm: Realm) {
  const guard = ctx.auth.use(realm)
  await guard.check()
  const user = guard.user
  if (!user) return { user: null, expired: false }
  const loginAt = Number(ctx.session.get(REALMS[realm].loginAtKey, 0))
  const expired = Date.now() - loginAt > REALMS[realm].absoluteMs
  if (!user.isActive || expired) {
    await guard.logout()
    return { user: null, expired }
  }
  return { user, expired: false }
}

/** Signs out of one realm: audit entry, guard logout, session data dropped and its id rotated. */
export async function signOut(ctx: HttpContext, realm: Realm) {
  const user = ctx.auth.use(realm).user
  if (user) {
    await auditLog.recordFromRequest(ctx, {
      action: 'auth.logout',
      subjectType: REALMS[realm].subjectType,
      subjectId: user.id,
    })
  }
  await ctx.auth.use(realm).logout()
  ctx.session.clear()
  ctx.session.regenerate()
  ctx.session.flash('notification', { type: 'success', message: 'Wylogowano.' })
}
