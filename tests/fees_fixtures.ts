/*
 * Shared fixtures for the fees tests: the council's rates for a year, taxpayers
 * with objects and an issued decision. Add functions here; do not change what an
 * existing one creates, other tests rely on it.
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { promisify } from 'node:util'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import ratuszConfig from '#config/ratusz'
import { issueTaxDecision } from '#fees/services/assessments'
import { bookings } from '#fees/services/bookings'
import { taxpayers, type TaxpayerData, type TaxpayerRow } from '#fees/services/taxpayers'
import { makeStaff } from '#tests/helpers'

/** Rates of a council resolution (zł per unit × 10^4; structures: fraction × 10^4). */
export const SAMPLE_RATES = [
  { tax: 'property', category: 'land_other', unit: 'm2', rateE4: 6_100, label: 'Grunty pozostałe' },
  {
    tax: 'property',
    category: 'building_residential',
    unit: 'm2',
    rateE4: 11_500,
    label: 'Budynki mieszkalne',
  },
  {
    tax: 'property',
    category: 'building_other',
    unit: 'm2',
    rateE4: 89_400,
    label: 'Budynki pozostałe',
  },
  {
    tax: 'agricultural',
    category: 'agri_arable',
    unit: 'ha_conv',
    rateE4: 2_162_500,
    label: 'Grunty gospodarstwa rolnego',
  },
  { tax: 'forest', category: 'forest', unit: 'ha', rateE4: 465_000, label: 'Lasy' },
] as const

export async function seedTaxRates(year: number) {
  const now = new Date()
  for (const rate of SAMPLE_RATES) {
    const exists = await db
      .from('fees_tax_rates')
      .where({ year, tax: rate.tax, category: rate.category })
      .first()
    if (exists) continue
    await db.table('fees_tax_rates').insert({
      year,
      tax: rate.tax,
      category: rate.category,
      label: rate.label,
      unit: rate.unit,
      rate_e4: rate.rateE4,
      resolution: `Uchwała nr XII/85/${year - 1} z dnia 20 listopada ${year - 1} r.`,
      created_at: now,
      updated_at: now,
    })
  }
}

export interface SampleObject {
  tax: 'property' | 'agricultural' | 'forest'
  category: string
  description: string
  location?: string | null
  baseE4: number
  validFrom?: string
}

export async function addTaxObject(taxpayerId: number, object: SampleObject) {
  const now = new Date()
  await db.table('fees_tax_objects').insert({
    taxpayer_id: taxpayerId,
    tax: object.tax,
    category: object.category,
    description: object.description,
    location: object.location ?? null,
    base_e4: object.baseE4,
    physical_area_e4: null,
    land_class: null,
    valid_from: object.validFrom ?? '2000-01-01',
    valid_to: null,
    created_at: now,
    updated_at: now,
  })
}

/** A house with its plot, a garage, arable land and a wood: every line of a combined liability. */
export const SAMPLE_OBJECTS: SampleObject[] = [
  {
    tax: 'property',
    category: 'land_other',
    description: 'Działka zabudowana nr 123/4',
    location: 'obręb Źródła',
    baseE4: 1_250_0000,
  },
  {
    tax: 'property',
    category: 'building_residential',
    description: 'Dom mieszkalny',
    location: 'ul. Źródlana 7',
    baseE4: 142_5000,
  },
  {
    tax: 'property',
    category: 'building_other',
    description: 'Garaż wolnostojący',
    baseE4: 24_0000,
  },
  {
    tax: 'agricultural',
    category: 'agri_arable',
    description: 'Grunty orne, kl. IVa',
    location: 'obręb Łąki',
    baseE4: 3_4567,
  },
  { tax: 'forest', category: 'forest', description: 'Las sosnowy', baseE4: 1_2000 },
]

export interface TaxpayerWithDecision {
  taxpayer: TaxpayerRow
  assessmentId: number
  accessCode: string
}

/**
 * A taxpayer holding SAMPLE_OBJECTS with the year's decision issued on
 * `issuedOn` (needs withOffice() first: the account number comes from the office).
 */
export async function taxpayerWithDecision(
  options: {
    year?: number
    issuedOn?: string
    data?: Partial<TaxpayerData>
    objects?: SampleObject[]
    staffId?: number | null
  } = {}
): Promise<TaxpayerWithDecision> {
  const year = options.year ?? 2026
  await seedTaxRates(year)
  const taxpayer = await taxpayers.create({
    kind: 'individual',
    name: 'Źródlana-Wężyk Zofia',
    pesel: '44051401359',
    street: 'ul. Źródlana 7',
    postalCode: '12-345',
    city: 'Testowo',
    email: 'zofia.wezyk@example.pl',
    ...options.data,
  })
  for (const object of options.objects ?? SAMPLE_OBJECTS) await addTaxObject(taxpayer.id, object)
  const { assessmentId, accessCode } = await issueTaxDecision({
    taxpayerId: taxpayer.id,
    year,
    issuedOn: options.issuedOn ?? `${year}-02-20`,
    staffId: options.staffId ?? null,
  })
  return { taxpayer, assessmentId, accessCode }
}

/**
 * Spouses owning a house together: two individual taxpayers and the joint
 * taxpayer whose decision names both.
 */
export async function jointTaxpayerWithDecision(
  options: { year?: number; issuedOn?: string } = {}
) {
  const year = options.year ?? 2026
  const wife = await taxpayers.create({
    kind: 'individual',
    name: 'Gęślarz Małgorzata',
    pesel: '02270803628',
    street: 'ul. Łąkowa 12',
    postalCode: '12-345',
    city: 'Testowo',
  })
  const husband = await taxpayers.create({
    kind: 'individual',
    name: 'Gęślarz Bożydar',
    street: 'ul. Łąkowa 12',
    postalCode: '12-345',
    city: 'Testowo',
  })
  const joint = await taxpayerWithDecision({
    year,
    issuedOn: options.issuedOn,
    data: {
      kind: 'joint',
      name: 'Gęślarz Małgorzata i Bożydar',
      pesel: null,
      street: 'ul. Łąkowa 12',
      email: null,
      memberIds: [wife.id, husband.id],
    },
    objects: SAMPLE_OBJECTS.slice(0, 2),
  })
  return { ...joint, members: [wife, husband] }
}

const run = promisify(execFile)

/** The text of a PDF as pdftotext reads it (layout kept, so a table row stays on one line). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ratusz-pdf-'))
  try {
    await writeFile(join(dir, 'letter.pdf'), pdf)
    const { stdout } = await run('pdftotext', [
      '-layout',
      '-enc',
      'UTF-8',
      join(dir, 'letter.pdf'),
      '-',
    ])
    return stdout.replace(/\u00a0/g, ' ')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Paragraphs wrap: compare sentences with the line breaks taken out. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ')
}

/** Pages 1–2 as PNG for a person to look at (next to the data directory), when LETTER_PNG=1. */
export async function letterPng(pdf: Buffer, name: string) {
  if (!process.env.LETTER_PNG) return
  const dir = join(ratuszConfig.dataDir, '..', 'letters')
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, `${name}.pdf`), pdf)
  await run('pdftoppm', [
    '-png',
    '-r',
    '70',
    '-f',
    '1',
    '-l',
    '2',
    join(dir, `${name}.pdf`),
    join(dir, name),
  ])
}

let paymentCounter = 0

/** Books a payment through the bookings service, as the payments module does; a fresh idempotency key unless given. */
export async function payFor(
  taxpayerId: number,
  amountGr: number,
  paidOn: string,
  options: { title?: string; key?: string; namedAssessmentId?: number } = {}
) {
  return bookings.bookPayment({
    taxpayerId,
    amountGr,
    paidOn,
    source: 'bank',
    title: options.title ?? null,
    namedAssessmentId: options.namedAssessmentId ?? null,
    idempotencyKey: options.key ?? `fixture-${process.pid}-${++paymentCounter}`,
  })
}

/** A decision's installments as [number, due, amount in grosze], in number order. */
export async function installmentsOf(assessmentId: number): Promise<[number, string, number][]> {
  const rows = await db
    .from('fees_installments')
    .where('assessment_id', assessmentId)
    .orderBy('number')
  return rows.map((row) => [Number(row.number), row.due, Number(row.amount_gr)])
}

/** A waste-fee rate: 31,00 zł per resident and month from 2026-01-01, 2,00 zł off with a composter, ×3 unsorted, by the 15th. */
export async function addWasteRate(
  overrides: Partial<{
    valid_from: string
    method: string
    rate_e2: number
    composting_discount_e2: number
    non_sorting_multiplier_pct: number
    schedule: string
  }> = {}
): Promise<number> {
  const now = new Date()
  const [row] = await db
    .table('fees_waste_rates')
    .insert({
      valid_from: '2026-01-01',
      method: 'residents',
      rate_e2: 310_000,
      composting_discount_e2: 20_000,
      non_sorting_multiplier_pct: 300,
      schedule: 'monthly:15',
      resolution: 'Uchwała nr XL/300/2025',
      created_at: now,
      updated_at: now,
      ...overrides,
    })
    .returning('id')
  return Number(typeof row === 'object' ? row.id : row)
}

/** A fee type: the dog fee, 45,50 zł per dog, once by 31 March, not rounded. */
export async function addFeeType(
  overrides: Partial<{
    code: string
    name: string
    amount_rule: string
    amount_gr: number
    unit_label: string | null
    schedule: string
    rounding: string
    is_active: boolean
  }> = {}
): Promise<number> {
  const now = new Date()
  const [row] = await db
    .table('fees_fee_types')
    .insert({
      code: 'psy-test',
      name: 'Opłata od posiadania psów',
      amount_rule: 'per_unit',
      amount_gr: 4_550,
      unit_label: 'pies',
      schedule: 'once:03-31',
      rounding: 'none',
      is_active: true,
      created_at: now,
      updated_at: now,
      ...overrides,
    })
    .returning('id')
  return Number(typeof row === 'object' ? row.id : row)
}

/** Deletes a committed taxpayer with everything hanging on it (browser tests commit their rows). */
export async function removeFeesTaxpayer(taxpayerId: number) {
  const assessments = db.from('fees_assessments').where('taxpayer_id', taxpayerId).select('id')
  await db.from('fees_reminders').where('taxpayer_id', taxpayerId).delete()
  await db.from('fees_taxpayer_links').where('taxpayer_id', taxpayerId).delete()
  await db.from('fees_payments').where('taxpayer_id', taxpayerId).delete()
  await db.from('fees_ledger_entries').where('taxpayer_id', taxpayerId).delete()
  await db.from('fees_installments').whereIn('assessment_id', assessments).delete()
  await db.from('fees_assessment_lines').whereIn('assessment_id', assessments).delete()
  await db.from('fees_assessments').where('taxpayer_id', taxpayerId).delete()
  await db.from('fees_tax_objects').where('taxpayer_id', taxpayerId).delete()
  await db.from('fees_taxpayers').where('id', taxpayerId).delete()
}

/**
 * A staff panel form sent as the browser sends it: signed in, with the CSRF token, redirect not
 * followed. With `referer`, a failed validation redirects back there with the input errors.
 */
export function staffPost(
  client: ApiClient,
  user: { id: number },
  url: string,
  form: Record<string, unknown>,
  referer?: string
) {
  const request = client.post(url)
  if (referer) request.header('referer', referer)
  return request.signedIn('staff', user).form(form).withCsrfToken().redirects(0)
}

/** The validation errors a redirected form post flashed, by field. */
export function inputErrors(response: { flashMessages(): Record<string, any> }) {
  return (response.flashMessages().inputErrorsBag ?? {}) as Record<string, string[]>
}

/** A clerk of the finance unit (FN), the one that keeps the tax accounts. */
export async function financeClerk(login = 'ksiegowa') {
  const user = await makeStaff(login, ['clerk'])
  user.unit = 'FN'
  await user.save()
  return user
}
