import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'
import { SessionCookieStore } from '#core/services/session_cookie_store'

const secure = app.inProduction && env.get('TLS', true)

/*
 * The __Host- prefix pins the cookie to this host and path "/" and makes the
 * browser refuse it without Secure, so it is only used behind TLS.
 */
export const SESSION_COOKIE_NAME = secure ? '__Host-ratusz' : 'ratusz_session'
/* Session cookies end with the browser; idle and absolute limits live in auth_sessions. */
export const SESSION_CLEARS_WITH_BROWSER = true
export const SESSION_STORE = env.get('SESSION_DRIVER', 'cookie')

const sessionConfig = defineConfig({
  enabled: true,
  cookieName: SESSION_COOKIE_NAME,
  clearWithBrowser: SESSION_CLEARS_WITH_BROWSER,
  /*
   * The session travels in an encrypted cookie, so anonymous pages with a form
   * cost no database write; signed-in sessions are also rows in auth_sessions
   * (session_registry), which is what logout, expiry and disabling delete.
   */
  age: '30m',
  cookie: { path: '/', httpOnly: true, secure, sameSite: 'lax' },
  store: SESSION_STORE,
  stores: {
    cookie: (ctx, config) => new SessionCookieStore(config.cookie, ctx),
    database: stores.database({ tableName: 'sessions', gcProbability: 2 }),
  },
})

export default sessionConfig
