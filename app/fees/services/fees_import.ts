import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { parseIsoDate } from '#core/services/calendar'
import { checkNip, checkPesel, checkPostalCode, checkRegon } from '#core/services/identifiers'
import { parseMoney, MoneyFormatError } from '#core/services/money'
import officeProfileService from '#core/services/office_profile_service'
import { findCategory, type TaxKind } from '#fees/services/tax_categories'
import { parseScaled } from '#fees/services/assessment_calculation'
import { taxpayers, type TaxpayerData, type TaxpayerKind } from '#fees/services/taxpayers'
import { taxObjects, type TaxObjectData } from '#fees/services/tax_objects'
import { bookings } from '#fees/services/bookings'

/*
 * CSV import of the register from the previous system (docs/import-fees.md):
 * taxpayers with their objects, and payments / opening balances. The request
 * checks the upload (checkImportUpload) and a background task imports it: the
 * file is decoded, parsed, every row validated against the file and the
 * register; nothing is written while any row is invalid unless the clerk asks
 * to skip those rows; the rest is written in small transactions and the
 * row-by-row report is kept in fees_imports.
 */

export type ImportKind = 'taxpayers' | 'payments'
export type ImportEncoding = 'UTF-8' | 'Windows-1250'

export interface ImportIssue {
  /** Line in the file where the row starts (the header is line 1). */
  line: number
  /** Column name, or '' for the row as a whole. */
  field: string
  message: string
}

export interface ImportReport {
  kind: ImportKind
  fileName: string
  encoding: ImportEncoding
  rowsTotal: number
  rowsImported: number
  rowsRejected: number
  /** False when errors stopped the import: nothing was written. */
  written: boolean
  created: number
  updated: number
  unchanged: number
  issues: ImportIssue[]
}

export interface CsvRow {
  line: number
  cells: string[]
}

export class ImportFileError extends Error {}

export const EMPTY_FILE_MESSAGE =
  'Wybrany plik CSV jest pusty. Wybierz plik z nagłówkiem i wierszami danych.'
const NOT_CSV = 'To nie jest plik tekstowy CSV. Zapisz dane jako CSV (rozdzielany średnikami).'

/** Largest file the import accepts (a register of a few thousand taxpayers is well below it). */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024

/**
 * Valid UTF-8 (with or without a BOM) is UTF-8; anything else is taken as
 * Windows-1250, which the previous systems of Polish offices export.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: ImportEncoding } {
  const body =
    bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'UTF-8' }
  } catch {
    return { text: new TextDecoder('windows-1250').decode(bytes), encoding: 'Windows-1250' }
  }
}

/** Text files only: a NUL byte or a known binary signature means it is not a CSV file. */
export function looksBinary(bytes: Uint8Array): boolean {
  const head = Array.from(bytes.subarray(0, 8))
  const signatures = [
    [0x25, 0x50, 0x44, 0x46],
    [0x50, 0x4b, 0x03, 0x04],
    [0x89, 0x50, 0x4e, 0x47],
    [0xff, 0xd8, 0xff],
    [0xd0, 0xcf, 0x11, 0xe0],
    [0x1f, 0x8b],
  ]
  if (signatures.some((signature) => signature.every((byte, index) => head[index] === byte)))
    return true
  return bytes.subarray(0, 64 * 1024).includes(0)
}

/**
 * RFC 4180 with the separator of the header line (';' unless the header has
 * only ','): quoted fields, "" inside quotes, line breaks inside quotes. Blank
 * lines are skipped; each row remembers the line it starts on.
 */
export function parseCsv(text: string): { separator: string; rows: CsvRow[] } {
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  const separator = firstLine.includes(';') || !firstLine.includes(',') ? ';' : ','
  const rows: CsvRow[] = []
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let line = 1
  let rowLine = 1
  let index = 0
  const endRow = () => {
    cells.push(cell)
    if (cells.some((value) => value.trim() !== '')) rows.push({ line: rowLine, cells })
    cells = []
    cell = ''
  }
  while (index < text.length) {
    const char = text[index]
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"'
        index += 2
        continue
      }
      if (char === '"') quoted = false
      else if (char === '\r' && text[index + 1] === '\n') {
        /* a Windows line break inside a field is kept as one '\n' */
      } else {
        if (char === '\n') line++
        cell += char
      }
      index++
      continue
    }
    if (char === '"' && cell.trim() === '') {
      cell = ''
      quoted = true
    } else if (char === separator) {
      cells.push(cell)
      cell = ''
    } else if (char === '\r' && text[index + 1] === '\n') {
      index++
      continue
    } else if (char === '\n' || char === '\r') {
      endRow()
      line++
      rowLine = line
    } else cell += char
    index++
  }
  if (quoted) throw new ImportFileError(`Niezamknięty cudzysłów w wierszu ${rowLine}.`)
  endRow()
  return { separator, rows }
}

export const TAXPAYER_COLUMNS = [
  'external_id',
  'kind',
  'name',
  'pesel',
  'nip',
  'regon',
  'street',
  'postal_code',
  'city',
  'email',
  'phone',
  'tax',
  'category',
  'description',
  'location',
  'base',
  'valid_from',
  'members',
] as const

export const PAYMENT_COLUMNS = ['external_id', 'amount', 'paid_on', 'reference', 'title'] as const

const REQUIRED: Record<ImportKind, readonly string[]> = {
  taxpayers: ['external_id', 'kind', 'name'],
  payments: ['external_id', 'amount', 'paid_on', 'reference'],
}

const KIND_VALUES: Record<string, TaxpayerKind> = {
  'individual': 'individual',
  'osoba': 'individual',
  'osoba fizyczna': 'individual',
  'business': 'business',
  'firma': 'business',
  'osoba prawna': 'business',
  'joint': 'joint',
  'współwłasność': 'joint',
  'wspolwlasnosc': 'joint',
}

const TAX_VALUES: Record<string, TaxKind> = {
  property: 'property',
  nieruchomości: 'property',
  nieruchomosci: 'property',
  agricultural: 'agricultural',
  rolny: 'agricultural',
  forest: 'forest',
  leśny: 'forest',
  lesny: 'forest',
}

const TAXPAYER_FIELDS = [
  'kind',
  'name',
  'pesel',
  'nip',
  'regon',
  'street',
  'postal_code',
  'city',
  'email',
  'phone',
  'members',
] as const

/** The co-owners' identifiers in the `members` column: separated by commas or spaces. */
function memberRefs(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean)
}

const EXTERNAL_ID = /^[\p{L}\p{N}._\/-]{1,60}$/u

/** 'YYYY-MM-DD' or the Polish 'DD.MM.YYYY'; null when neither is a real date. */
export function parseImportDate(value: string): string | null {
  const polish = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value)
  const iso = polish
    ? `${polish[3]}-${polish[2].padStart(2, '0')}-${polish[1].padStart(2, '0')}`
    : value
  return parseIsoDate(iso)
}

type RowValues = Record<string, string>

interface Table {
  columns: string[]
  /* `broken`: the row has more fields than the header; it is reported and never imported */
  records: { line: number; values: RowValues; broken: boolean }[]
  issues: ImportIssue[]
}

function tableOf(kind: ImportKind, rows: CsvRow[]): Table {
  const issues: ImportIssue[] = []
  if (rows.length === 0)
    return {
      columns: [],
      records: [],
      issues: [{ line: 1, field: '', message: 'Plik jest pusty.' }],
    }
  const header = rows[0].cells.map((name) => name.trim().toLowerCase())
  const known: readonly string[] = kind === 'taxpayers' ? TAXPAYER_COLUMNS : PAYMENT_COLUMNS
  for (const name of header)
    if (!known.includes(name))
      issues.push({ line: rows[0].line, field: name, message: `Nieznana kolumna „${name}”.` })
  for (const name of REQUIRED[kind])
    if (!header.includes(name))
      issues.push({ line: rows[0].line, field: name, message: `Brak wymaganej kolumny „${name}”.` })
  const records = rows.slice(1).map((row) => {
    const values: RowValues = {}
    header.forEach((name, index) => (values[name] = (row.cells[index] ?? '').trim()))
    const broken =
      row.cells.length > header.length && row.cells.slice(header.length).some((c) => c.trim())
    if (broken)
      issues.push({
        line: row.line,
        field: '',
        message: `Wiersz ma ${row.cells.length} pól, nagłówek ${header.length}. Sprawdź separator i cudzysłowy.`,
      })
    return { line: row.line, values, broken }
  })
  return { columns: header, records, issues }
}

interface TaxpayerGroup {
  externalId: string
  line: number
  lines: number[]
  data: TaxpayerData
  objects: { line: number; data: TaxObjectData }[]
  /** A joint taxpayer's co-owners, by their identifiers (in this file or already in the register). */
  members: string[]
}

function checkLength(
  issues: ImportIssue[],
  line: number,
  values: RowValues,
  field: string,
  max: number
) {
  if ((values[field] ?? '').length > max)
    issues.push({ line, field, message: `Najwyżej ${max} znaków.` })
}

/** Validates one taxpayers-file row: taxpayer fields and, when present, its object. */
function validateTaxpayerRow(
  line: number,
  values: RowValues
): {
  issues: ImportIssue[]
  data: TaxpayerData | null
  object: TaxObjectData | null
  members: string[]
} {
  const issues: ImportIssue[] = []
  const add = (field: string, message: string) => issues.push({ line, field, message })
  const v = (field: string) => values[field] ?? ''

  if (!v('external_id')) add('external_id', 'Podaj identyfikator podatnika z poprzedniego systemu.')
  else if (!EXTERNAL_ID.test(v('external_id')))
    add('external_id', 'Identyfikator: najwyżej 60 liter, cyfr lub znaków . _ / -.')
  const kind = KIND_VALUES[v('kind').toLowerCase()]
  if (!kind)
    add('kind', 'Rodzaj podatnika: „osoba” (osoba fizyczna), „firma” albo „współwłasność”.')
  const members = memberRefs(v('members'))
  if (kind === 'joint') {
    if (new Set(members).size < 2)
      add('members', 'Współwłasność: podaj identyfikatory co najmniej dwóch współwłaścicieli.')
    else if (members.includes(v('external_id')))
      add('members', 'Współwłasność nie może być swoim własnym współwłaścicielem.')
    else if (members.some((ref) => !EXTERNAL_ID.test(ref)))
      add('members', 'Identyfikatory współwłaścicieli oddziel przecinkami, np. P-0001,P-0002.')
    if (v('pesel') || v('nip'))
      add(
        v('pesel') ? 'pesel' : 'nip',
        'Współwłasność nie ma własnego numeru PESEL ani NIP; podaje się je u współwłaścicieli.'
      )
  } else if (kind && members.length)
    add('members', 'Kolumnę „members” wypełnia się tylko dla współwłasności.')
  if (!v('name')) add('name', 'Podaj nazwisko i imię albo nazwę podatnika.')
  checkLength(issues, line, values, 'name', 200)
  if (v('pesel') && !checkPesel(v('pesel')).valid)
    add('pesel', 'Numer PESEL jest nieprawidłowy (błędna data lub cyfra kontrolna).')
  if (v('nip') && !checkNip(v('nip')).valid)
    add('nip', 'Numer NIP jest nieprawidłowy (cyfra kontrolna).')
  if (v('regon') && !checkRegon(v('regon')).valid)
    add('regon', 'Numer REGON jest nieprawidłowy (9 lub 14 cyfr z cyfrą kontrolną).')
  if (kind === 'business' && !v('nip')) add('nip', 'Firma musi mieć numer NIP.')
  if (kind === 'business' && v('pesel')) add('pesel', 'Firma nie ma numeru PESEL; podaj NIP.')
  if (v('postal_code') && !checkPostalCode(v('postal_code')).valid)
    add('postal_code', 'Kod pocztowy w postaci 00-000.')
  if (v('email') && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v('email')))
    add('email', 'Adres e-mail jest nieprawidłowy.')
  checkLength(issues, line, values, 'street', 200)
  checkLength(issues, line, values, 'city', 100)
  checkLength(issues, line, values, 'email', 254)
  checkLength(issues, line, values, 'phone', 30)

  let object: TaxObjectData | null = null
  const objectFields = ['tax', 'category', 'description', 'location', 'base', 'valid_from']
  if (objectFields.some((field) => v(field))) {
    const tax = TAX_VALUES[v('tax').toLowerCase()]
    if (!tax) add('tax', 'Podatek: „nieruchomości”, „rolny” albo „leśny”.')
    const category = findCategory(v('category'))
    if (!category)
      add('category', `Nieznana kategoria „${v('category')}”. Dozwolone kody w instrukcji importu.`)
    else if (tax && category.tax !== tax)
      add('category', `Kategoria „${v('category')}” nie należy do podatku „${v('tax')}”.`)
    if (!v('description')) add('description', 'Podaj opis przedmiotu opodatkowania.')
    checkLength(issues, line, values, 'description', 200)
    checkLength(issues, line, values, 'location', 200)
    const base = parseScaled(v('base'))
    if (base === null || base === 0)
      add('base', 'Podstawa: liczba większa od zera, z przecinkiem dziesiętnym (np. 1234,56).')
    const validFrom = parseImportDate(v('valid_from'))
    if (!validFrom) add('valid_from', 'Data w postaci RRRR-MM-DD lub DD.MM.RRRR.')
    if (tax && category && base && validFrom)
      object = {
        tax,
        category: category.code,
        description: v('description'),
        location: v('location') || null,
        baseE4: base,
        physicalAreaE4: null,
        landClass: null,
        validFrom,
        validTo: null,
      }
  }
  const data: TaxpayerData | null =
    issues.length || !kind
      ? null
      : {
          kind,
          name: v('name'),
          pesel: kind === 'individual' ? checkPesel(v('pesel')).normalized || null : null,
          nip: v('nip') ? checkNip(v('nip')).normalized : null,
          regon: v('regon') ? checkRegon(v('regon')).normalized : null,
          street: v('street') || null,
          postalCode: v('postal_code') ? checkPostalCode(v('postal_code')).normalized : null,
          city: v('city') || null,
          email: v('email') || null,
          phone: v('phone') || null,
          externalId: v('external_id'),
        }
  return { issues, data, object, members: kind === 'joint' ? [...new Set(members)] : [] }
}

/**
 * Groups rows by external_id: the first row of a taxpayer carries its data,
 * later rows may repeat it or leave it empty but must not contradict it.
 */
function groupTaxpayers(table: Table) {
  const issues: ImportIssue[] = []
  const groups = new Map<string, TaxpayerGroup>()
  const firstValues = new Map<string, RowValues>()
  const invalidIds = new Set<string>()
  const rowIssues = new Map<number, ImportIssue[]>()
  for (const record of table.records) {
    const externalId = record.values.external_id ?? ''
    if (record.broken) {
      invalidIds.add(externalId)
      continue
    }
    const first = firstValues.get(externalId)
    const values = { ...record.values }
    if (first)
      for (const field of TAXPAYER_FIELDS) {
        if (!values[field]) values[field] = first[field] ?? ''
        else if (values[field] !== (first[field] ?? ''))
          (rowIssues.get(record.line) ?? rowIssues.set(record.line, []).get(record.line)!).push({
            line: record.line,
            field,
            message: `Inna wartość niż w pierwszym wierszu tego podatnika: „${first[field] ?? ''}”.`,
          })
      }
    else firstValues.set(externalId, values)
    const checked = validateTaxpayerRow(record.line, values)
    const all = [...(rowIssues.get(record.line) ?? []), ...checked.issues]
    if (all.length || !checked.data) {
      issues.push(...all)
      invalidIds.add(externalId)
      continue
    }
    const group = groups.get(externalId) ?? {
      externalId,
      line: record.line,
      lines: [],
      data: checked.data,
      objects: [],
      members: checked.members,
    }
    group.lines.push(record.line)
    if (checked.object) group.objects.push({ line: record.line, data: checked.object })
    groups.set(externalId, group)
  }
  /* A taxpayer with any bad row is left out whole: half a register entry helps nobody. */
  for (const externalId of invalidIds) {
    const group = groups.get(externalId)
    if (!group) continue
    for (const line of group.lines)
      issues.push({
        line,
        field: 'external_id',
        message: 'Pominięto: inny wiersz tego podatnika zawiera błędy.',
      })
    groups.delete(externalId)
  }
  /* The same PESEL or NIP under two identifiers would make two register entries of one person. */
  for (const field of ['pesel', 'nip'] as const) {
    const seen = new Map<string, string>()
    for (const group of groups.values()) {
      const value = group.data[field]
      if (!value) continue
      const other = seen.get(value)
      if (other && other !== group.externalId) {
        issues.push({
          line: group.line,
          field,
          message: `Ten sam numer ${field.toUpperCase()} ma podatnik „${other}” w tym pliku.`,
        })
        groups.delete(group.externalId)
      } else seen.set(value, group.externalId)
    }
  }
  /*
   * Co-owners named in this file must be individuals that passed; co-owners
   * not in the file are looked up in the register when writing.
   */
  for (const group of [...groups.values()]) {
    for (const ref of group.members) {
      const member = groups.get(ref)
      const problem = member
        ? member.data.kind === 'individual'
          ? null
          : `Współwłaściciel „${ref}” nie jest osobą fizyczną.`
        : firstValues.has(ref)
          ? `Pominięto: współwłaściciel „${ref}” ma w pliku błędy.`
          : null
      if (problem) {
        for (const line of group.lines) issues.push({ line, field: 'members', message: problem })
        groups.delete(group.externalId)
        break
      }
    }
  }
  return { groups, issues }
}

/** Checks a taxpayers file without touching the database: the issues and the taxpayers that passed. */
export function validateTaxpayerCsv(text: string): { issues: ImportIssue[]; valid: string[] } {
  const table = tableOf('taxpayers', parseCsv(text).rows)
  if (table.issues.some((issue) => issue.line === 1)) return { issues: table.issues, valid: [] }
  const { groups, issues } = groupTaxpayers(table)
  return {
    issues: [...table.issues, ...issues].sort((a, b) => a.line - b.line),
    valid: [...groups.keys()],
  }
}

function sameObject(existing: TaxObjectData, incoming: TaxObjectData) {
  return (
    existing.tax === incoming.tax &&
    existing.category === incoming.category &&
    existing.description === incoming.description &&
    (existing.location ?? null) === (incoming.location ?? null) &&
    existing.validFrom === incoming.validFrom
  )
}

function sameTaxpayer(row: any, data: TaxpayerData) {
  const pairs: [unknown, unknown][] = [
    [row.kind, data.kind],
    [row.name, data.name],
    [row.pesel, data.pesel],
    [row.nip, data.nip],
    [row.regon, data.regon],
    [row.street, data.street],
    [row.postal_code, data.postalCode],
    [row.city, data.city],
    [row.email, data.email],
    [row.phone, data.phone],
  ]
  return pairs.every(([a, b]) => (a ?? null) === (b ?? null))
}

/** Individuals first: a joint taxpayer needs its co-owners' register ids. */
function writeOrder(groups: Map<string, TaxpayerGroup>): TaxpayerGroup[] {
  return [...groups.values()].sort(
    (a, b) => Number(a.data.kind === 'joint') - Number(b.data.kind === 'joint')
  )
}

/**
 * An entry typed in by hand with the same PESEL/NIP but no identifier is not
 * overwritten: the taxpayer is reported and left out. True when it may be written.
 */
async function clearOfClashes(
  client: QueryClientContract,
  group: TaxpayerGroup,
  existingId: number | null,
  issues: ImportIssue[]
): Promise<boolean> {
  let clear = true
  for (const field of ['pesel', 'nip'] as const) {
    const value = group.data[field]
    if (!value) continue
    const clash = await client
      .from('fees_taxpayers')
      .where(field, value)
      .where((query) => (existingId ? query.whereNot('id', existingId) : query.whereNotNull('id')))
      .first()
    if (clash) {
      issues.push({
        line: group.line,
        field,
        message: `Podatnik z tym numerem ${field.toUpperCase()} jest już w ewidencji (${clash.name}${clash.external_id ? `, identyfikator ${clash.external_id}` : ''}).`,
      })
      clear = false
    }
  }
  if (!clear) {
    group.objects = []
    group.lines = []
  }
  return clear
}

/**
 * Conflicts with the register, looked for before anything is written (reads
 * only): a PESEL/NIP typed in by hand under another entry, a co-owner in
 * neither the file nor the register. The taxpayers concerned leave `groups`.
 */
async function checkTaxpayerConflicts(groups: Map<string, TaxpayerGroup>, issues: ImportIssue[]) {
  const reader = db.connection()
  /* The ids do not matter here, only who would be written: 0 stands for "from this file". */
  const accepted = new Map<string, number>()
  for (const group of writeOrder(groups)) {
    const existing = await reader
      .from('fees_taxpayers')
      .where('external_id', group.externalId)
      .select('id')
      .first()
    const writable =
      (group.data.kind !== 'joint' || (await coOwnerIds(reader, group, accepted, issues))) &&
      (await clearOfClashes(reader, group, existing ? Number(existing.id) : null, issues))
    if (writable) accepted.set(group.externalId, 0)
    else groups.delete(group.externalId)
  }
}

/**
 * Writes one batch of taxpayers in the caller's transaction. `written` carries
 * the register ids of the file's individuals from batch to batch. The checks
 * already passed; they run again because a clerk may have typed an entry in
 * since (such a taxpayer is reported and left out).
 */
async function writeTaxpayers(
  trx: TransactionClientContract,
  batch: TaxpayerGroup[],
  written: Map<string, number>,
  issues: ImportIssue[],
  counts: ImportCounts
) {
  for (const group of batch) {
    if (group.data.kind === 'joint') {
      const memberIds = await coOwnerIds(trx, group, written, issues)
      if (!memberIds) continue
      group.data = { ...group.data, memberIds }
    }
    const existing = await trx.from('fees_taxpayers').where('external_id', group.externalId).first()
    if (!(await clearOfClashes(trx, group, existing ? Number(existing.id) : null, issues))) continue
    let taxpayerId: number
    let changed = false
    if (existing) {
      taxpayerId = Number(existing.id)
      if (
        !sameTaxpayer(existing, group.data) ||
        /* Only a joint taxpayer has co-owners to compare (a change of kind shows in sameTaxpayer). */
        (group.data.kind === 'joint' &&
          !(await sameMembers(trx, taxpayerId, group.data.memberIds ?? [])))
      ) {
        await taxpayers.update(taxpayerId, group.data, trx)
        changed = true
      }
    } else {
      const created = await taxpayers.create(group.data, trx)
      taxpayerId = created.id
    }
    const objectRows = existing
      ? await trx.from('fees_tax_objects').where('taxpayer_id', taxpayerId)
      : []
    const current = objectRows.map((row) => ({
      id: Number(row.id),
      data: {
        tax: row.tax,
        category: row.category,
        description: row.description,
        location: row.location,
        baseE4: Number(row.base_e4),
        physicalAreaE4: row.physical_area_e4 === null ? null : Number(row.physical_area_e4),
        landClass: row.land_class,
        validFrom: row.valid_from,
        validTo: row.valid_to,
      } as TaxObjectData,
    }))
    for (const object of group.objects) {
      const match = current.find((row) => sameObject(row.data, object.data))
      if (!match) {
        await taxObjects.create(taxpayerId, object.data, trx)
        changed = true
      } else if (match.data.baseE4 !== object.data.baseE4) {
        await taxObjects.update(match.id, { ...match.data, baseE4: object.data.baseE4 }, trx)
        changed = true
      }
    }
    if (!existing) counts.created++
    else if (changed) counts.updated++
    else counts.unchanged++
    counts.imported += group.lines.length
    written.set(group.externalId, taxpayerId)
  }
}

/**
 * The register ids of a joint taxpayer's co-owners: written from this file a
 * moment ago, or already in the register under that identifier. Null (with
 * the reason in the report) when one of them is missing or not a person.
 */
async function coOwnerIds(
  client: QueryClientContract,
  group: TaxpayerGroup,
  written: Map<string, number>,
  issues: ImportIssue[]
): Promise<number[] | null> {
  const ids: number[] = []
  for (const ref of group.members) {
    const row = written.has(ref)
      ? { id: written.get(ref), kind: 'individual' }
      : await client.from('fees_taxpayers').where('external_id', ref).select('id', 'kind').first()
    const problem = !row
      ? `Współwłaściciela „${ref}” nie ma w pliku ani w ewidencji (albo nie został zaimportowany).`
      : row.kind !== 'individual'
        ? `Współwłaściciel „${ref}” nie jest osobą fizyczną.`
        : null
    if (problem) {
      for (const line of group.lines) issues.push({ line, field: 'members', message: problem })
      return null
    }
    ids.push(Number(row!.id))
  }
  return ids
}

async function sameMembers(trx: TransactionClientContract, jointId: number, memberIds: number[]) {
  const rows = await trx
    .from('fees_taxpayer_members')
    .where('joint_id', jointId)
    .select('member_id')
  const current = rows.map((row) => Number(row.member_id)).sort((a, b) => a - b)
  const wanted = [...new Set(memberIds)].sort((a, b) => a - b)
  return current.length === wanted.length && current.every((id, index) => id === wanted[index])
}

interface PaymentRow {
  line: number
  externalId: string
  amountGr: number
  paidOn: string
  reference: string
  title: string | null
}

function validatePayments(table: Table) {
  const issues: ImportIssue[] = []
  const rows: PaymentRow[] = []
  const references = new Map<string, number>()
  for (const { line, values, broken } of table.records) {
    if (broken) continue
    const before = issues.length
    const add = (field: string, message: string) => issues.push({ line, field, message })
    const externalId = values.external_id ?? ''
    if (!externalId) add('external_id', 'Podaj identyfikator podatnika z poprzedniego systemu.')
    let amountGr = 0
    try {
      amountGr = parseMoney(values.amount ?? '')
      if (amountGr <= 0) add('amount', 'Kwota wpłaty musi być większa od zera.')
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error
      add('amount', 'Kwota w złotych z przecinkiem, np. 1234,56.')
    }
    const paidOn = parseImportDate(values.paid_on ?? '')
    if (!paidOn) add('paid_on', 'Data w postaci RRRR-MM-DD lub DD.MM.RRRR.')
    const reference = values.reference ?? ''
    if (!reference)
      add('reference', 'Podaj numer dowodu wpłaty (chroni przed podwójnym zaksięgowaniem).')
    else if (reference.length > 100) add('reference', 'Najwyżej 100 znaków.')
    else if (references.has(reference))
      add('reference', `Ten sam numer dowodu jest już w wierszu ${references.get(reference)}.`)
    else references.set(reference, line)
    checkLength(issues, line, values, 'title', 300)
    if (issues.length === before)
      rows.push({
        line,
        externalId,
        amountGr,
        paidOn: paidOn!,
        reference,
        title: values.title || null,
      })
  }
  return { rows, issues }
}

/**
 * What the request checks before it queues an import (the rows are the
 * task's work): a text file, its encoding, something in it, and a header with
 * the columns of the chosen kind. Throws ImportFileError with the message for
 * the file field.
 */
export function checkImportUpload(kind: ImportKind, bytes: Uint8Array): ImportEncoding {
  if (looksBinary(bytes)) throw new ImportFileError(NOT_CSV)
  const { text, encoding } = decodeCsv(bytes)
  const firstLine = /^[^\S\r\n]*\S[^\r\n]*/m.exec(text)
  const header = firstLine ? parseCsv(firstLine[0]).rows : []
  if (header.length === 0) throw new ImportFileError(EMPTY_FILE_MESSAGE)
  const problems = tableOf(kind, header).issues.map((issue) => issue.message)
  if (problems.length)
    throw new ImportFileError(
      `Nagłówek pliku CSV jest błędny: ${problems.join(' ')} Nazwy kolumn podaje instrukcja importu.`
    )
  return encoding
}

interface ResolvedPayment extends PaymentRow {
  taxpayerId: number
}

/** The register entry of each payment, looked up before anything is booked (reads only). */
async function resolvePayers(rows: PaymentRow[], issues: ImportIssue[]) {
  const ids = new Map<string, number>()
  const wanted = [...new Set(rows.map((row) => row.externalId))]
  for (let start = 0; start < wanted.length; start += WRITE_BATCH_ROWS) {
    const found = await db
      .from('fees_taxpayers')
      .whereIn('external_id', wanted.slice(start, start + WRITE_BATCH_ROWS))
      .select('id', 'external_id')
    for (const row of found) ids.set(row.external_id, Number(row.id))
  }
  const resolved: ResolvedPayment[] = []
  for (const row of rows) {
    const taxpayerId = ids.get(row.externalId)
    if (taxpayerId !== undefined) resolved.push({ ...row, taxpayerId })
    else
      issues.push({
        line: row.line,
        field: 'external_id',
        message: `W ewidencji nie ma podatnika o identyfikatorze „${row.externalId}”. Najpierw zaimportuj podatników.`,
      })
  }
  return resolved
}

/** Books one batch of payments; the key `import:<reference>` books each document once, whatever runs it again. */
async function writePayments(
  trx: TransactionClientContract,
  batch: ResolvedPayment[],
  staffId: number | null,
  counts: ImportCounts
) {
  for (const row of batch) {
    const booked = await bookings.bookPayment(
      {
        taxpayerId: row.taxpayerId,
        amountGr: row.amountGr,
        paidOn: row.paidOn,
        source: 'import',
        title: row.title,
        reference: row.reference,
        idempotencyKey: `import:${row.reference}`,
        staffId,
      },
      trx
    )
    if (booked.created) counts.created++
    else counts.unchanged++
    counts.imported++
  }
}

interface ImportCounts {
  created: number
  updated: number
  unchanged: number
  imported: number
}

/*
 * Rows written per transaction: a SQLite write lock held for a batch of this
 * size lasts a fraction of a second, so requests of other clerks do not wait.
 */
export const WRITE_BATCH_ROWS = 500

/** Items grouped so that each batch holds about WRITE_BATCH_ROWS rows of the file. */
function inBatches<T>(items: T[], rowsOf: (item: T) => number) {
  const batches: { items: T[]; rows: number }[] = []
  let current: { items: T[]; rows: number } = { items: [], rows: 0 }
  for (const item of items) {
    current.items.push(item)
    current.rows += rowsOf(item)
    if (current.rows >= WRITE_BATCH_ROWS) {
      batches.push(current)
      current = { items: [], rows: 0 }
    }
  }
  if (current.items.length) batches.push(current)
  return batches
}

/**
 * Imports one file. Every row is checked first, against the file and then
 * against the register (reads only). With errors and without `skipInvalid`
 * nothing is written (the report is still stored); otherwise the valid rows go
 * in, WRITE_BATCH_ROWS to a transaction, and the report lists the rest.
 * Re-importing a file, or running an interrupted import again, changes nothing
 * that is already in: taxpayers are matched by their identifier, payments by
 * their document number.
 */
export async function importFeesFile(input: {
  kind: ImportKind
  bytes: Uint8Array
  fileName: string
  skipInvalid: boolean
  staffId: number | null
  /** Rows written so far, after each batch. */
  onProgress?: (done: number, total: number) => Promise<void>
}): Promise<{ id: number; report: ImportReport }> {
  if (looksBinary(input.bytes)) throw new ImportFileError(NOT_CSV)
  const { text, encoding } = decodeCsv(input.bytes)
  const table = tableOf(input.kind, parseCsv(text).rows)
  const report: ImportReport = {
    kind: input.kind,
    fileName: input.fileName.slice(0, 200),
    encoding,
    rowsTotal: table.records.length,
    rowsImported: 0,
    rowsRejected: 0,
    written: false,
    created: 0,
    updated: 0,
    unchanged: 0,
    issues: [...table.issues],
  }
  const headerBroken = table.issues.some((issue) => issue.line === 1)
  let batches: { write: (trx: TransactionClientContract) => Promise<void>; rows: number }[] = []
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0, imported: 0 }
  if (!headerBroken && input.kind === 'taxpayers') {
    const { groups, issues } = groupTaxpayers(table)
    report.issues.push(...issues)
    await checkTaxpayerConflicts(groups, report.issues)
    const written = new Map<string, number>()
    batches = inBatches(writeOrder(groups), (group) => group.lines.length).map((batch) => ({
      rows: batch.rows,
      write: (trx) => writeTaxpayers(trx, batch.items, written, report.issues, counts),
    }))
  } else if (!headerBroken) {
    const { rows, issues } = validatePayments(table)
    report.issues.push(...issues)
    const resolved = await resolvePayers(rows, report.issues)
    batches = inBatches(resolved, () => 1).map((batch) => ({
      rows: batch.rows,
      write: (trx) => writePayments(trx, batch.items, input.staffId, counts),
    }))
  }

  if (!headerBroken && (report.issues.length === 0 || input.skipInvalid)) {
    /* The taxpayer service reads the office profile outside the transaction: load it first. */
    await officeProfileService.get()
    const total = batches.reduce((sum, batch) => sum + batch.rows, 0)
    let done = 0
    await input.onProgress?.(0, total)
    for (const batch of batches) {
      await db.transaction((trx) => batch.write(trx))
      done += batch.rows
      await input.onProgress?.(done, total)
    }
    Object.assign(report, {
      written: true,
      rowsImported: counts.imported,
      created: counts.created,
      updated: counts.updated,
      unchanged: counts.unchanged,
    })
  }
  report.rowsRejected = new Set(
    report.issues.filter((issue) => issue.line > 1).map((issue) => issue.line)
  ).size
  const id = await db.transaction((trx) => storeReport(trx, report, input.staffId))
  return { id, report }
}

async function storeReport(
  trx: TransactionClientContract,
  report: ImportReport,
  staffId: number | null
): Promise<number> {
  report.issues.sort((a, b) => a.line - b.line)
  const [inserted] = await trx
    .table('fees_imports')
    .insert({
      kind: report.kind,
      file_name: report.fileName,
      encoding: report.encoding,
      rows_total: report.rowsTotal,
      rows_imported: report.rowsImported,
      rows_rejected: report.rowsRejected,
      report: JSON.stringify(report),
      staff_id: staffId,
      created_at: new Date(),
    })
    .returning('id')
  return Number(typeof inserted === 'object' ? inserted.id : inserted)
}

export async function findImport(id: number): Promise<ImportReport | null> {
  const row = await db.from('fees_imports').where('id', id).first()
  return row ? (JSON.parse(row.report) as ImportReport) : null
}

export async function recentImports(limit = 20) {
  const rows = await db
    .from('fees_imports')
    .orderBy('id', 'desc')
    .limit(limit)
    .select(
      'id',
      'kind',
      'file_name',
      'encoding',
      'rows_total',
      'rows_imported',
      'rows_rejected',
      'created_at'
    )
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind as ImportKind,
    fileName: row.file_name,
    encoding: row.encoding,
    rowsTotal: Number(row.rows_total),
    rowsImported: Number(row.rows_imported),
    rowsRejected: Number(row.rows_rejected),
    /* SQLite hands back the epoch milliseconds knex stored, PostgreSQL a Date */
    createdAt: new Date(row.created_at),
  }))
}
