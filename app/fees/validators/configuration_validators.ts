import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { validationMessages } from '#core/validators/messages'
import { parseIsoDate } from '#core/services/calendar'
import { parseScaled } from '#fees/services/assessment_calculation'
import { TAX_CATEGORIES } from '#fees/services/tax_categories'
import { WASTE_METHODS } from '#fees/services/waste_fee'
import { moneyAtLeast, parseDateInput, parsedField } from '#fees/validators/field_rules'

/*
 * The treasurer's configuration forms (rates of the council resolutions, the
 * interest table, waste-fee rates, fee types), the waste declaration and fee
 * forms of the taxpayer card, and the public interest calculator. Field labels
 * live here: the shared language file's "name" is the gmina's name.
 */
const FIELDS: Record<string, string> = {
  year: 'Rok podatkowy',
  resolution: 'Uchwała rady gminy',
  effectiveFrom: 'Obowiązuje od',
  rate: 'Stawka',
  note: 'Uwagi',
  threshold: 'Próg odsetek',
  thresholdFrom: 'Próg obowiązuje od',
  validFrom: 'Obowiązuje od',
  method: 'Metoda ustalania opłaty',
  compostingDiscount: 'Zwolnienie za kompostownik',
  nonSortingMultiplier: 'Mnożnik za brak segregacji',
  scheduleKind: 'Terminy płatności',
  scheduleDay: 'Dzień miesiąca',
  scheduleDate: 'Termin płatności (dzień i miesiąc)',
  code: 'Kod opłaty',
  name: 'Nazwa opłaty',
  amountRule: 'Sposób ustalania kwoty',
  amount: 'Kwota',
  unitLabel: 'Jednostka',
  rounding: 'Zaokrąglanie',
  isActive: 'Opłata pobierana',
  propertyAddress: 'Adres nieruchomości',
  effectiveMonth: 'Od miesiąca',
  residents: 'Liczba mieszkańców',
  waterM3: 'Zużycie wody (m³ na miesiąc)',
  areaM2: 'Powierzchnia lokalu (m²)',
  households: 'Liczba gospodarstw domowych',
  composting: 'Kompostownik',
  notSorting: 'Brak segregacji',
  filedOn: 'Data złożenia deklaracji',
  feeTypeId: 'Rodzaj opłaty',
  units: 'Liczba jednostek',
  issuedOn: 'Data naliczenia',
  due: 'Termin płatności',
  paid: 'Data zapłaty',
  ...Object.fromEntries(
    TAX_CATEGORIES.map((category) => [`rate_${category.code}`, category.label])
  ),
}

const MESSAGES: Record<string, string> = {
  ...validationMessages,
  'date': 'Pole „{{ field }}” musi zawierać istniejącą datę, np. 15.03.2024 lub 2024-03-15.',
  'scaled':
    'Pole „{{ field }}” musi zawierać liczbę nieujemną z najwyżej 4 miejscami po przecinku, np. 1,25.',
  'percent':
    'Pole „{{ field }}” musi zawierać procent z najwyżej 2 miejscami po przecinku, np. 14,50.',
  'money': 'Pole „{{ field }}” musi zawierać kwotę w złotych, np. 1000,00.',
  'month': 'Pole „{{ field }}” musi zawierać miesiąc w postaci RRRR-MM, np. 2026-03.',
  'firstOfMonth': 'Pole „{{ field }}” musi wskazywać pierwszy dzień miesiąca, np. 2026-01-01.',
  'multiplier': 'Pole „{{ field }}” musi zawierać liczbę od 2 do 4, np. 3 lub 2,5.',
  'monthDay': 'Pole „{{ field }}” musi zawierać dzień i miesiąc w postaci DD.MM, np. 31.03.',
  'withoutDecimals': 'Pole „{{ field }}” musi być liczbą całkowitą.',
  'positive': 'Pole „{{ field }}” musi być liczbą większą od zera.',
  'code.regex':
    'Pole „{{ field }}” może zawierać małe litery, cyfry i myślnik (2–40 znaków), np. psy.',
}

export const configurationMessages = new SimpleMessagesProvider(MESSAGES, FIELDS)

/* The public calculator names its fields for a resident. */
export const calculatorMessages = new SimpleMessagesProvider(MESSAGES, {
  amount: 'Kwota zaległości',
  due: 'Termin płatności',
  paid: 'Data zapłaty',
})

export const dateField = parsedField('date', parseDateInput)
/** ×10^4 with up to 4 decimals. */
const scaled = parsedField('scaled', parseScaled)
/** A percent with up to 2 decimals → basis points ("14,5" → 1450; "2" → 200, i.e. 2 % as a fraction × 10^4). */
const percent = parsedField('percent', (text) => {
  const value = parseScaled(text)
  return value === null || value % 100 !== 0 ? null : value / 100
})
/** Non-negative złoty → grosze. */
const money = parsedField('money', moneyAtLeast(0))
const month = parsedField('month', (text) => (/^\d{4}-(0[1-9]|1[0-2])$/.test(text) ? text : null))
const firstOfMonth = parsedField('firstOfMonth', (text) => {
  const date = parseDateInput(text)
  return date && date.endsWith('-01') ? date : null
})
/** "3" or "2,5" → 300 or 250 (% of the rate), between 2× and 4×. */
const multiplier = parsedField('multiplier', (text) => {
  const value = parseScaled(text)
  if (value === null || value % 100 !== 0) return null
  const pct = value / 100
  return pct >= 200 && pct <= 400 ? pct : null
})
/** "31.03" → "03-31". */
const monthDay = parsedField('monthDay', (text) => {
  const match = /^(\d{1,2})\.(\d{1,2})\.?$/.exec(text)
  if (!match) return null
  const iso = parseIsoDate(`2001-${match[2].padStart(2, '0')}-${match[1].padStart(2, '0')}`)
  return iso ? iso.slice(5) : null
})
const resolution = () => vine.string().trim().maxLength(200).optional()

export const taxRatesValidator = vine.create({
  year: vine.number().withoutDecimals().min(2000).max(2100),
  resolution: resolution(),
  ...Object.fromEntries(
    TAX_CATEGORIES.map((category) => [
      `rate_${category.code}`,
      (category.unit === 'value' ? percent() : scaled()).optional(),
    ])
  ),
})

export const copyTaxRatesValidator = vine.create({
  year: vine.number().withoutDecimals().min(2001).max(2100),
})

export const interestRateValidator = vine.create({
  effectiveFrom: dateField(),
  rate: percent(),
  note: vine.string().trim().maxLength(200).optional(),
})

export const thresholdValidator = vine.create({
  threshold: money(),
  thresholdFrom: dateField(),
})

export const wasteRateValidator = vine.create({
  validFrom: firstOfMonth(),
  method: vine.enum(WASTE_METHODS),
  rate: scaled(),
  compostingDiscount: scaled().optional(),
  nonSortingMultiplier: multiplier(),
  scheduleKind: vine.enum(['monthly', 'quarterly'] as const),
  scheduleDay: vine.number().withoutDecimals().min(1).max(31),
  resolution: resolution(),
})

export const feeTypeValidator = vine.create({
  name: vine.string().trim().minLength(3).maxLength(200),
  code: vine
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,39}$/),
  amountRule: vine.enum(['fixed', 'per_unit'] as const),
  amount: money(),
  unitLabel: vine
    .string()
    .trim()
    .maxLength(40)
    .optional()
    .requiredWhen('amountRule', '=', 'per_unit'),
  scheduleKind: vine.enum(['once', 'quarterly', 'monthly', 'property'] as const),
  scheduleDate: monthDay().optional().requiredWhen('scheduleKind', '=', 'once'),
  scheduleDay: vine
    .number()
    .withoutDecimals()
    .min(1)
    .max(31)
    .optional()
    .requiredWhen('scheduleKind', '=', 'monthly'),
  rounding: vine.enum(['none', 'zloty'] as const),
  isActive: vine.boolean().optional(),
})

export const wasteDeclarationValidator = vine.create({
  propertyAddress: vine.string().trim().minLength(3).maxLength(200),
  effectiveMonth: month(),
  residents: vine.number().withoutDecimals().min(0).max(999).optional(),
  waterM3: scaled().optional(),
  areaM2: scaled().optional(),
  households: vine.number().withoutDecimals().min(0).max(999).optional(),
  composting: vine.boolean().optional(),
  notSorting: vine.boolean().optional(),
  filedOn: dateField(),
})

export const assessFeeValidator = vine.create({
  feeTypeId: vine.number().withoutDecimals().positive(),
  year: vine.number().withoutDecimals().min(2000).max(2100),
  units: scaled().optional(),
  issuedOn: dateField(),
})

export const calculatorValidator = vine.create({
  amount: money(),
  due: dateField(),
  paid: dateField(),
})
