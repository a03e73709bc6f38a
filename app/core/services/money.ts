/*
 * Money is an integer number of grosze everywhere (`amountGr`); złoty appear
 * only when an amount is shown to a person or written to a file.
 */

export class MoneyFormatError extends Error {
  readonly code = 'E_INVALID_MONEY'
  readonly messageKey = 'errors.invalid_money'

  constructor(
    readonly value: string,
    detail: string
  ) {
    super(`Invalid money amount ${JSON.stringify(value)}: ${detail}`)
  }
}

function assertGrosze(amountGr: number): void {
  if (!Number.isSafeInteger(amountGr)) {
    throw new RangeError(`Expected an integer amount in grosze, got ${amountGr}`)
  }
}

function splitGrosze(amountGr: number): { sign: string; zloty: string; grosze: string } {
  assertGrosze(amountGr)
  const absolute = Math.abs(amountGr)
  return {
    sign: amountGr < 0 ? '-' : '',
    zloty: String(Math.floor(absolute / 100)),
    grosze: String(absolute % 100).padStart(2, '0'),
  }
}

/** "1 234,56 zł": Polish notation with plain spaces, for pages, letters and PDFs. */
export function formatMoney(amountGr: number): string {
  const { sign, zloty, grosze } = splitGrosze(amountGr)
  const grouped = zloty.replace(/\B(?=(\d{3})+$)/g, ' ')
  return `${sign}${grouped},${grosze} zł`
}

/** "1234.56": machine notation for JSON, CSV and bank files. */
export function formatAmount(amountGr: number): string {
  const { sign, zloty, grosze } = splitGrosze(amountGr)
  return `${sign}${zloty}.${grosze}`
}

const GROUP_SPACES = /[ \u00a0\u202f]/g

/**
 * Reads an amount typed by a person or found in a file: "1234.56", "1 234,56",
 * "1234,5", "12", optionally with a leading minus and a trailing "zł".
 * Returns grosze; anything ambiguous or with more than two decimals is refused.
 */
export function parseMoney(text: string): number {
  if (typeof text !== 'string') throw new MoneyFormatError(String(text), 'expected text')
  let body = text.trim().replace(/\s*(zł|zl|PLN)$/i, '')
  if (body === '') throw new MoneyFormatError(text, 'no digits')

  let negative = false
  if (/^[-\u2212]/.test(body)) {
    negative = true
    body = body.slice(1).trimStart()
  }

  const match = /^([\d \u00a0\u202f]+)(?:[.,](\d+))?$/.exec(body)
  if (!match) {
    throw new MoneyFormatError(text, 'expected digits with an optional decimal comma or dot')
  }
  const [, integerPart, fraction = ''] = match
  if (
    /[ \u00a0\u202f]/.test(integerPart) &&
    !/^\d{1,3}([ \u00a0\u202f]\d{3})*$/.test(integerPart)
  ) {
    throw new MoneyFormatError(text, 'digits must be grouped by three')
  }
  if (fraction.length > 2) {
    throw new MoneyFormatError(text, 'more than two decimal places')
  }

  const amount =
    BigInt(integerPart.replace(GROUP_SPACES, '')) * 100n + BigInt(fraction.padEnd(2, '0'))
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyFormatError(text, 'amount too large')
  const amountGr = Number(amount)
  return negative && amountGr !== 0 ? -amountGr : amountGr
}

/**
 * Rounds to full złoty as tax law requires (below 50 gr down, 50 gr and more up),
 * symmetrically for negative amounts. Returns grosze.
 */
export function roundToZloty(amountGr: number): number {
  assertGrosze(amountGr)
  const absolute = Math.abs(amountGr)
  const remainder = absolute % 100
  const rounded = absolute - remainder + (remainder >= 50 ? 100 : 0)
  return amountGr < 0 && rounded !== 0 ? -rounded : rounded
}

/**
 * Splits an amount in proportion to the weights by the largest remainder method,
 * so the parts always add up to the total (e.g. a partial payment shared between
 * arrears and interest, Tax Ordinance art. 55 §2). Ties go to the earlier weight.
 */
export function splitProportionally(totalGr: number, weights: number[]): number[] {
  assertGrosze(totalGr)
  if (weights.length === 0) throw new RangeError('Expected at least one weight')
  for (const weight of weights) {
    if (!Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`Expected non-negative finite weights, got ${weight}`)
    }
  }
  if (weights.every((weight) => weight === 0)) {
    throw new RangeError('Expected at least one positive weight')
  }

  const sign = totalGr < 0 ? -1 : 1
  const total = Math.abs(totalGr)
  const shares = weights.every(Number.isSafeInteger)
    ? exactShares(total, weights)
    : approximateShares(total, weights)

  let left = total - shares.reduce((sum, share) => sum + share.floor, 0)
  const order = shares
    .map((share, index) => ({ ...share, index }))
    .filter((share) => weights[share.index] > 0)
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index)
  const parts = shares.map((share) => share.floor)
  for (const share of order) {
    if (left === 0) break
    parts[share.index]++
    left--
  }
  return parts.map((part) => (part === 0 ? 0 : sign * part))
}

interface Share {
  floor: number
  /** Compared between shares only; its scale does not matter. */
  remainder: number
}

/** Integer weights (grosze, counts): exact arithmetic, no floating point error. */
function exactShares(total: number, weights: number[]): Share[] {
  const sum = weights.reduce((acc, weight) => acc + BigInt(weight), 0n)
  return weights.map((weight) => {
    const scaled = BigInt(total) * BigInt(weight)
    return {
      floor: Number(scaled / sum),
      remainder: Number(scaled % sum),
    }
  })
}

function approximateShares(total: number, weights: number[]): Share[] {
  const sum = weights.reduce((acc, weight) => acc + weight, 0)
  return weights.map((weight) => {
    const exact = (total * weight) / sum
    const floor = Math.min(Math.floor(exact), total)
    return { floor, remainder: exact - floor }
  })
}
