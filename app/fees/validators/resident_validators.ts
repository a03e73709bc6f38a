import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { validationMessages } from '#core/validators/messages'

/* The resident's forms in "Moje podatki i opłaty". */
export const residentFeesMessages = new SimpleMessagesProvider(
  {
    ...validationMessages,
    'kod.required': 'Wpisz kod dostępu wydrukowany na decyzji.',
    'kod.accessCode':
      'Kod dostępu ma 12 liter i cyfr w układzie XXXX-XXXX-XXXX, np. ABCD-EFGH-JK23. Sprawdź, czy przepisano go w całości.',
  },
  { kod: 'Kod dostępu' }
)

/**
 * "abcd efgh jk23", "ABCD-EFGH-JK23" → "ABCD-EFGH-JK23": people copy the code
 * from paper in lower case, with spaces or without the dashes.
 */
const accessCodeRule = vine.createRule(
  (value: unknown, _options: undefined, field: FieldContext) => {
    if (typeof value !== 'string') return
    const raw = value.replace(/[\s\u2010-\u2015-]/g, '').toUpperCase()
    if (!/^[A-Z0-9]{12}$/.test(raw)) return field.report('', 'accessCode', field)
    field.mutate(`${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`, field)
  },
  { name: 'accessCode' }
)

export const linkByCodeValidator = vine.create({
  kod: vine.string().trim().maxLength(40).use(accessCodeRule()),
})
