import app from '@adonisjs/core/services/app'
import { configProvider } from '@adonisjs/core'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'
import type { FormatterFactory, TranslationsFormatterContract } from '@adonisjs/i18n/types'

/*
 * The ICU formatter parses a message on every call; a page calls t() dozens of
 * times. Messages without placeholders always format the same way, so their
 * output is kept per language.
 */
function withPlainMessageCache(
  inner: TranslationsFormatterContract
): TranslationsFormatterContract {
  const plain = new Map<string, string>()
  return {
    name: inner.name,
    format(message, locale, data) {
      if (data && Object.keys(data).length > 0) return inner.format(message, locale, data)
      const key = `${locale}\u0000${message}`
      let output = plain.get(key)
      if (output === undefined) {
        output = inner.format(message, locale, data)
        plain.set(key, output)
      }
      return output
    },
  }
}

const cachingIcu = configProvider.create<FormatterFactory>(async (application) => {
  const icu = await formatters.icu().resolver(application)
  return (config) => withPlainMessageCache(icu(config))
})

const i18nConfig = defineConfig({
  defaultLocale: 'pl',
  supportedLocales: ['pl', 'en'],
  fallbackLocales: { en: 'pl' },
  formatter: cachingIcu,
  loaders: [loaders.fs({ location: app.languageFilesPath() })],
})

export default i18nConfig
