import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import env from '#start/env'

/*
 * Headers every response gets, including anonymous pages that skip shield.
 * Fixed strings computed once: this runs on every request.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ')

const HSTS = app.inProduction && env.get('TLS', true) ? 'max-age=31536000; includeSubDomains' : null

export default class SecurityHeadersMiddleware {
  async handle({ response }: HttpContext, next: NextFn) {
    response.header('Content-Security-Policy', CSP)
    response.header('X-Content-Type-Options', 'nosniff')
    response.header('X-Frame-Options', 'DENY')
    response.header('Referrer-Policy', 'strict-origin-when-cross-origin')
    response.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
    response.header('Cross-Origin-Opener-Policy', 'same-origin')
    if (HSTS) response.header('Strict-Transport-Security', HSTS)
    return next()
  }
}
