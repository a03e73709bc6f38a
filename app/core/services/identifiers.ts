/*
 * Polish identifiers: PESEL, NIP, REGON, NRB (bank account) and postal codes.
 * Pure functions without framework imports so that validators, commands and
 * imports of external data can share them.
 */

export type IdentifierKind = 'pesel' | 'nip' | 'regon' | 'nrb'

export const IDENTIFIER_KINDS: readonly IdentifierKind[] = ['pesel', 'nip', 'regon', 'nrb']

/**
 * Why a value was rejected. Short, stable English codes: the UI translates
 * them, scripts may compare them.
 */
export type IdentifierFailure =
  'empty' | 'not digits' | 'wrong length' | 'wrong check digit' | 'impossible date' | 'wrong format'

export interface IdentifierCheck {
  valid: boolean
  reason: IdentifierFailure | null
  /** The value without separators (NRB without the "PL" prefix, postal code as NN-NNN). */
  normalized: string
}

export interface PeselCheck extends IdentifierCheck {
  /** Present only for a valid PESEL. */
  birthDate?: string
  /** Present only for a valid PESEL. */
  sex?: 'M' | 'F'
}

const SEPARATORS = /[\s\-\u2010-\u2015\u2212]/g
const DIGITS = /^\d+$/

/** Removes whitespace and dashes people put inside identifiers ("123-456-32-18"). */
export function normalizeIdentifier(value: string): string {
  return value.replace(SEPARATORS, '')
}

function failure(normalized: string, reason: IdentifierFailure): IdentifierCheck {
  return { valid: false, reason, normalized }
}

function success(normalized: string): IdentifierCheck {
  return { valid: true, reason: null, normalized }
}

/** Common prelude: empty, non-digit and length failures, in that order. */
function digitsProblem(normalized: string, lengths: number[]): IdentifierFailure | null {
  if (normalized === '') return 'empty'
  if (!DIGITS.test(normalized)) return 'not digits'
  if (!lengths.includes(normalized.length)) return 'wrong length'
  return null
}

function weightedSum(digits: string, weights: readonly number[]): number {
  let sum = 0
  for (const [index, weight] of weights.entries()) {
    sum += Number(digits[index]) * weight
  }
  return sum
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return month === 2 && leap ? 29 : MONTH_LENGTHS[month - 1]
}

const PESEL_WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3] as const

/** The month field of a PESEL carries the century in steps of 20. */
const PESEL_CENTURIES: Record<number, number> = { 0: 1900, 1: 2000, 2: 2100, 3: 2200, 4: 1800 }

export function checkPesel(value: string): PeselCheck {
  const normalized = normalizeIdentifier(value)
  const problem = digitsProblem(normalized, [11])
  if (problem) return failure(normalized, problem)

  const yy = Number(normalized.slice(0, 2))
  const encodedMonth = Number(normalized.slice(2, 4))
  const day = Number(normalized.slice(4, 6))
  const century = PESEL_CENTURIES[Math.floor(encodedMonth / 20)]
  const month = encodedMonth % 20
  if (century === undefined || month < 1 || month > 12) {
    return failure(normalized, 'impossible date')
  }
  const year = century + yy
  if (day < 1 || day > daysInMonth(year, month)) {
    return failure(normalized, 'impossible date')
  }

  const check = (10 - (weightedSum(normalized, PESEL_WEIGHTS) % 10)) % 10
  if (check !== Number(normalized[10])) return failure(normalized, 'wrong check digit')

  return {
    ...success(normalized),
    birthDate: `${year}-${pad2(month)}-${pad2(day)}`,
    sex: Number(normalized[9]) % 2 === 1 ? 'M' : 'F',
  }
}

const NIP_WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7] as const

export function checkNip(value: string): IdentifierCheck {
  const normalized = normalizeIdentifier(value)
  const problem = digitsProblem(normalized, [10])
  if (problem) return failure(normalized, problem)

  // A remainder of 10 cannot be written as one digit: such numbers are never issued.
  const check = weightedSum(normalized, NIP_WEIGHTS) % 11
  if (check === 10 || check !== Number(normalized[9])) {
    return failure(normalized, 'wrong check digit')
  }
  return success(normalized)
}

const REGON9_WEIGHTS = [8, 9, 2, 3, 4, 5, 6, 7] as const
const REGON14_WEIGHTS = [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8] as const

/** REGON of an entity (9 digits) or of its local unit (14 digits). */
export function checkRegon(value: string): IdentifierCheck {
  const normalized = normalizeIdentifier(value)
  const problem = digitsProblem(normalized, [9, 14])
  if (problem) return failure(normalized, problem)

  const weights = normalized.length === 9 ? REGON9_WEIGHTS : REGON14_WEIGHTS
  const check = (weightedSum(normalized, weights) % 11) % 10
  if (check !== Number(normalized[weights.length])) {
    return failure(normalized, 'wrong check digit')
  }
  return success(normalized)
}

/** "PL" as IBAN digits: P = 25, L = 21. */
const PL_DIGITS = '2521'

/** Remainder of a decimal string of any length divided by 97. */
function mod97(digits: string): number {
  let remainder = 0
  for (const digit of digits) {
    remainder = (remainder * 10 + Number(digit)) % 97
  }
  return remainder
}

/** Polish account number (NRB), also accepted in IBAN form "PL" + 26 digits. */
export function checkNrb(value: string): IdentifierCheck {
  let normalized = normalizeIdentifier(value).toUpperCase()
  if (normalized.startsWith('PL')) normalized = normalized.slice(2)
  const problem = digitsProblem(normalized, [26])
  if (problem) return failure(normalized, problem)

  const rearranged = normalized.slice(2) + PL_DIGITS + normalized.slice(0, 2)
  if (mod97(rearranged) !== 1) return failure(normalized, 'wrong check digit')
  return success(normalized)
}

/** Check digits for a 24-digit BBAN (8-digit sort code + 16-digit account). */
export function nrbCheckDigits(bban24: string): string {
  if (!/^\d{24}$/.test(bban24)) {
    throw new RangeError(`Expected a 24-digit BBAN, got "${bban24}"`)
  }
  return pad2(98 - mod97(bban24 + PL_DIGITS + '00'))
}

/**
 * Builds a full NRB, e.g. an individual (virtual) account of a taxpayer from the
 * sort code the bank gave the office and a 16-digit account part.
 */
export function makeNrb(sortCode8: string, account16: string): string {
  if (!/^\d{8}$/.test(sortCode8)) {
    throw new RangeError(`Expected an 8-digit bank sort code, got "${sortCode8}"`)
  }
  if (!/^\d{16}$/.test(account16)) {
    throw new RangeError(`Expected a 16-digit account number, got "${account16}"`)
  }
  const bban = sortCode8 + account16
  return nrbCheckDigits(bban) + bban
}

/** Postal code NN-NNN; "00950" and "00 950" are accepted and normalized to "00-950". */
export function checkPostalCode(value: string): IdentifierCheck {
  const compact = normalizeIdentifier(value)
  if (compact === '') return failure(compact, 'empty')
  if (!/^\d{5}$/.test(compact) || !/^\s*\d{2}\s*[-\u2010-\u2015]?\s*\d{3}\s*$/.test(value)) {
    return failure(compact, 'wrong format')
  }
  return success(`${compact.slice(0, 2)}-${compact.slice(2)}`)
}

export function checkIdentifier(kind: IdentifierKind, value: string): PeselCheck {
  switch (kind) {
    case 'pesel':
      return checkPesel(value)
    case 'nip':
      return checkNip(value)
    case 'regon':
      return checkRegon(value)
    case 'nrb':
      return checkNrb(value)
  }
}

export function isIdentifierKind(value: unknown): value is IdentifierKind {
  return typeof value === 'string' && (IDENTIFIER_KINDS as readonly string[]).includes(value)
}

function pad2(value: number): string {
  return String(value).padStart(2, '0')
}
