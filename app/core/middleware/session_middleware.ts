import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import { SESSION_CLEARS_WITH_BROWSER, SESSION_COOKIE_NAME, SESSION_STORE } from '#config/session'

/**
 * The session middleware of @adonisjs/session, without the signed id cookie it sends again on
 * every response. Our session cookies live until the browser closes (no Max-Age: idle and
 * absolute limits are kept server-side in auth_sessions), so a response that would repeat the
 * id the browser already sent changes nothing for the browser; skipping it saves an HMAC and
 * a Set-Cookie header per page. A new or rotated id is always sent. Only with the cookie store
 * (production): there the id is just the name of the encrypted data cookie; the test suite's
 * memory store finds the session through the id cookie of each response.
 */
@inject()
export default class LeanSessionMiddleware {
  constructor(protected session: SessionMiddleware<any>) {}

  handle(ctx: HttpContext, next: NextFn) {
    const cookieName = SESSION_COOKIE_NAME
    if (SESSION_STORE === 'cookie' && SESSION_CLEARS_WITH_BROWSER && ctx.request.header('cookie')) {
      const response = ctx.response
      const setCookie = response.cookie.bind(response)
      response.cookie = (key: string, value: any, options?: any) => {
        if (key === cookieName && value === ctx.request.cookie(cookieName)) return response
        return setCookie(key, value, options)
      }
    }
    return this.session.handle(ctx, next)
  }
}
