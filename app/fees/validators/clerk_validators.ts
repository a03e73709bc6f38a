import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { validationMessages } from '#core/validators/messages'
import { nip, pesel, postalCode, regon } from '#core/validators/polish_rules'
import { parseScaled } from '#fees/services/assessment_calculation'
import { TAX_CATEGORIES } from '#fees/services/tax_categories'
import { moneyAtLeast, parseDateInput, parsedField } from '#fees/validators/field_rules'

/*
 * The tax clerk's forms. Labels are given here, not in the shared language
 * file, because "name" there means the gmina's name.
 */
const FIELDS: Record<string, string> = {
  kind: 'Rodzaj podatnika',
  name: 'Imię i nazwisko lub nazwa',
  pesel: 'PESEL',
  nip: 'NIP',
  regon: 'REGON',
  memberIds: 'Numery współwłaścicieli w ewidencji',
  street: 'Ulica i numer domu',
  postalCode: 'Kod pocztowy',
  city: 'Miejscowość',
  email: 'Adres e-mail',
  phone: 'Telefon',
  notes: 'Uwagi',
  tax: 'Podatek',
  category: 'Kategoria',
  description: 'Opis',
  location: 'Położenie',
  base: 'Podstawa opodatkowania',
  physicalArea: 'Powierzchnia fizyczna (ha)',
  landClass: 'Klasa gruntu',
  validFrom: 'Opodatkowany od',
  validTo: 'Opodatkowany do',
  year: 'Rok podatkowy',
  issuedOn: 'Data wydania',
  deliveredOn: 'Data doręczenia',
  effectiveFrom: 'Zmiana od dnia',
  amount: 'Kwota',
  paidOn: 'Data wpłaty',
  bookedOn: 'Data księgowania',
  title: 'Tytuł wpłaty',
  namedAssessmentId: 'Decyzja wskazana przez wpłacającego',
  idempotencyKey: 'Znacznik formularza',
  residentEmail: 'Adres e-mail konta mieszkańca',
  residentId: 'Konto mieszkańca',
  identityChecked: 'Potwierdzenie tożsamości',
  writeOffReason: 'Podstawa odpisu',
  refundReason: 'Podstawa zwrotu',
}

export const clerkMessages = new SimpleMessagesProvider(
  {
    ...validationMessages,
    'isoDate': 'Pole „{{ field }}” musi zawierać datę w formacie RRRR-MM-DD, np. 2026-03-15.',
    'scaled':
      'Pole „{{ field }}” musi zawierać liczbę, np. 120,5 (najwyżej 4 miejsca po przecinku).',
    'money': 'Pole „{{ field }}” musi zawierać kwotę większą od zera, np. 150,00.',
    'memberIds.regex':
      'Pole „{{ field }}” musi zawierać numery podatników oddzielone przecinkami, np. 12, 15.',
    'idempotencyKey.regex': 'Formularz jest nieaktualny. Otwórz go ponownie.',
    'positive': 'Wybierz jedną z dostępnych wartości w polu „{{ field }}”.',
    'withoutDecimals': 'Pole „{{ field }}” musi być liczbą całkowitą.',
    'identityChecked.required': 'Potwierdź, że tożsamość mieszkańca została sprawdzona.',
    'identityChecked.accepted': 'Potwierdź, że tożsamość mieszkańca została sprawdzona.',
  },
  FIELDS
)

const isoDate = parsedField('isoDate', parseDateInput)
/** "1 234,50 zł" → 123450 grosze, more than zero. */
const money = parsedField('money', moneyAtLeast(1))
/** "120,5" → 1 205 000 (× 10^4). */
const scaled = parsedField('scaled', parseScaled)

export const taxpayerValidator = vine.create({
  kind: vine.enum(['individual', 'business', 'joint'] as const),
  name: vine.string().trim().minLength(2).maxLength(200),
  pesel: pesel().optional().requiredWhen('kind', '=', 'individual'),
  nip: nip().optional().requiredWhen('kind', '=', 'business'),
  regon: regon().optional(),
  memberIds: vine
    .string()
    .trim()
    .regex(/^\d+(\s*[,;\s]\s*\d+)*$/)
    .optional()
    .requiredWhen('kind', '=', 'joint'),
  street: vine.string().trim().maxLength(200).optional(),
  postalCode: postalCode().optional(),
  city: vine.string().trim().maxLength(100).optional(),
  email: vine.string().trim().email().maxLength(254).optional(),
  phone: vine
    .string()
    .trim()
    .regex(/^[+\d][\d\s()-]{6,29}$/)
    .optional(),
  notes: vine.string().trim().maxLength(2000).optional(),
})

const CATEGORY_CODES = TAX_CATEGORIES.map((category) => category.code)

export const taxObjectValidator = vine.create({
  tax: vine.enum(['property', 'agricultural', 'forest'] as const),
  category: vine.enum(CATEGORY_CODES),
  description: vine.string().trim().minLength(2).maxLength(200),
  location: vine.string().trim().maxLength(200).optional(),
  base: scaled(),
  physicalArea: scaled().optional(),
  landClass: vine.string().trim().maxLength(20).optional(),
  validFrom: isoDate(),
  validTo: isoDate().optional(),
})

export const endObjectValidator = vine.create({ validTo: isoDate() })

export const issueDecisionValidator = vine.create({
  year: vine.number().withoutDecimals().min(2000).max(2100),
  issuedOn: isoDate(),
  deliveredOn: isoDate().optional(),
})

export const deliveryValidator = vine.create({ deliveredOn: isoDate() })

export const correctionValidator = vine.create({ effectiveFrom: isoDate(), issuedOn: isoDate() })

export const paymentValidator = vine.create({
  amount: money(),
  paidOn: isoDate(),
  title: vine.string().trim().maxLength(300).optional(),
  namedAssessmentId: vine.number().withoutDecimals().positive().optional(),
  idempotencyKey: vine
    .string()
    .trim()
    .regex(/^[a-f0-9]{32}$/),
})

export const writeOffValidator = vine.create({
  amount: money(),
  bookedOn: isoDate(),
  writeOffReason: vine.string().trim().minLength(3).maxLength(300),
})

export const refundValidator = vine.create({
  amount: money(),
  bookedOn: isoDate(),
  refundReason: vine.string().trim().minLength(3).maxLength(300),
})

export const linkResidentValidator = vine.create({
  residentEmail: vine.string().trim().email().maxLength(254),
  identityChecked: vine.accepted(),
})

export const unlinkResidentValidator = vine.create({
  residentId: vine.number().withoutDecimals().positive(),
})
