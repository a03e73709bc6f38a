import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

const secure = app.inProduction && env.get('TLS', true)

const sessionConfig = defineConfig({
  enabled: true,
  /*
   * The __Host- prefix pins the cookie to this host and path "/" and makes the
   * browser refuse it without Secure, so it is only used behind TLS.
   */
  cookieName: secure ? '__Host-ratusz' : 'ratusz_session',
  clearWithBrowser: true,
  /*
   * The session travels in an encrypted cookie, so anonymous pages with a form
   * cost no database write; signed-in sessions are also rows in auth_sessions
   * (session_registry), which is what logout, expiry and disabling delete.
   */
  age: '30m',
  cookie: { path: '/', httpOnly: true, secure, sameSite: 'lax' },
  store: env.get('SESSION_DRIVER', 'cookie'),
  stores: {
    cookie: stores.cookie(),
    database: stores.database({ tableName: 'sessions', gcProbability: 2 }),
  },
})

export default sessionConfig
