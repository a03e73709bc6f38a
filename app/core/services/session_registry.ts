import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { HttpContext } from '@adonisjs/core/http'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { SESSION_LIMITS } from '#core/services/session_limits'

export type Realm = 'staff' | 'resident'

/* Writing last_seen on every request would cost a write per click; once a minute is enough for the idle limit. */
const TOUCH_EVERY_MS = 60_000

const sessionKey = (realm: Realm) => `${realm}_sid`

const ACCOUNT_TABLE = { staff: 'staff_users', resident: 'residents' } as const

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

  /**
   * The account row of this request's session, read with the session row in one query, or
   * null when the row is gone (logged out, ended elsewhere), past the idle or absolute limit
   * (then deleted), or names another account. Touches last_seen at most once a minute.
   */
  async accountRow(
    ctx: HttpContext,
    realm: Realm,
    accountId: number
  ): Promise<{ account: Record<string, unknown>; unreadMessages: number | null } | null> {
    const id = ctx.session.get(sessionKey(realm)) as string | undefined
    if (!id) return null
    const found = await db
      .from('auth_sessions as s')
      .join(`${ACCOUNT_TABLE[realm]} as a`, 'a.id', 's.account_id')
      .where('s.id', id)
      .where('s.realm', realm)
      .where('s.account_id', accountId)
      .select('a.*', 's.created_ms as session_created_ms', 's.last_seen_ms as session_last_seen_ms')
      /* Every resident page shows the unread count in its header: same query, no second trip. */
      .if(realm === 'resident', (query) =>
        query.select(
          db.raw(
            '(select count(*) from resident_messages m where m.resident_id = a.id and m.read_at is null) as session_unread_messages'
          )
        )
      )
      .first()
    if (!found) return null
    const {
      session_created_ms: createdMs,
      session_last_seen_ms: lastSeenMs,
      session_unread_messages: unread,
      ...account
    } = found
    const now = Date.now()
    const absolute =
      realm === 'staff' ? SESSION_LIMITS.staffAbsoluteMs : SESSION_LIMITS.residentAbsoluteMs
    if (now - Number(createdMs) > absolute || now - Number(lastSeenMs) > SESSION_LIMITS.idleMs) {
      await db.from('auth_sessions').where('id', id).delete()
      return null
    }
    if (now - Number(lastSeenMs) > TOUCH_EVERY_MS) {
      await db.from('auth_sessions').where('id', id).update({ last_seen_ms: now })
    }
    return { account, unreadMessages: unread === undefined ? null : Number(unread) }
  },

  async end(ctx: HttpContext, realm: Realm) {
    const id = ctx.session.get(sessionKey(realm)) as string | undefined
    if (id) await db.from('auth_sessions').where('id', id).delete()
    ctx.session.forget(sessionKey(realm))
  },

  /** Ends every session of an account (disabled, second factor reset, password reset by e-mail). */
  async endAll(realm: Realm, accountId: number, client: QueryClientContract = db.connection()) {
    await client.from('auth_sessions').where({ realm, account_id: accountId }).delete()
  },

  /**
   * Ends every session of the account but this request's (a password changed here): whoever
   * else holds the old password's session is out on their next request.
   */
  async endOthers(
    ctx: HttpContext,
    realm: Realm,
    accountId: number,
    client: QueryClientContract = db.connection()
  ) {
    const current = ctx.session.get(sessionKey(realm)) as string | undefined
    await client
      .from('auth_sessions')
      .where({ realm, account_id: accountId })
      .if(current, (query) => query.whereNot('id', current!))
      .delete()
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
