import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { HttpContext } from '@adonisjs/core/http'
import { SESSION_LIMITS } from '#core/services/session_limits'

export type Realm = 'staff' | 'resident'

/* Writing last_seen on every request would cost a write per click; once a minute is enough for the idle limit. */
const TOUCH_EVERY_MS = 60_000

const sessionKey = (realm: Realm) => `${realm}_sid`

/**
 * Server-side record of every signed-in session. The cookie names its row;
 * without the row (logged out, expired, account disabled) the cookie opens nothing.
 */
export const sessionRegistry = {
  async start(ctx: HttpContext, realm: Realm, accountId: number) {
    const id = randomBytes(24).toString('base64url')
    const now = Date.now()
    await db.table('auth_sessions').insert({
      id,
      realm,
      account_id: accountId,
      ip: ctx.request.ip(),
      user_agent: (ctx.request.header('user-agent') ?? '').slice(0, 200),
      created_ms: now,
      last_seen_ms: now,
    })
    ctx.session.put(sessionKey(realm), id)
  },

  /** True when this request's session row exists for the account and is within the idle and absolute limits. */
  async isValid(ctx: HttpContext, realm: Realm, accountId: number): Promise<boolean> {
    const id = ctx.session.get(sessionKey(realm)) as string | undefined
    if (!id) return false
    const row = await db.from('auth_sessions').where({ id, realm, account_id: accountId }).first()
    if (!row) return false
    const now = Date.now()
    const absolute =
      realm === 'staff' ? SESSION_LIMITS.staffAbsoluteMs : SESSION_LIMITS.residentAbsoluteMs
    if (
      now - Number(row.created_ms) > absolute ||
      now - Number(row.last_seen_ms) > SESSION_LIMITS.idleMs
    ) {
      await db.from('auth_sessions').where('id', id).delete()
      return false
    }
    if (now - Number(row.last_seen_ms) > TOUCH_EVERY_MS) {
      await db.from('auth_sessions').where('id', id).update({ last_seen_ms: now })
    }
    return true
  },

  async end(ctx: HttpContext, realm: Realm) {
    const id = ctx.session.get(sessionKey(realm)) as string | undefined
    if (id) await db.from('auth_sessions').where('id', id).delete()
    ctx.session.forget(sessionKey(realm))
  },

  /** Ends every session of an account (disabled, second factor reset). */
  async endAll(realm: Realm, accountId: number) {
    await db.from('auth_sessions').where({ realm, account_id: accountId }).delete()
  },

  async prune(now = Date.now()) {
    const oldest = Math.max(SESSION_LIMITS.staffAbsoluteMs, SESSION_LIMITS.residentAbsoluteMs)
    await db
      .from('auth_sessions')
      .where((q) =>
        q
          .where('created_ms', '<', now - oldest)
          .orWhere('last_seen_ms', '<', now - SESSION_LIMITS.idleMs)
      )
      .delete()
  },
}
