import { join } from 'node:path'
import type { HttpContext } from '@adonisjs/core/http'
import ratuszConfig from '#config/ratusz'
import officeProfileService from '#core/services/office_profile_service'
import publicPageCache from '#core/services/public_page_cache'
import { serviceCatalogue } from '#core/services/service_catalogue'
import { LOCALE_COOKIE } from '#core/middleware/locale_middleware'

export default class PublicPagesController {
  async #cached(ctx: HttpContext, template: string, page: string) {
    /* A browser's hard reload (and the benchmark) asks for a page rendered afresh. */
    const fresh = /(^|[\s,])no-cache([\s,=]|$)/i.test(ctx.request.header('cache-control') ?? '')
    const html = await publicPageCache.remember(
      `${ctx.i18n.locale}:${page}`,
      async () =>
        ctx.view.render(template, {
          office: await officeProfileService.get(),
          tiles: serviceCatalogue.list(),
          page,
        }),
      fresh
    )
    ctx.response.header('Content-Type', 'text/html; charset=utf-8')
    ctx.response.header('Cache-Control', 'public, max-age=60')
    /* The language comes from a cookie: caches must keep one copy per language. */
    ctx.response.header('Vary', 'Cookie')
    return html
  }

  home(ctx: HttpContext) {
    return this.#cached(ctx, 'core/public/home', 'home')
  }

  contact(ctx: HttpContext) {
    return this.#cached(ctx, 'core/public/contact', 'contact')
  }

  accessibility(ctx: HttpContext) {
    return this.#cached(ctx, 'core/public/accessibility', 'accessibility')
  }

  privacy(ctx: HttpContext) {
    return this.#cached(ctx, 'core/public/privacy', 'privacy')
  }

  /** The office's coat of arms uploaded in the profile (falls back to the bundled emblem). */
  async logo({ response }: HttpContext) {
    const office = await officeProfileService.get()
    if (!office?.logoPath || office.logoPath.includes('..'))
      return response.redirect('/img/herb.svg')
    response.header('Cache-Control', 'public, max-age=3600')
    response.header('X-Content-Type-Options', 'nosniff')
    return response.download(join(ratuszConfig.filesDir, office.logoPath))
  }

  /** Remembers the chosen language in a plain cookie and returns to the page (local paths only). */
  switchLanguage({ params, request, response }: HttpContext) {
    const back = String(request.input('back', '/'))
    const target =
      back.startsWith('/') && !back.startsWith('//') && !back.includes('\\') ? back : '/'
    response.plainCookie(LOCALE_COOKIE, params.locale, {
      encode: false,
      maxAge: '365d',
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
    })
    return response.redirect(target)
  }
}
