import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { parseIsoDate } from '#core/services/calendar'
import { parseMoney } from '#core/services/money'

/*
 * Text fields of the fees forms that must parse into a value: dates, money,
 * quantities ×10^4. One mechanism for every fees validator.
 */

/** "15.03.2024" or "2024-03-15" → "2024-03-15". */
export function parseDateInput(text: string): string | null {
  const value = text.trim()
  const polish = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value)
  if (polish)
    return parseIsoDate(`${polish[3]}-${polish[2].padStart(2, '0')}-${polish[1].padStart(2, '0')}`)
  return parseIsoDate(value)
}

/** Złoty typed by a person → grosze; null when unreadable or below the minimum. */
export function moneyAtLeast(minimumGr: number) {
  return (text: string): number | null => {
    try {
      const amount = parseMoney(text)
      return amount >= minimumGr ? amount : null
    } catch {
      return null
    }
  }
}

/**
 * A text field that must parse: the rule reports `name` when it does not and
 * otherwise puts the parsed value in its place (typed by the transform).
 */
export function parsedField<T>(name: string, parse: (text: string) => T | null) {
  const check = vine.createRule(
    (value: unknown, _options: undefined, field: FieldContext) => {
      if (typeof value !== 'string') return
      const result = parse(value)
      if (result === null) return field.report('', name, field)
      field.mutate(result, field)
    },
    { name }
  )
  return () =>
    vine
      .string()
      .trim()
      .use(check())
      .transform((value) => value as unknown as T)
}
