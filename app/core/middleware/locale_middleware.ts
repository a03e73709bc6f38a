import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import i18nManager from '@adonisjs/i18n/services/main'
import { I18n } from '@adonisjs/i18n'
import { RequestValidator } from '@adonisjs/core/http'

export const LOCALE_COOKIE = 'ratusz_lang'

/* One translator per language, built on first use: building one per request showed in profiles. */
const translators = new Map<string, I18n>()
function forLocale(locale: string): I18n {
  let i18n = translators.get(locale)
  if (!i18n) {
    i18n = i18nManager.locale(locale)
    translators.set(locale, i18n)
  }
  return i18n
}

/**
 * Polish unless the visitor chose English with the language switch (a plain
 * cookie, so anonymous pages stay off the session stack).
 */
export default class LocaleMiddleware {
  static {
    RequestValidator.messagesProvider = (ctx) => ctx.i18n.createMessagesProvider()
  }

  async handle(ctx: HttpContext, next: NextFn) {
    const chosen = ctx.request.cookiesList()[LOCALE_COOKIE]
    const locale = chosen === 'en' ? 'en' : 'pl'
    ctx.i18n = forLocale(locale)
    ctx.containerResolver.bindValue(I18n, ctx.i18n)
    /* The view renderer picks i18n up when a page is rendered (RatuszProvider); /up never builds one. */
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    i18n: I18n
  }
}
