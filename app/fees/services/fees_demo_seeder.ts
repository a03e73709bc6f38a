import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { addDays, nextWorkingDay, todayInWarsaw } from '#core/services/calendar'
import { checkNip, checkPesel, checkRegon } from '#core/services/identifiers'
import auditLog, { SYSTEM_ACTOR } from '#core/services/audit_log'
import type { DemoContext } from '#core/services/demo_registry'
import { virtualAccountNumber } from '#payments/services/transfer_data'
import { findCategory, type TaxKind } from '#fees/services/tax_categories'
import {
  calculateAssessment,
  type TaxObjectInput,
  type TaxRateInput,
} from '#fees/services/assessment_calculation'
import { installmentSchedule, type ScheduleKind } from '#fees/services/installment_schedule'
import { createAssessment } from '#fees/services/assessments'
import { assessFee } from '#fees/services/other_fees'
import { fileWasteDeclaration } from '#fees/services/waste_fee'
import { bookings } from '#fees/services/bookings'
import { searchName, taxpayers, type TaxpayerKind } from '#fees/services/taxpayers'
import { FEMALE_NAMES, MALE_NAMES, SURNAMES, feminine } from '#core/services/polish_names'

/*
 * Demo figures for Gmina Przykładowa: rates of a typical rural resolution,
 * a few hundred taxpayers in the six demo villages, this year's decisions and
 * payments that leave most accounts settled, some partly paid and some in
 * arrears. Everything runs in the demo transaction, so only services that take
 * the caller's transaction are used.
 */

type RateTable = Record<string, { tax: TaxKind; rateE4: number }>

/* Rye price per quintal and wood price per m³ announced for the year (złoty × 10^4 per unit). */
function ratesFor(ryePriceE4: number, woodPriceE4: number, property: Record<string, number>) {
  const table: RateTable = {}
  for (const [category, rateE4] of Object.entries(property))
    table[category] = { tax: 'property', rateE4 }
  table.agri_arable = { tax: 'agricultural', rateE4: Math.round(ryePriceE4 * 2.5) }
  table.agri_other = { tax: 'agricultural', rateE4: Math.round(ryePriceE4 * 5) }
  table.forest = { tax: 'forest', rateE4: Math.round(woodPriceE4 * 0.22) }
  table.forest_protected = { tax: 'forest', rateE4: Math.round(woodPriceE4 * 0.11) }
  return table
}

const CURRENT_RATES = ratesFor(67_4200, 456_9200, {
  land_business: 1_3400,
  land_water: 6_1300,
  land_public_benefit: 2000,
  land_other: 7800,
  building_residential: 1_1500,
  building_business: 33_1000,
  building_health: 14_1000,
  building_other: 7_2000,
  structure: 200,
})

const PREVIOUS_RATES = ratesFor(58_5000, 465_0500, {
  land_business: 1_2900,
  land_water: 5_9000,
  land_public_benefit: 1800,
  land_other: 7300,
  building_residential: 1_0900,
  building_business: 31_8000,
  building_health: 13_5000,
  building_other: 6_8000,
  structure: 200,
})

const VILLAGES = [
  {
    city: 'Przykładowo',
    postalCode: '12-345',
    streets: ['ul. Lipowa', 'ul. Szkolna', 'ul. Polna'],
  },
  { city: 'Dębowa Wola', postalCode: '12-345', streets: [] },
  { city: 'Lipnik', postalCode: '12-346', streets: [] },
  { city: 'Stara Kuźnia', postalCode: '12-346', streets: [] },
  { city: 'Zagórze', postalCode: '12-347', streets: ['ul. Leśna', 'ul. Ogrodowa'] },
  { city: 'Brzozówka', postalCode: '12-347', streets: [] },
]

const BUSINESSES = [
  'Usługi Transportowe',
  'Sklep Spożywczy',
  'Zakład Stolarski',
  'Piekarnia',
  'Warsztat Samochodowy',
  'Tartak',
  'Gospodarstwo Ogrodnicze',
  'Agroturystyka',
  'Hurtownia Pasz',
  'Usługi Budowlane',
]

const DOG_FEE_GR = 10_000

/* A deterministic generator keeps the demo the same on every seed. */
function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0
    return state / 2 ** 32
  }
}

/* The last digit that the checksum accepts (checked by the same code that validates input). */
function withCheckDigit(body: string, check: (value: string) => { valid: boolean }): string | null {
  for (let digit = 0; digit <= 9; digit++) if (check(body + digit).valid) return body + digit
  return null
}

function pesel(serial: number, female: boolean, rnd: () => number): string {
  const year = 1940 + Math.floor(rnd() * 65)
  const month = 1 + Math.floor(rnd() * 12)
  const day = 1 + Math.floor(rnd() * 28)
  const encodedMonth = month + (year >= 2000 ? 20 : 0)
  const sexDigit = (Math.floor(rnd() * 5) * 2 + (female ? 0 : 1)) % 10
  const body =
    String(year % 100).padStart(2, '0') +
    String(encodedMonth).padStart(2, '0') +
    String(day).padStart(2, '0') +
    String(serial % 1000).padStart(3, '0') +
    sexDigit
  return withCheckDigit(body, checkPesel)!
}

function nip(serial: number): string {
  for (let bump = 0; ; bump++) {
    const result = withCheckDigit(
      `${739 + (bump % 10)}${String(serial).padStart(6, '0')}`,
      checkNip
    )
    if (result) return result
  }
}

function regon(serial: number): string {
  return withCheckDigit(`36${String(serial).padStart(6, '0')}`, checkRegon)!
}

interface DemoObject {
  category: string
  description: string
  location: string
  baseE4: number
  physicalAreaE4?: number
  landClass?: string
}

interface DemoTaxpayer {
  kind: TaxpayerKind
  name: string
  pesel?: string
  nip?: string
  regon?: string
  street: string
  postalCode: string
  city: string
  email?: string
  phone?: string
  objects: DemoObject[]
  dogs: number
  /* on-time | advance | partly | arrears */
  profile: 'on-time' | 'advance' | 'partly' | 'arrears'
  members?: number[]
  id?: number
}

function plot(rnd: () => number, village: string) {
  return `dz. nr ${1 + Math.floor(rnd() * 400)}/${1 + Math.floor(rnd() * 9)}, obręb ${village}`
}

function householdObjects(rnd: () => number, village: string, address: string): DemoObject[] {
  const objects: DemoObject[] = [
    {
      category: 'land_other',
      description: 'Działka zabudowana budynkiem mieszkalnym',
      location: plot(rnd, village),
      baseE4: (600 + Math.floor(rnd() * 2400)) * 10_000,
    },
    {
      category: 'building_residential',
      description: 'Dom jednorodzinny',
      location: address,
      baseE4: (70 + Math.floor(rnd() * 120)) * 10_000 + Math.floor(rnd() * 100) * 100,
    },
  ]
  if (rnd() < 0.4)
    objects.push({
      category: 'building_other',
      description: 'Budynek gospodarczy (garaż)',
      location: address,
      baseE4: (18 + Math.floor(rnd() * 40)) * 10_000,
    })
  if (rnd() < 0.35) {
    const physical = (1 + Math.floor(rnd() * 14)) * 10_000 + Math.floor(rnd() * 100) * 100
    objects.push({
      category: 'agri_arable',
      description: 'Grunty orne',
      location: plot(rnd, village),
      /* Class IV soil in the fourth tax district: about 0.8 conversion ha per physical ha. */
      baseE4: Math.round(physical * 0.8),
      physicalAreaE4: physical,
      landClass: 'RIVa',
    })
  }
  if (rnd() < 0.15)
    objects.push({
      category: 'forest',
      description: 'Las',
      location: plot(rnd, village),
      baseE4: (5_000 + Math.floor(rnd() * 40_000)) as number,
    })
  return objects
}

function businessObjects(rnd: () => number, village: string, address: string): DemoObject[] {
  const objects: DemoObject[] = [
    {
      category: 'land_business',
      description: 'Grunt pod działalnością gospodarczą',
      location: plot(rnd, village),
      baseE4: (400 + Math.floor(rnd() * 4600)) * 10_000,
    },
    {
      category: 'building_business',
      description: 'Budynek usługowy',
      location: address,
      baseE4: (80 + Math.floor(rnd() * 1200)) * 10_000 + Math.floor(rnd() * 100) * 100,
    },
  ]
  if (rnd() < 0.5)
    objects.push({
      category: 'structure',
      description: 'Plac manewrowy utwardzony',
      location: address,
      baseE4: (40_000 + Math.floor(rnd() * 600_000)) * 10_000,
    })
  return objects
}

/* Seven in ten pay on time, one pays the year ahead, one part of it, one is in arrears. */
function profileOf(index: number): DemoTaxpayer['profile'] {
  const slot = index % 10
  if (slot < 7) return 'on-time'
  if (slot === 7) return 'advance'
  if (slot === 8) return 'partly'
  return 'arrears'
}

function makeTaxpayers(count: number, offset: number): DemoTaxpayer[] {
  const rnd = random(20_261_124)
  const people: DemoTaxpayer[] = []
  let serial = 1
  for (let index = 0; index < count; index++) {
    const village = VILLAGES[index % VILLAGES.length]
    const house = 1 + Math.floor(rnd() * 120)
    const street = village.streets.length
      ? `${village.streets[index % village.streets.length]} ${house}`
      : `${village.city} ${house}`
    const address = `${street}, ${village.postalCode} ${village.city}`
    const base = { street, postalCode: village.postalCode, city: village.city }
    if (index % 7 === 3) {
      const trade = BUSINESSES[index % BUSINESSES.length]
      const owner = SURNAMES[(index * 5) % SURNAMES.length]
      const number = serial++
      people.push({
        ...base,
        kind: 'business',
        name: `${trade} ${owner} sp. z o.o.`,
        nip: nip(number),
        regon: regon(number),
        email: `biuro${index}@firma.przykladowa.localhost`,
        objects: businessObjects(rnd, village.city, address),
        dogs: 0,
        profile: profileOf(index),
      })
      continue
    }
    const surname = SURNAMES[(index * 7 + Math.floor(index / 9)) % SURNAMES.length]
    const female = index % 2 === 1
    const first = female
      ? FEMALE_NAMES[index % FEMALE_NAMES.length]
      : MALE_NAMES[index % MALE_NAMES.length]
    const own: DemoTaxpayer = {
      ...base,
      kind: 'individual',
      name: `${female ? feminine(surname) : surname} ${first}`,
      pesel: pesel(serial++, female, rnd),
      phone: index % 3 === 0 ? `+48 600 ${String(100_000 + index).slice(-6)}` : undefined,
      objects: householdObjects(rnd, village.city, address),
      dogs: rnd() < 0.3 ? 1 + Math.floor(rnd() * 2) : 0,
      profile: profileOf(index),
    }
    if (index % 11 === 5) {
      /* Spouses own the house jointly; each is also a taxpayer in the register. */
      const spouseFirst = female
        ? MALE_NAMES[(index + 3) % MALE_NAMES.length]
        : FEMALE_NAMES[(index + 3) % FEMALE_NAMES.length]
      const spouse: DemoTaxpayer = {
        ...base,
        kind: 'individual',
        name: `${female ? surname : feminine(surname)} ${spouseFirst}`,
        pesel: pesel(serial++, !female, rnd),
        objects: [],
        dogs: 0,
        profile: own.profile,
      }
      const jointObjects = own.objects
      own.objects = []
      people.push(own, spouse, {
        ...base,
        kind: 'joint',
        name: `${own.name} i ${spouse.name}`,
        objects: jointObjects,
        dogs: 0,
        profile: own.profile,
        members: [offset + people.length, offset + people.length + 1],
      })
      continue
    }
    people.push(own)
  }
  return people
}

/* The demo resident (Jan Nowak) pays late: last year's tax is partly unpaid, this year's too. */
function demoResidentTaxpayers(): DemoTaxpayer[] {
  const base = { street: 'ul. Lipowa 7', postalCode: '12-345', city: 'Przykładowo' }
  const address = 'ul. Lipowa 7, 12-345 Przykładowo'
  const jan: DemoTaxpayer = {
    ...base,
    kind: 'individual',
    name: 'Nowak Jan',
    pesel: withCheckDigit('8005120721', checkPesel)!,
    email: 'mieszkaniec@przykladowa.localhost',
    objects: [
      {
        category: 'agri_arable',
        description: 'Grunty orne',
        location: 'dz. nr 112/3, obręb Przykładowo',
        baseE4: 6_4200,
        physicalAreaE4: 8_0250,
        landClass: 'RIVa',
      },
      {
        category: 'forest',
        description: 'Las',
        location: 'dz. nr 240, obręb Lipnik',
        baseE4: 1_2500,
      },
    ],
    dogs: 1,
    profile: 'arrears',
  }
  const anna: DemoTaxpayer = {
    ...base,
    kind: 'individual',
    name: 'Nowak Anna',
    pesel: withCheckDigit('8211030986', checkPesel)!,
    objects: [],
    dogs: 0,
    profile: 'arrears',
  }
  const joint: DemoTaxpayer = {
    ...base,
    kind: 'joint',
    name: 'Nowak Jan i Nowak Anna',
    objects: [
      {
        category: 'land_other',
        description: 'Działka zabudowana budynkiem mieszkalnym',
        location: 'dz. nr 87/2, obręb Przykładowo',
        baseE4: 1_240_0000,
      },
      {
        category: 'building_residential',
        description: 'Dom jednorodzinny',
        location: address,
        baseE4: 146_5000,
      },
      {
        category: 'building_other',
        description: 'Garaż wolnostojący',
        location: address,
        baseE4: 24_0000,
      },
    ],
    dogs: 0,
    profile: 'partly',
    members: [0, 1],
  }
  return [jan, anna, joint]
}

async function insertTaxpayers(
  trx: TransactionClientContract,
  people: DemoTaxpayer[],
  bankAccount: string
) {
  const now = new Date()
  for (const [index, person] of people.entries()) {
    const [inserted] = await trx
      .table('fees_taxpayers')
      .insert({
        kind: person.kind,
        name: person.name,
        search_name: searchName(person.name),
        pesel: person.pesel ?? null,
        nip: person.nip ?? null,
        regon: person.regon ?? null,
        street: person.street,
        postal_code: person.postalCode,
        city: person.city,
        email: person.email ?? null,
        phone: person.phone ?? null,
        account_number: `demo${index}`,
        external_id: `DEMO-${String(index + 1).padStart(5, '0')}`,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
    person.id = Number(typeof inserted === 'object' ? inserted.id : inserted)
    await trx
      .from('fees_taxpayers')
      .where('id', person.id)
      .update({ account_number: virtualAccountNumber(bankAccount, person.id) })
  }
  const members = people.flatMap((person) =>
    (person.members ?? []).map((memberIndex) => ({
      joint_id: person.id,
      member_id: people[memberIndex].id,
    }))
  )
  if (members.length) await trx.table('fees_taxpayer_members').multiInsert(members)
}

async function insertObjects(
  trx: TransactionClientContract,
  people: DemoTaxpayer[],
  validFrom: string
): Promise<Map<number, TaxObjectInput[]>> {
  const now = new Date()
  const rows = people.flatMap((person) =>
    person.objects.map((object) => ({
      taxpayer_id: person.id,
      tax: findCategory(object.category)!.tax,
      category: object.category,
      description: object.description,
      location: object.location,
      base_e4: object.baseE4,
      physical_area_e4: object.physicalAreaE4 ?? null,
      land_class: object.landClass ?? null,
      valid_from: validFrom,
      valid_to: null,
      created_at: now,
      updated_at: now,
    }))
  )
  for (let start = 0; start < rows.length; start += 200)
    await trx.table('fees_tax_objects').multiInsert(rows.slice(start, start + 200))
  const byTaxpayer = new Map<number, TaxObjectInput[]>()
  const stored = await trx.from('fees_tax_objects').orderBy('id')
  for (const row of stored) {
    const list = byTaxpayer.get(Number(row.taxpayer_id)) ?? []
    list.push({
      id: Number(row.id),
      tax: row.tax,
      category: row.category,
      description: row.description,
      location: row.location,
      baseE4: Number(row.base_e4),
      validFrom: row.valid_from,
      validTo: row.valid_to,
    })
    byTaxpayer.set(Number(row.taxpayer_id), list)
  }
  return byTaxpayer
}

function rateInputs(table: RateTable): TaxRateInput[] {
  return Object.entries(table).map(([category, rate]) => ({
    tax: rate.tax,
    category,
    unit: findCategory(category)!.unit,
    rateE4: rate.rateE4,
  }))
}

interface Issued {
  assessmentId: number
  installments: { due: string; amountGr: number }[]
}

async function issueDecision(
  trx: TransactionClientContract,
  person: DemoTaxpayer,
  objects: TaxObjectInput[],
  year: number,
  rates: TaxRateInput[]
): Promise<Issued | null> {
  const calculation = calculateAssessment({ year, objects, rates })
  if (calculation.lines.length === 0 || calculation.totalGr === 0) return null
  const kind: ScheduleKind =
    person.kind === 'business' ? 'legal-person-monthly' : 'property-individual'
  const issuedOn = nextWorkingDay(`${year}-02-09`)
  const deliveredOn = nextWorkingDay(`${year}-02-20`)
  const installments = installmentSchedule({
    kind,
    year,
    totalGr: calculation.totalGr,
    delivered: kind === 'property-individual' ? deliveredOn : null,
  }).map((installment) => ({ ...installment, existsFrom: issuedOn }))
  const assessmentId = await createAssessment(trx, {
    taxpayerId: person.id!,
    kind,
    year,
    title:
      kind === 'legal-person-monthly'
        ? `Podatek od nieruchomości na rok ${year}`
        : `Łączne zobowiązanie pieniężne na rok ${year}`,
    totalGr: calculation.totalGr,
    lines: calculation.lines,
    installments,
    issuedOn,
    deliveredOn,
  })
  return { assessmentId, installments }
}

/** Reads back what a service created, for the demo's payment habits. */
async function issuedFrom(trx: TransactionClientContract, assessmentId: number): Promise<Issued> {
  const rows = await trx
    .from('fees_installments')
    .where('assessment_id', assessmentId)
    .orderBy('number')
    .select('due', 'amount_gr')
  return {
    assessmentId,
    installments: rows.map((row) => ({ due: row.due, amountGr: Number(row.amount_gr) })),
  }
}

async function issueDogFee(
  trx: TransactionClientContract,
  person: DemoTaxpayer,
  feeTypeId: number,
  year: number
): Promise<Issued> {
  const { assessmentId } = await assessFee(
    { taxpayerId: person.id!, feeTypeId, year, units: person.dogs, issuedOn: `${year}-01-02` },
    trx
  )
  return issuedFrom(trx, assessmentId)
}

/** The owner's waste-fee declaration for the household, filed before the year began. */
async function fileWasteFee(
  trx: TransactionClientContract,
  person: DemoTaxpayer,
  year: number,
  rnd: () => number
): Promise<Issued> {
  const { assessmentIds } = await fileWasteDeclaration(
    {
      taxpayerId: person.id!,
      propertyAddress: `${person.street}, ${person.postalCode} ${person.city}`,
      effectiveMonth: `${year}-01`,
      residents: 1 + Math.floor(rnd() * 5),
      composting: rnd() < 0.4,
      sorting: rnd() > 0.03,
      filedOn: `${year - 1}-12-10`,
    },
    trx
  )
  return issuedFrom(trx, assessmentIds[assessmentIds.length - 1])
}

/** Payments for one liability as its payer's habits would make them, up to today. */
function paymentsFor(
  profile: DemoTaxpayer['profile'],
  issued: Issued,
  today: string,
  pastYear: boolean
): { paidOn: string; amountGr: number }[] {
  const due = issued.installments.filter((installment) => installment.due <= today)
  if (due.length === 0) return []
  const total = issued.installments.reduce((sum, installment) => sum + installment.amountGr, 0)
  switch (profile) {
    case 'on-time':
      return due.map((installment) => ({
        paidOn: addDays(installment.due, -2),
        amountGr: installment.amountGr,
      }))
    case 'advance':
      /* a round sum, so a small overpayment stays on the account */
      return [{ paidOn: addDays(due[0].due, -10), amountGr: Math.ceil(total / 5000) * 5000 }]
    case 'partly': {
      if (pastYear) return [{ paidOn: addDays(due[0].due, 40), amountGr: total }]
      const payments = due
        .slice(0, -1)
        .map((installment) => ({ paidOn: installment.due, amountGr: installment.amountGr }))
      const last = due[due.length - 1]
      if (last.amountGr >= 200)
        payments.push({ paidOn: last.due, amountGr: Math.floor(last.amountGr / 2) })
      return payments
    }
    case 'arrears': {
      /* Last year: all but the final installment paid late; this year: only the first, late. */
      const paid = pastYear ? due.slice(0, -1) : due.slice(0, 1)
      return paid.map((installment) => ({
        paidOn: addDays(installment.due, 25),
        amountGr: installment.amountGr,
      }))
    }
  }
}

export async function seedFeesDemo({ trx, scale, logins }: DemoContext) {
  const today = todayInWarsaw()
  const year = Number(today.slice(0, 4))
  const previousYear = year - 1
  const now = new Date()
  const resolution = (y: number) =>
    `Uchwała nr XV/${y - 1900}/${y - 1} Rady Gminy Przykładowa z dnia 27 listopada ${y - 1} r.`

  const currentRates = rateInputs(CURRENT_RATES)
  const previousRates = rateInputs(PREVIOUS_RATES)
  await trx.table('fees_tax_rates').multiInsert(
    [
      ...previousRates.map((rate) => ({ ...rate, year: previousYear })),
      ...currentRates.map((rate) => ({ ...rate, year })),
    ].map((rate) => ({
      year: rate.year,
      tax: rate.tax,
      category: rate.category,
      label: findCategory(rate.category)!.label,
      unit: rate.unit,
      rate_e4: rate.rateE4,
      resolution: resolution(rate.year),
      created_at: now,
      updated_at: now,
    }))
  )
  await trx.table('fees_waste_rates').multiInsert(
    [
      { validFrom: `${previousYear}-01-01`, rateE2: 32_00_00, discountE2: 3_00_00 },
      { validFrom: `${year}-01-01`, rateE2: 35_00_00, discountE2: 3_00_00 },
    ].map((rate) => ({
      valid_from: rate.validFrom,
      method: 'residents',
      rate_e2: rate.rateE2,
      composting_discount_e2: rate.discountE2,
      non_sorting_multiplier_pct: 300,
      schedule: 'quarterly:15',
      resolution: `Uchwała w sprawie opłaty za gospodarowanie odpadami (${rate.validFrom.slice(0, 4)})`,
      created_at: now,
      updated_at: now,
    }))
  )
  const [feeInserted] = await trx
    .table('fees_fee_types')
    .insert({
      code: 'psy',
      name: 'Opłata od posiadania psów',
      amount_rule: 'per_unit',
      amount_gr: DOG_FEE_GR,
      unit_label: 'pies',
      schedule: 'once:03-31',
      rounding: 'none',
      is_active: true,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
  const dogFeeId = Number(typeof feeInserted === 'object' ? feeInserted.id : feeInserted)

  const office = await trx.from('office_profiles').orderBy('id').first()
  const resident = demoResidentTaxpayers()
  const people = [...resident, ...makeTaxpayers(300 * scale, resident.length)]
  await insertTaxpayers(trx, people, office.bank_account)
  const objects = await insertObjects(trx, people, `${previousYear - 6}-05-01`)

  let decisions = 0
  let payments = 0
  const wasteRnd = random(2026)
  for (const person of people) {
    const own = objects.get(person.id!) ?? []
    const liabilities: { issued: Issued; pastYear: boolean }[] = []
    /* Last year's decisions for a third of the register keep the bench of old arrears small. */
    if (person.profile === 'arrears' || person.id! % 3 === 0) {
      const issued = await issueDecision(trx, person, own, previousYear, previousRates)
      if (issued) liabilities.push({ issued, pastYear: true })
    }
    const current = await issueDecision(trx, person, own, year, currentRates)
    if (current) {
      liabilities.push({ issued: current, pastYear: false })
      await taxpayers.issueAccessCode(person.id!, trx)
    }
    if (person.dogs > 0)
      liabilities.push({
        issued: await issueDogFee(trx, person, dogFeeId, year),
        pastYear: false,
      })
    if (person.kind !== 'business')
      liabilities.push({ issued: await fileWasteFee(trx, person, year, wasteRnd), pastYear: false })
    decisions += liabilities.length
    for (const { issued, pastYear } of liabilities) {
      for (const [index, payment] of paymentsFor(
        person.profile,
        issued,
        today,
        pastYear
      ).entries()) {
        if (payment.paidOn > today) continue
        await bookings.bookPayment(
          {
            taxpayerId: person.id!,
            amountGr: payment.amountGr,
            paidOn: payment.paidOn,
            source: 'bank',
            title: 'Podatek i opłaty lokalne',
            namedAssessmentId: issued.assessmentId,
            idempotencyKey: `demo:${issued.assessmentId}:${index}`,
          },
          trx
        )
        payments++
      }
    }
  }

  const demoResident = await trx
    .from('residents')
    .where('email', 'mieszkaniec@przykladowa.localhost')
    .first()
  if (demoResident) {
    await trx.table('fees_taxpayer_links').insert({
      taxpayer_id: people[0].id,
      resident_id: demoResident.id,
      method: 'clerk',
      linked_by_staff_id: null,
      created_at: now,
    })
    const entry = logins.find((login) => login.login === demoResident.email)
    if (entry)
      entry.note = [entry.note, 'Moje podatki: Nowak Jan (zaległości) i współwłasność z żoną']
        .filter(Boolean)
        .join('; ')
  }

  await auditLog.record(
    {
      actor: SYSTEM_ACTOR,
      action: 'demo.seeded',
      details: { module: 'fees', taxpayers: people.length, decisions, payments },
    },
    trx
  )
}
