/*
 * VineJS rules for Polish identifiers. Each rule strips separators and stores the
 * normalized value, so "123-456-32-18" reaches the model as "1234563218".
 *
 *   vine.object({
 *     pesel: pesel(),                              // vine.string().trim().use(peselRule())
 *     nip: nip().optional(),
 *     account: vine.string().trim().use(nrbRule()),
 *     postalCode: postalCode(),
 *   })
 */
import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import {
  checkNip,
  checkNrb,
  checkPesel,
  checkPostalCode,
  checkRegon,
  type IdentifierCheck,
  type IdentifierFailure,
} from '#core/services/identifiers'

/** Polish wording of the reasons reported by the identifier checks. */
const REASONS: Record<IdentifierFailure, string> = {
  'empty': 'pole jest puste',
  'not digits': 'dozwolone są tylko cyfry',
  'wrong length': 'nieprawidłowa liczba cyfr',
  'wrong check digit': 'błędna cyfra kontrolna',
  'impossible date': 'nieistniejąca data urodzenia',
  'wrong format': 'oczekiwany format NN-NNN, np. 00-950',
}

/**
 * The message may be overridden per rule name in the messages provider;
 * {{ field }} and {{ reason }} are filled in by VineJS.
 */
function identifierRule(name: string, check: (value: string) => IdentifierCheck, message: string) {
  return vine.createRule(
    (value: unknown, _options: undefined, field: FieldContext) => {
      if (typeof value !== 'string') return
      const result = check(value)
      if (!result.valid) {
        field.report(message, name, field, { reason: REASONS[result.reason ?? 'wrong format'] })
        return
      }
      field.mutate(result.normalized, field)
    },
    { name }
  )
}

export const peselRule = identifierRule(
  'pesel',
  checkPesel,
  'Pole „{{ field }}” nie zawiera poprawnego numeru PESEL ({{ reason }}).'
)

export const nipRule = identifierRule(
  'nip',
  checkNip,
  'Pole „{{ field }}” nie zawiera poprawnego numeru NIP ({{ reason }}).'
)

export const regonRule = identifierRule(
  'regon',
  checkRegon,
  'Pole „{{ field }}” nie zawiera poprawnego numeru REGON ({{ reason }}).'
)

export const nrbRule = identifierRule(
  'nrb',
  checkNrb,
  'Pole „{{ field }}” nie zawiera poprawnego numeru rachunku bankowego ({{ reason }}).'
)

// Not "postalCode": VineJS ships a rule (and a default message) under that name.
export const postalCodeRule = identifierRule(
  'polishPostalCode',
  checkPostalCode,
  'Pole „{{ field }}” nie zawiera poprawnego kodu pocztowego ({{ reason }}).'
)

export function pesel() {
  return vine.string().trim().use(peselRule())
}

export function nip() {
  return vine.string().trim().use(nipRule())
}

export function regon() {
  return vine.string().trim().use(regonRule())
}

export function nrb() {
  return vine.string().trim().use(nrbRule())
}

export function postalCode() {
  return vine.string().trim().use(postalCodeRule())
}
