/*
 * Data a payer needs for a bank transfer: the taxpayer's individual (virtual)
 * account number and the payment QR code of the Polish banking association
 * (ZBP recommendation), printed on decisions and shown in e-BOK.
 */
import QRCode from 'qrcode'
import { checkNip, checkNrb, makeNrb } from '#core/services/identifiers'

const MAX_TAXPAYER_ID = 9_999_999_999

/**
 * Individual account of a taxpayer: the office account's sort code, a 6-digit
 * prefix the bank assigned (by default the first 6 digits of the office
 * account's 16-digit part) and the taxpayer id padded to 10 digits, so every
 * transfer to it names its payer.
 */
export function virtualAccountNumber(
  officeAccountNrb: string,
  taxpayerId: number,
  prefix?: string
): string {
  const office = checkNrb(officeAccountNrb)
  if (!office.valid) {
    throw new RangeError(
      `Invalid office account number (NRB) "${officeAccountNrb}": ${office.reason}`
    )
  }
  if (!Number.isSafeInteger(taxpayerId) || taxpayerId < 1 || taxpayerId > MAX_TAXPAYER_ID) {
    throw new RangeError(
      `Taxpayer id must be a whole number from 1 to ${MAX_TAXPAYER_ID} (10 digits), got ${taxpayerId}`
    )
  }
  const sortCode = office.normalized.slice(2, 10)
  const accountPrefix = prefix ?? office.normalized.slice(10, 16)
  if (!/^\d{6}$/.test(accountPrefix)) {
    throw new RangeError(`Account prefix must be 6 digits, got "${accountPrefix}"`)
  }
  return makeNrb(sortCode, accountPrefix + String(taxpayerId).padStart(10, '0'))
}

export interface PaymentQrData {
  /** NIP of the recipient (the office), 10 digits; dashes are accepted. */
  recipientNip: string
  /** Account to pay to, NRB (26 digits, spaces or "PL" accepted). */
  account: string
  /** Integer grosze; 0 leaves the amount for the payer to type. */
  amountGr: number
  recipientName: string
  title: string
}

const NAME_LENGTH = 20
const TITLE_LENGTH = 32
/** The recommendation gives the amount 6 digits: at most 9 999,99 zł. */
const MAX_QR_AMOUNT_GR = 999_999

/** Removes what would break the field layout and cuts to the field's length. */
function qrField(value: string, length: number): string {
  const clean = value
    .replace(/[|\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  // Cut by code points so a character is never split in half.
  return Array.from(clean).slice(0, length).join('').trimEnd()
}

/**
 * Text of the ZBP transfer QR code:
 * NIP|PL|account|amount|name|title||| (the last three fields are reserved).
 */
export function paymentQrText(data: PaymentQrData): string {
  const nip = checkNip(data.recipientNip)
  if (!nip.valid) {
    throw new RangeError(`Invalid recipient NIP "${data.recipientNip}": ${nip.reason}`)
  }
  const account = checkNrb(data.account)
  if (!account.valid) {
    throw new RangeError(`Invalid account number (NRB) "${data.account}": ${account.reason}`)
  }
  if (!Number.isSafeInteger(data.amountGr) || data.amountGr < 0) {
    throw new RangeError(`Amount must be a non-negative integer in grosze, got ${data.amountGr}`)
  }
  /*
   * An amount that does not fit the 6-digit field is written as zeros: a bank
   * app then asks the payer to type it. A truncated or wrapped amount would
   * make the payer send the wrong sum without noticing.
   */
  const amount = data.amountGr > MAX_QR_AMOUNT_GR ? 0 : data.amountGr
  return [
    nip.normalized,
    'PL',
    account.normalized,
    String(amount).padStart(6, '0'),
    qrField(data.recipientName, NAME_LENGTH),
    qrField(data.title, TITLE_LENGTH),
    '',
    '',
    '',
  ].join('|')
}

const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const

/** PNG for PDFs (pdfkit's image()); 8 px per module prints sharp at 3–4 cm. */
export function paymentQrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...QR_OPTIONS, type: 'png', scale: 8 })
}

/**
 * SVG to put inline in a page: the library writes only rects and paths, and
 * the root gets role="img" and a Polish label for screen readers.
 */
export async function paymentQrSvg(text: string): Promise<string> {
  const cached = qrSvgCache.get(text)
  if (cached !== undefined) {
    /* Re-inserted so the entry is the most recently used one. */
    qrSvgCache.delete(text)
    qrSvgCache.set(text, cached)
    return cached
  }
  const raw = await QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' })
  const svg = raw
    .trim()
    .replace(/^<svg\b/, '<svg role="img" aria-label="Kod QR do przelewu" focusable="false"')
  qrSvgCache.set(text, svg)
  if (qrSvgCache.size > QR_SVG_CACHE_SIZE) qrSvgCache.delete(qrSvgCache.keys().next().value!)
  return svg
}

/*
 * Encoding a QR code (mask selection above all) costs milliseconds, and a
 * statement page is shown again and again with the same transfer text: the
 * latest SVGs are kept by text (a Map keeps insertion order, so the first key
 * is the least recently used). About 2 kB × 500 = 1 MB at most.
 */
const QR_SVG_CACHE_SIZE = 500
const qrSvgCache = new Map<string, string>()
