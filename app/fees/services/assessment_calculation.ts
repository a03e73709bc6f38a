import { roundToZloty } from '#core/services/money'
import {
  TAX_LABELS,
  findCategory,
  type BaseUnit,
  type TaxKind,
} from '#fees/services/tax_categories'

export interface TaxObjectInput {
  id: number
  tax: TaxKind
  category: string
  description: string
  location: string | null
  baseE4: number
  validFrom: string
  validTo: string | null
}

export interface TaxRateInput {
  tax: TaxKind
  category: string
  unit: BaseUnit
  rateE4: number
}

export interface CalculationLine {
  position: number
  tax: TaxKind
  category: string
  description: string
  unit: BaseUnit
  baseE4: number
  rateE4: number
  /** Months of the year the object was taxed, when fewer than 12. */
  months: number
  amountGr: number
}

export interface TaxSubtotal {
  tax: TaxKind
  label: string
  exactGr: number
  /** Rounded to full złoty (Tax Ordinance art. 63 §1). */
  amountGr: number
}

export interface Calculation {
  year: number
  lines: CalculationLine[]
  subtotals: TaxSubtotal[]
  totalGr: number
}

export class CalculationError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

function monthIndex(date: string) {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1
}

/**
 * Months of `year` in which the obligation existed: it arises from the first day
 * of the month after the event and ends with the month in which it ceased
 * (Local Taxes Act art. 6 §1, §3): one acquired on 1 January counts from February, one held before the year from January.
 */
export function taxableMonths(year: number, validFrom: string, validTo: string | null): number {
  const yearStart = year * 12
  const yearEnd = yearStart + 11
  const starts = validFrom < `${year}-01-01` ? yearStart : monthIndex(validFrom) + 1
  const ends = validTo === null ? yearEnd : Math.min(yearEnd, monthIndex(validTo))
  return Math.max(0, Math.min(yearEnd, ends) - Math.max(yearStart, starts) + 1)
}

/**
 * The yearly tax on the objects at the year's rates: one line per object with
 * base × rate = amount (value-based bases rounded to full złoty first), each tax
 * rounded to full złoty, their sum the combined liability (łączne zobowiązanie).
 */
export function calculateAssessment(input: {
  year: number
  objects: readonly TaxObjectInput[]
  rates: readonly TaxRateInput[]
}): Calculation {
  const lines: CalculationLine[] = []
  for (const object of input.objects) {
    const months = taxableMonths(input.year, object.validFrom, object.validTo)
    if (months === 0) continue
    const category = findCategory(object.category)
    if (!category || category.tax !== object.tax)
      throw new CalculationError(
        `Nieznana kategoria przedmiotu opodatkowania „${object.category}”.`,
        'category'
      )
    const rate = input.rates.find(
      (row) => row.tax === object.tax && row.category === object.category
    )
    if (!rate)
      throw new CalculationError(
        `Brak stawki na rok ${input.year} dla kategorii „${category.label}”. Wprowadź stawki z uchwały rady gminy.`,
        'rates'
      )
    if (rate.unit !== category.unit)
      throw new CalculationError(
        `Stawka na rok ${input.year} dla kategorii „${category.label}” jest podana w innej jednostce (${rate.unit}) niż podstawa (${category.unit}).`,
        'rates'
      )
    if (!Number.isSafeInteger(object.baseE4) || object.baseE4 < 0)
      throw new CalculationError(
        `Podstawa opodatkowania „${object.description}” musi być liczbą nieujemną.`,
        'baseE4'
      )
    const baseE4 =
      category.unit === 'value' ? Math.round(object.baseE4 / 10_000) * 10_000 : object.baseE4
    /* base × 10^4 × rate × 10^4 is złoty × 10^8, i.e. grosze × 10^6; BigInt keeps large values exact. */
    const yearly = BigInt(baseE4) * BigInt(rate.rateE4) * BigInt(months)
    const divisor = 1_000_000n * 12n
    const amountGr = Number((yearly * 2n + divisor) / (2n * divisor))
    lines.push({
      position: lines.length + 1,
      tax: object.tax,
      category: object.category,
      description: [object.description, object.location].filter(Boolean).join(', '),
      unit: category.unit,
      baseE4,
      rateE4: rate.rateE4,
      months,
      amountGr,
    })
  }
  const subtotals: TaxSubtotal[] = (['property', 'agricultural', 'forest'] as const)
    .map((tax) => {
      const exactGr = lines
        .filter((line) => line.tax === tax)
        .reduce((sum, line) => sum + line.amountGr, 0)
      return { tax, label: TAX_LABELS[tax], exactGr, amountGr: roundToZloty(exactGr) }
    })
    .filter((subtotal) => lines.some((line) => line.tax === subtotal.tax))
  return {
    year: input.year,
    lines,
    subtotals,
    totalGr: subtotals.reduce((sum, subtotal) => sum + subtotal.amountGr, 0),
  }
}

/** "1234.5600" style display of a ×10^4 quantity, trailing zeros trimmed to `minDecimals`. */
export function formatScaled(valueE4: number, minDecimals = 2): string {
  const negative = valueE4 < 0
  const absolute = Math.abs(valueE4)
  const whole = Math.floor(absolute / 10_000)
  let fraction = String(absolute % 10_000).padStart(4, '0')
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1)
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')
  return `${negative ? '−' : ''}${grouped}${fraction ? ',' + fraction : ''}`
}

/** Parses "1 234,5" or "1234.5" into ×10^4 units; null when it is not a non-negative number with at most 4 decimals. */
export function parseScaled(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0]/g, '').replace(',', '.')
  const match = /^(\d{1,12})(?:\.(\d{1,4}))?$/.exec(cleaned)
  if (!match) return null
  return Number(match[1]) * 10_000 + Number((match[2] ?? '').padEnd(4, '0'))
}
