import type { HttpContext } from '@adonisjs/core/http'
import auditLog from '#core/services/audit_log'
import StaffUser from '#core/models/staff_user'
import Resident from '#core/models/resident'
import { accountFromRow } from '#core/services/account_snapshots'
import { sessionRegistry, type Realm } from '#core/services/session_registry'

export type { Realm }

const SUBJECT_TYPE = { staff: 'staff_user', resident: 'resident' } as const

type ActiveAccount<R extends Realm> = {
  user: (R extends 'staff' ? StaffUser : Resident) | null
  expired: boolean
  /** Residents: unread messages when the request began. */
  unreadMessages?: number | null
}

/* One look-up per realm and request, however many middleware and handlers ask. */
const perRequest = new WeakMap<HttpContext, Partial<Record<Realm, Promise<ActiveAccount<any>>>>>()

/**
 * The signed-in account of a realm, or null when there is none, it was
 * disabled, or its session ended (logout elsewhere, idle or absolute limit):
 * then the guard is signed out too. The account and its session row come in one
 * query; the guard is told the result, so `ctx.auth.use(realm).user` is that account.
 */
export function activeAccount<R extends Realm>(
  ctx: HttpContext,
  realm: R
): Promise<ActiveAccount<R>> {
  let memo = perRequest.get(ctx)
  if (!memo) perRequest.set(ctx, (memo = {}))
  return (memo[realm] ??= lookUp(ctx, realm)) as Promise<ActiveAccount<R>>
}

async function lookUp(ctx: HttpContext, realm: Realm): Promise<ActiveAccount<any>> {
  const guard = ctx.auth.use(realm)
  const accountId = ctx.session.get(guard.sessionKeyName)
  if (accountId === undefined || accountId === null) {
    guard.authenticationAttempted = true
    return { user: null, expired: false }
  }
  const found = await sessionRegistry.accountRow(ctx, realm, Number(accountId))
  if (!found) {
    await guard.logout()
    return { user: null, expired: true }
  }
  const user = accountFromRow(realm === 'staff' ? StaffUser : Resident, found.account)
  if (!user.isActive) {
    await guard.logout()
    return { user: null, expired: false }
  }
  guard.user = user as any
  guard.isAuthenticated = true
  guard.authenticationAttempted = true
  guard.isLoggedOut = false
  return { user, expired: false, unreadMessages: found.unreadMessages }
}

/** After a sign-in or sign-out in this request, the next look-up reads the session afresh. */
function forgetLookUp(ctx: HttpContext, realm: Realm) {
  delete perRequest.get(ctx)?.[realm]
}

/** Completes a sign-in: the guard's session (id rotated) and its server-side row. */
export async function signIn(ctx: HttpContext, realm: Realm, user: { id: number }) {
  /* The server-side row first: if it cannot be written, nobody is half signed in. */
  await sessionRegistry.start(ctx, realm, user.id)
  await ctx.auth.use(realm).login(user as any)
  forgetLookUp(ctx, realm)
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
  forgetLookUp(ctx, realm)
  ctx.session.clear()
  ctx.session.regenerate()
  ctx.session.flash('notification', { type: 'success', message: 'Wylogowano.' })
}
