import { defineConfig } from '@adonisjs/shield'

/*
 * Shield only does CSRF here. Content-Security-Policy (no inline scripts or styles anywhere,
 * frame-ancestors 'none'), X-Frame-Options, nosniff and HSTS are fixed strings that
 * app/core/middleware/security_headers_middleware.ts sets on every response, anonymous pages
 * included. Shield's own copies of them repeated that work on every page with a form and drew a
 * CSP nonce per request that no directive uses (4 % of a signed-in page in the profile).
 */
const shieldConfig = defineConfig({
  csp: { enabled: false },
  csrf: {
    enabled: true,
    exceptRoutes: [],
    enableXsrfCookie: false,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: { enabled: false },
  hsts: { enabled: false },
  contentTypeSniffing: { enabled: false },
})

export default shieldConfig
