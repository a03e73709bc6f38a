import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'
import { trustedProxyPredicate } from '#core/services/network_zones'

export const appKey = new Secret(env.get('APP_KEY'))

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: true,
  useAsyncLocalStorage: false,

  /*
   * Only the reverse proxies named in TRUSTED_PROXIES may set X-Forwarded-For.
   * Anything else is ignored, so a spoofed header never opens the staff zone.
   */
  trustProxy: trustedProxyPredicate(env.get('TRUSTED_PROXIES', '')),

  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction && env.get('TLS', true),
    sameSite: 'lax',
  },
})
