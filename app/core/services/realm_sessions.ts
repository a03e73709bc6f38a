import type { HttpContext } from '@adonisjs/core/http'
import auditLog from '#core/services/audit_log'
import { sessionRegistry, type Realm } from '#core/services/session_registry'

export type { Realm }

const SUBJECT_TYPE = { staff: 'staff_user', resident: 'resident' } as const

/**
 * The signed-in account of a realm, or null when there is none, it was
 * disabled, or its session ended (logout elsewhere, idle or absolute limit):
 * then the guard is signed out too.
 */
export async function activeAccount(ctx: HttpContext, realm: Realm) {
  const guard = ctx.auth.use(realm)
  await guard.check()
  const user = guard.user
  if (!user) return { user: null, expired: false }
  const registered = await sessionRegistry.isValid(ctx, realm, user.id)
  if (!user.isActive || !registered) {
    await guard.logout()
    return { user: null, expired: !registered }
  }
  return { user, expired: false }
}

/** Completes a sign-in: the guard's session (id rotated) and its server-side row. */
export async function signIn(ctx: HttpContext, realm: Realm, user: { id: number }) {
  /* The server-side row first: if it cannot be written, nobody is half signed in. */
  await sessionRegistry.start(ctx, realm, user.id)
  await ctx.auth.use(realm).login(user as any)
}

/** Signs out of one realm: audit entry, session row removed, guard logout, session data dropped and its id rotated. */
export async function signOut(ctx: HttpContext, realm: Realm) {
  const user = ctx.auth.use(realm).user
  if (user) {
    await auditLog.recordFromRequest(ctx, {
      action: 'auth.logout',
      subjectType: SUBJECT_TYPE[realm],
      subjectId: user.id,
    })
  }
  await sessionRegistry.end(ctx, realm)
  await ctx.auth.use(realm).logout()
  ctx.session.clear()
  ctx.session.regenerate()
  ctx.session.flash('notification', { type: 'success', message: 'Wylogowano.' })
}
