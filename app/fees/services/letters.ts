/*
 * What the module's official letters (decisions, reminders) share: who issues
 * them, how the addressee is printed, the payment block with the QR code and
 * where the generated files are kept.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, normalize, sep } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import ratuszConfig from '#config/ratusz'
import { formatNrb } from '#core/services/formatting'
import { formatMoney } from '#core/services/money'
import type { PdfDocument, LetterheadData } from '#core/services/pdf_document'
import { paymentQrPng, paymentQrText } from '#payments/services/transfer_data'
import type { TaxpayerRow } from '#fees/services/taxpayers'

/** The tax authority behind an office: "Urząd Gminy Testowa" → Wójt Gminy Testowa. */
export function taxAuthority(officeName: string): { nominative: string; genitive: string } {
  const rest = officeName.replace(/^Urząd\s+/i, '').trim()
  if (/^Miasta\b/i.test(rest) || /^Miejski\b/i.test(rest)) {
    const place = rest.replace(/^Miejski\s+w\s+/i, '')
    return { nominative: `Burmistrz ${place}`, genitive: `Burmistrza ${place}` }
  }
  const place = rest.replace(/^Gminy\s+/i, '')
  return { nominative: `Wójt Gminy ${place}`, genitive: `Wójta Gminy ${place}` }
}

/** Name and address lines of a taxpayer as printed in the addressee block. */
export function addressLines(taxpayer: TaxpayerRow): string[] {
  const lines = [taxpayer.name]
  if (taxpayer.street) lines.push(taxpayer.street)
  const town = [taxpayer.postalCode, taxpayer.city].filter(Boolean).join(' ')
  if (town) lines.push(town)
  return lines
}

/** One line for lists: "ul. Polna 3, 12-345 Testowo". */
export function addressLine(taxpayer: TaxpayerRow): string {
  return addressLines(taxpayer).slice(1).join(', ')
}

/**
 * The addressee of a letter. Members of a joint taxpayer are each named, since
 * each of them is liable for the whole (Tax Ordinance art. 91–92).
 */
export function printAddressee(pdf: PdfDocument, taxpayer: TaxpayerRow, members: TaxpayerRow[]) {
  if (taxpayer.kind === 'joint' && members.length > 0) {
    pdf.addressee(
      members.flatMap((member, index) => [
        ...(index > 0 ? [''] : []),
        ...addressLines(member.street ? member : { ...member, ...addressOnly(taxpayer) }),
      ])
    )
  } else {
    pdf.addressee(addressLines(taxpayer))
  }
}

function addressOnly(taxpayer: TaxpayerRow) {
  return { street: taxpayer.street, postalCode: taxpayer.postalCode, city: taxpayer.city }
}

export function jointLiabilitySentence(members: TaxpayerRow[], what: string): string {
  return (
    `Zobowiązanie dotyczy współwłasności. Współwłaściciele: ${members.map((m) => m.name).join(', ')} ` +
    `odpowiadają solidarnie całym swoim majątkiem za ${what} (art. 91 i art. 92 ustawy – ` +
    `Ordynacja podatkowa): zapłata całej kwoty przez jednego z nich zwalnia pozostałych.`
  )
}

/** Transfer details and the payment QR code for one amount. */
export async function printPaymentBlock(
  pdf: PdfDocument,
  office: LetterheadData,
  taxpayer: TaxpayerRow,
  payment: { amountGr: number; title: string; intro: string; qrCaption: string }
) {
  pdf.paragraph(payment.intro)
  pdf.table(
    [
      { header: 'Dane do przelewu', width: 1.3 },
      { header: '', width: 3 },
    ],
    [
      ['Odbiorca', `${office.name}, ${office.street}, ${office.postalCode} ${office.city}`],
      ['Numer rachunku', formatNrb(taxpayer.accountNumber)],
      ['Kwota', formatMoney(payment.amountGr)],
      ['Tytuł przelewu', payment.title],
    ]
  )
  const qr = await paymentQrPng(
    paymentQrText({
      recipientNip: office.nip,
      account: taxpayer.accountNumber,
      amountGr: payment.amountGr,
      recipientName: office.name,
      title: payment.title,
    })
  )
  pdf.image(qr, { width: 120, caption: payment.qrCaption })
}

/** Where the module keeps generated letters: outside the web root, under generated names. */
const DOCUMENTS_DIR = join('documents', 'fees')

/** Writes a letter to the data directory; returns its path relative to that directory. */
export async function storeDocument(folder: 'decisions' | 'reminders', pdf: Buffer) {
  const relative = join(DOCUMENTS_DIR, folder, `${randomBytes(12).toString('hex')}.pdf`)
  const absolute = join(ratuszConfig.dataDir, relative)
  await mkdir(dirname(absolute), { recursive: true })
  await writeFile(absolute, pdf, { mode: 0o640 })
  return relative
}

function absolutePath(relative: string): string | null {
  const clean = normalize(relative)
  if (!clean.startsWith(DOCUMENTS_DIR + sep) || clean.includes('..')) return null
  return join(ratuszConfig.dataDir, clean)
}

/** The stored letter, or null when it is missing (then it is generated again). */
export async function readDocument(relative: string | null): Promise<Buffer | null> {
  const path = relative ? absolutePath(relative) : null
  if (!path) return null
  try {
    return await readFile(path)
  } catch {
    return null
  }
}

export async function removeDocument(relative: string | null) {
  const path = relative ? absolutePath(relative) : null
  if (path) await rm(path, { force: true })
}

/**
 * A letter kept with its row: the stored file, or printed again when it is
 * missing or `regenerate` asks for it; the new file is stored, the row names
 * it, and only then the old file goes.
 */
export async function keptDocument(options: {
  folder: 'decisions' | 'reminders'
  table: string
  row: { id: number | string; pdf_path: string | null }
  regenerate?: boolean
  render: () => Promise<Buffer>
  /** Columns to update together with the path (e.g. updated_at). */
  touch?: Record<string, unknown>
}): Promise<Buffer> {
  const { row } = options
  if (!options.regenerate) {
    const stored = await readDocument(row.pdf_path)
    if (stored) return stored
  }
  const pdf = await options.render()
  const path = await storeDocument(options.folder, pdf)
  await db
    .from(options.table)
    .where('id', row.id)
    .update({ ...options.touch, pdf_path: path })
  await removeDocument(row.pdf_path)
  return pdf
}
