/*
 * HTTP middleware. Session, CSRF (shield) and auth cost about 8× throughput, so
 * they are named middleware applied to the route groups that need them, never
 * global: /up, static assets and anonymous public pages stay off that stack.
 */
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#core/exceptions/handler'))

server.use([
  () => import('#core/middleware/security_headers_middleware'),
  () => import('#core/middleware/health_fast_path_middleware'),
  () => import('#core/middleware/static_assets_middleware'),
  /* Server-level so that 404 pages of unknown URLs are rendered in the visitor's language too. */
  () => import('#core/middleware/locale_middleware'),
])

router.use([() => import('@adonisjs/core/bodyparser_middleware')])

export const middleware = router.named({
  /* session + CSRF/CSP + auth initialisation: everything with a form or a login */
  session: () => import('#core/middleware/session_middleware'),
  shield: () => import('@adonisjs/shield/shield_middleware'),
  initAuth: () => import('@adonisjs/auth/initialize_auth_middleware'),
  bouncer: () => import('#core/middleware/initialize_bouncer_middleware'),
  office: () => import('#core/middleware/share_office_middleware'),
  staffZone: () => import('#core/middleware/staff_zone_middleware'),
  staff: () => import('#core/middleware/staff_auth_middleware'),
  resident: () => import('#core/middleware/resident_auth_middleware'),
  guest: () => import('#core/middleware/guest_middleware'),
  setupDone: () => import('#core/middleware/setup_done_middleware'),
})
