import type { HttpContext } from '@adonisjs/core/http'
import type { CookieOptions } from '@adonisjs/core/types/http'
import type { SessionData, SessionStoreContract } from '@adonisjs/session/types'

/**
 * Session data in an encrypted cookie, like @adonisjs/session's cookie store, except that a
 * request which changed nothing writes nothing. The stock store re-encrypts the same values on
 * every response to push the cookie's expiry forward; ours expire with the browser (no
 * Max-Age) and the idle limit is enforced server-side, so that rewrite bought nothing and cost
 * an AES encryption, an HMAC and a Set-Cookie of about 300 bytes on every signed-in page.
 */
export class SessionCookieStore implements SessionStoreContract {
  constructor(
    private readonly cookie: Partial<CookieOptions>,
    private readonly ctx: HttpContext
  ) {}

  read(sessionId: string): SessionData | null {
    const value = this.ctx.request.encryptedCookie(sessionId)
    return typeof value === 'object' && value !== null ? value : null
  }

  write(sessionId: string, values: SessionData) {
    this.ctx.response.encryptedCookie(sessionId, values, this.cookie)
  }

  destroy(sessionId: string) {
    if (this.ctx.request.cookiesList()[sessionId]) this.ctx.response.clearCookie(sessionId)
  }

  touch() {
    if (this.cookie.maxAge !== undefined || this.cookie.expires !== undefined) {
      throw new Error('SessionCookieStore only serves browser-session cookies (clearWithBrowser)')
    }
  }
}
