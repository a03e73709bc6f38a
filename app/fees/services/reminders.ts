/*
 * Reminders (upomnienia) before enforcement: who owes installments overdue
 * for more than N days that no earlier reminder demanded, and issuing them in
 * batches: the reminder with its number, its cost booked on the ledger, the
 * letter, a message in each linked resident's e-BOK inbox and an e-mail. Then
 * the list for posting and marking the batch as posted.
 */
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { daysBetween, parseIsoDate } from '#core/services/calendar'
import { formatDate, polishDate } from '#core/services/formatting'
import { formatMoney } from '#core/services/money'
import officeProfileService from '#core/services/office_profile_service'
import outbox from '#core/services/outbox'
import { PdfDocument, type LetterheadData } from '#core/services/pdf_document'
import { residentInbox } from '#core/services/resident_inbox'
import { settings } from '#core/services/settings'
import { allLedgers, ledgerOf } from '#fees/services/ledger_store'
import { insertLedgerEntry } from '#fees/services/bookings'
import { taxpayers, toTaxpayer, type TaxpayerRow } from '#fees/services/taxpayers'
import {
  addressLine,
  jointLiabilitySentence,
  printAddressee,
  printPaymentBlock,
  keptDocument,
  removeDocument,
  storeDocument,
  taxAuthority,
} from '#fees/services/letters'

export const REMINDER_COST_SETTING = 'fees.reminder_cost_gr'
/** Four times the registered-letter fee, the statutory cost when no setting says otherwise. */
export const DEFAULT_REMINDER_COST_GR = 1600
/* Case-file prefix (unit.JRWA) of reminders. */
const NUMBER_PREFIX = 'FN.3122'
const MAX_DAYS_OVERDUE = 3650

export class ReminderError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

export class ReminderNotFoundError extends Error {
  constructor(readonly reminderId: number) {
    super(`Reminder ${reminderId} not found`)
  }
}

export interface ReminderCriteria {
  asOf: string
  minDaysOverdue: number
  /** Taxpayers owing less than this (arrears, grosze) are left out. */
  minArrearsGr?: number
}

export interface DemandedInstallment {
  installmentId: number
  assessmentId: number
  /** "FN.3120.1.2026, rata 2" */
  label: string
  due: string
  daysOverdue: number
  outstandingGr: number
  interestGr: number
}

export interface ReminderCandidate {
  taxpayerId: number
  name: string
  address: string
  email: string | null
  installments: DemandedInstallment[]
  arrearsGr: number
  interestGr: number
  costGr: number
  totalGr: number
}

export interface ReminderPreview {
  asOf: string
  minDaysOverdue: number
  costGr: number
  candidates: ReminderCandidate[]
  totals: { count: number; arrearsGr: number; interestGr: number; costGr: number; totalGr: number }
}

export interface ReminderListRow {
  id: number
  number: string
  taxpayerId: number
  addressee: string
  address: string
  issuedOn: string
  arrearsGr: number
  interestGr: number
  costGr: number
  totalGr: number
  status: string
  postedOn: string | null
}

function validate(criteria: ReminderCriteria) {
  if (parseIsoDate(criteria.asOf) !== criteria.asOf)
    throw new ReminderError('Podaj datę stanu zaległości w formacie RRRR-MM-DD.', 'asOf')
  if (
    !Number.isSafeInteger(criteria.minDaysOverdue) ||
    criteria.minDaysOverdue < 0 ||
    criteria.minDaysOverdue > MAX_DAYS_OVERDUE
  )
    throw new ReminderError(
      `Minimalna liczba dni zwłoki musi być liczbą całkowitą od 0 do ${MAX_DAYS_OVERDUE}.`,
      'minDays'
    )
  const min = criteria.minArrearsGr ?? 0
  if (!Number.isSafeInteger(min) || min < 0)
    throw new ReminderError('Minimalna kwota zaległości nie może być ujemna.', 'minArrears')
}

/** The batch a run belongs to: the same criteria give the same batch, so a rerun adds to it. */
export function batchId(asOf: string, minDaysOverdue: number): string {
  return `${asOf.replace(/-/g, '')}-${minDaysOverdue}`
}

export function isBatchId(value: string): boolean {
  return /^\d{8}-\d{1,4}$/.test(value)
}

function parseIds(text: string): number[] {
  return text
    .split(',')
    .map((part) => Number(part))
    .filter((id) => Number.isSafeInteger(id) && id > 0)
}

type DemandCheck = (installment: { id: number; assessmentId: number; due: string }) => boolean

/**
 * Whether an earlier reminder already demanded an installment. A correction
 * copies the installments due before it into the new decision under new ids:
 * the copy (same original decision, same due date) counts as demanded too, so
 * a correction never brings a second reminder and cost for the same debt.
 */
async function demandedCheck(
  client: QueryClientContract,
  taxpayerId?: number
): Promise<DemandCheck> {
  const reminders = client.from('fees_reminders').select('installment_ids')
  const assessments = client.from('fees_assessments').select('id', 'replaces_id')
  if (taxpayerId !== undefined) {
    reminders.where('taxpayer_id', taxpayerId)
    assessments.where('taxpayer_id', taxpayerId)
  }
  const [reminderRows, assessmentRows] = await Promise.all([reminders, assessments])
  const ids = new Set(reminderRows.flatMap((row) => parseIds(String(row.installment_ids))))
  const parent = new Map(
    assessmentRows.map((row) => [
      Number(row.id),
      row.replaces_id === null ? null : Number(row.replaces_id),
    ])
  )
  const original = (assessmentId: number) => {
    let current = assessmentId
    for (let step = 0; step < parent.size && parent.get(current); step++)
      current = parent.get(current)!
    return current
  }
  const demandedRows = ids.size
    ? await client
        .from('fees_installments')
        .whereIn('id', [...ids])
        .select('assessment_id', 'due')
    : []
  const keys = new Set(
    demandedRows.map((row) => `${original(Number(row.assessment_id))}|${row.due}`)
  )
  return (installment) =>
    ids.has(installment.id) || keys.has(`${original(installment.assessmentId)}|${installment.due}`)
}

export async function reminderCostGr(asOf: string): Promise<number> {
  return settings.numberAt(REMINDER_COST_SETTING, asOf, DEFAULT_REMINDER_COST_GR)
}

/**
 * Taxpayers to remind as of a day: installments overdue for more than
 * `minDaysOverdue` days, not demanded by an earlier reminder, with the
 * interest as of that day and the reminder cost.
 */
export async function remindersPreview(
  criteria: ReminderCriteria,
  /** Ledgers replayed so far (the preview runs as a background task). */
  onProgress?: (done: number, total: number) => Promise<void>
): Promise<ReminderPreview> {
  validate(criteria)
  const { asOf, minDaysOverdue } = criteria
  const [ledgers, demanded, costGr] = await Promise.all([
    allLedgers(asOf, onProgress),
    demandedCheck(db.connection()),
    reminderCostGr(asOf),
  ])
  const picked = new Map<number, DemandedInstallment[]>()
  const assessmentIds = new Set<number>()
  for (const [taxpayerId, ledger] of ledgers) {
    const installments = ledger.installments.filter(
      (installment) =>
        installment.overdue &&
        installment.outstandingGr > 0 &&
        daysBetween(installment.due, asOf) > minDaysOverdue &&
        !demanded(installment)
    )
    const arrearsGr = installments.reduce((sum, row) => sum + row.outstandingGr, 0)
    if (installments.length === 0 || arrearsGr < (criteria.minArrearsGr ?? 0)) continue
    picked.set(
      taxpayerId,
      installments.map((installment) => {
        assessmentIds.add(installment.assessmentId)
        return {
          installmentId: installment.id,
          assessmentId: installment.assessmentId,
          label: `rata ${installment.number}`,
          due: installment.due,
          daysOverdue: daysBetween(installment.due, asOf),
          outstandingGr: installment.outstandingGr,
          interestGr: installment.interestGr,
        }
      })
    )
  }
  if (picked.size === 0)
    return {
      asOf,
      minDaysOverdue,
      costGr,
      candidates: [],
      totals: { count: 0, arrearsGr: 0, interestGr: 0, costGr: 0, totalGr: 0 },
    }
  const [taxpayerRows, assessmentRows] = await Promise.all([
    db.from('fees_taxpayers').whereIn('id', [...picked.keys()]),
    db
      .from('fees_assessments')
      .whereIn('id', [...assessmentIds])
      .select('id', 'number'),
  ])
  const numberOf = new Map(assessmentRows.map((row) => [Number(row.id), String(row.number)]))
  const candidates = taxpayerRows
    .map((row) => {
      const taxpayer = toTaxpayer(row)
      const installments = picked.get(taxpayer.id)!.map((installment) => ({
        ...installment,
        label: `${numberOf.get(installment.assessmentId) ?? ''}, ${installment.label}`,
      }))
      const arrearsGr = installments.reduce((sum, item) => sum + item.outstandingGr, 0)
      const interestGr = installments.reduce((sum, item) => sum + item.interestGr, 0)
      return {
        taxpayerId: taxpayer.id,
        name: taxpayer.name,
        address: addressLine(taxpayer),
        email: taxpayer.email,
        installments,
        arrearsGr,
        interestGr,
        costGr,
        totalGr: arrearsGr + interestGr + costGr,
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'pl') || a.taxpayerId - b.taxpayerId)
  const sum = (pick: (row: ReminderCandidate) => number) =>
    candidates.reduce((total, row) => total + pick(row), 0)
  return {
    asOf,
    minDaysOverdue,
    costGr,
    candidates,
    totals: {
      count: candidates.length,
      arrearsGr: sum((row) => row.arrearsGr),
      interestGr: sum((row) => row.interestGr),
      costGr: sum((row) => row.costGr),
      totalGr: sum((row) => row.totalGr),
    },
  }
}

async function nextNumber(trx: TransactionClientContract, year: string) {
  const row = await trx
    .from('fees_reminders')
    .where('number', 'like', `${NUMBER_PREFIX}.%.${year}`)
    .count('* as total')
    .first()
  return `${NUMBER_PREFIX}.${Number(row?.total ?? 0) + 1}.${year}`
}

export interface IssueResult {
  batch: string
  /** Reminders written by this run (none when the run was already done). */
  createdIds: number[]
  /** Taxpayers another run reminded in the meantime. */
  skipped: number
}

/**
 * Issues the reminders of a preview, each taxpayer in its own transaction.
 * Running it again with the same criteria, or a run interrupted half-way
 * started again, creates nothing twice: an installment once demanded is
 * checked inside the taxpayer's transaction and left out.
 */
export async function issueReminders(
  input: ReminderCriteria & { staffId: number | null },
  /** Taxpayers handled so far, after each one (the issue runs as a background task). */
  onProgress?: (done: number, total: number) => Promise<void>
): Promise<IssueResult> {
  const preview = await remindersPreview(input)
  const batch = batchId(input.asOf, input.minDaysOverdue)
  const office = await officeProfileService.get()
  if (!office) throw new ReminderError('Najpierw uzupełnij dane urzędu.', 'office')
  const createdIds: number[] = []
  let skipped = 0
  for (const candidate of preview.candidates) {
    const id = await issueOne(candidate, {
      batch,
      asOf: input.asOf,
      staffId: input.staffId,
      office,
    })
    if (id === null) skipped++
    else createdIds.push(id)
    await onProgress?.(createdIds.length + skipped, preview.candidates.length)
  }
  return { batch, createdIds, skipped }
}

async function issueOne(
  candidate: ReminderCandidate,
  context: { batch: string; asOf: string; staffId: number | null; office: LetterheadData }
): Promise<number | null> {
  let storedPath: string | null = null
  try {
    return await db.transaction(async (trx) => {
      /* Serialises two runs for one taxpayer (PostgreSQL); SQLite has one writer anyway. */
      await trx.from('fees_taxpayers').where('id', candidate.taxpayerId).forUpdate().first()
      const demanded = await demandedCheck(trx, candidate.taxpayerId)
      if (
        candidate.installments.some((row) =>
          demanded({ id: row.installmentId, assessmentId: row.assessmentId, due: row.due })
        )
      )
        return null

      const number = await nextNumber(trx, context.asOf.slice(0, 4))
      const [inserted] = await trx
        .table('fees_reminders')
        .insert({
          taxpayer_id: candidate.taxpayerId,
          number,
          batch: context.batch,
          issued_on: context.asOf,
          arrears_gr: candidate.arrearsGr,
          interest_gr: candidate.interestGr,
          cost_gr: candidate.costGr,
          installment_ids: candidate.installments.map((row) => row.installmentId).join(','),
          pdf_path: null,
          status: 'issued',
          posted_on: null,
          created_at: new Date(),
        })
        .returning('id')
      const id = Number(typeof inserted === 'object' ? inserted.id : inserted)
      if (candidate.costGr > 0)
        await insertLedgerEntry(trx, {
          taxpayerId: candidate.taxpayerId,
          kind: 'reminder_cost',
          reminderId: id,
          amountGr: candidate.costGr,
          bookedOn: context.asOf,
          description: `Koszty upomnienia ${number}`,
          staffId: context.staffId,
        })

      const taxpayer = (await taxpayers.find(candidate.taxpayerId, trx))!
      const pdf = await renderReminder({
        number,
        issuedOn: context.asOf,
        office: context.office,
        taxpayer,
        members: taxpayer.kind === 'joint' ? await taxpayers.members(taxpayer.id) : [],
        installments: candidate.installments,
        arrearsGr: candidate.arrearsGr,
        interestGr: candidate.interestGr,
        costGr: candidate.costGr,
      })
      storedPath = await storeDocument('reminders', pdf)
      await trx.from('fees_reminders').where('id', id).update({ pdf_path: storedPath })

      const subject = `Upomnienie ${number}`
      const text =
        `Dzień dobry,\n\n${context.office.name} wystawił upomnienie nr ${number} z dnia ` +
        `${polishDate(context.asOf)}. Zaległość: ${formatMoney(candidate.arrearsGr)}, odsetki za ` +
        `zwłokę na ten dzień: ${formatMoney(candidate.interestGr)}, koszty upomnienia: ` +
        `${formatMoney(candidate.costGr)}, razem do zapłaty: ${formatMoney(candidate.totalGr)}.\n\n` +
        `Prosimy o zapłatę w terminie 7 dni od doręczenia upomnienia, które wysyłamy pocztą. ` +
        `Szczegóły i dane do przelewu są w e-BOK w zakładce „Moje podatki i opłaty”.`
      for (const resident of await residentsOf(candidate.taxpayerId, trx))
        await residentInbox.send(
          {
            residentId: resident,
            subject,
            body: text,
            link: '/konto/podatki',
            idempotencyKey: `fees.reminder.${id}.resident.${resident}`,
          },
          trx
        )
      if (candidate.email)
        await outbox.enqueueEmail(
          {
            to: candidate.email,
            subject,
            text,
            idempotencyKey: `fees.reminder.${id}.email`,
            related: { type: 'fees_reminder', id },
          },
          trx
        )
      return id
    })
  } catch (error) {
    await removeDocument(storedPath)
    throw error
  }
}

/** Residents linked to the taxpayer or, for a joint taxpayer, to one of its members. */
async function residentsOf(taxpayerId: number, client: QueryClientContract): Promise<number[]> {
  const members = client
    .from('fees_taxpayer_members')
    .where('joint_id', taxpayerId)
    .select('member_id')
  const rows = await client
    .from('fees_taxpayer_links')
    .where((query) => query.where('taxpayer_id', taxpayerId).orWhereIn('taxpayer_id', members))
    .distinct('resident_id')
    .orderBy('resident_id')
  return rows.map((row) => Number(row.resident_id))
}

interface ReminderLetter {
  number: string
  issuedOn: string
  office: LetterheadData
  taxpayer: TaxpayerRow
  members: TaxpayerRow[]
  installments: DemandedInstallment[]
  arrearsGr: number
  interestGr: number
  costGr: number
}

async function renderReminder(letter: ReminderLetter): Promise<Buffer> {
  const { office, taxpayer } = letter
  const authority = taxAuthority(office.name)
  const totalGr = letter.arrearsGr + letter.interestGr + letter.costGr
  const pdf = new PdfDocument({
    title: `Upomnienie ${letter.number}`,
    subject: 'Upomnienie przed wszczęciem egzekucji administracyjnej',
    office,
    createdAt: new Date(`${letter.issuedOn}T08:00:00Z`),
  })
  pdf.caseSign(`Znak sprawy: ${letter.number}`).placeAndDate(letter.issuedOn)
  printAddressee(pdf, taxpayer, letter.members)
  pdf.title(`UPOMNIENIE\nnr ${letter.number}`)
  pdf.paragraph(
    `Na podstawie art. 15 § 1 ustawy z dnia 17 czerwca 1966 r. o postępowaniu egzekucyjnym w ` +
      `administracji ${authority.nominative} jako wierzyciel wzywa do zapłaty, w terminie 7 dni ` +
      `od dnia doręczenia niniejszego upomnienia, zaległości wymienionych poniżej wraz z ` +
      `odsetkami za zwłokę i kosztami upomnienia.`
  )
  if (letter.members.length) pdf.paragraph(jointLiabilitySentence(letter.members, 'całą zaległość'))
  pdf.table(
    [
      { header: 'Należność', width: 3.2 },
      { header: 'Termin płatności', width: 1.7 },
      { header: 'Zaległość', width: 1.6, money: true },
      { header: `Odsetki na ${formatDate(letter.issuedOn)}`, width: 1.7, money: true },
      { header: 'Razem', width: 1.6, money: true },
    ],
    letter.installments.map((row) => [
      row.label,
      formatDate(row.due),
      row.outstandingGr,
      row.interestGr,
      row.outstandingGr + row.interestGr,
    ]),
    {
      caption: 'Zaległości',
      totalRow: [
        'Razem',
        '',
        letter.arrearsGr,
        letter.interestGr,
        letter.arrearsGr + letter.interestGr,
      ],
    }
  )
  pdf.table(
    [
      { header: 'Do zapłaty', width: 4 },
      { header: 'Kwota', width: 1.6, money: true },
    ],
    [
      ['Zaległość podatkowa', letter.arrearsGr],
      [`Odsetki za zwłokę na dzień ${polishDate(letter.issuedOn)}`, letter.interestGr],
      ['Koszty upomnienia', letter.costGr],
    ],
    { totalRow: ['Razem do zapłaty', totalGr] }
  )
  pdf.paragraph(
    'Odsetki za zwłokę rosną do dnia zapłaty: przy wpłacie po dniu wystawienia upomnienia ' +
      'należy je doliczyć (kwotę na dany dzień podamy w urzędzie i pokazuje ją e-BOK). Wpłata ' +
      'pokrywa najpierw koszty upomnienia, a następnie zaległość i odsetki w proporcji, w jakiej ' +
      'pozostają do siebie (art. 55 § 2 ustawy – Ordynacja podatkowa).'
  )
  pdf.paragraph(
    'Jeżeli należność nie zostanie zapłacona w terminie 7 dni od doręczenia upomnienia, ' +
      'zostanie wystawiony tytuł wykonawczy i wszczęte postępowanie egzekucyjne w ' +
      'administracji, którego kosztami zostanie obciążony zobowiązany.',
    { bold: true, align: 'left' }
  )
  await printPaymentBlock(pdf, office, taxpayer, {
    intro: 'Wpłaty należy dokonać na indywidualny rachunek podatnika:',
    amountGr: totalGr,
    title: `Upomnienie ${letter.number}`,
    qrCaption: 'Kod QR do przelewu całej kwoty',
  })
  pdf.signature([`z up. ${authority.genitive}`, '', '(podpis osoby upoważnionej)'])
  pdf.note(
    'Pouczenie: na upomnienie nie przysługuje odwołanie. Zarzuty w sprawie prowadzenia ' +
      'egzekucji można wnieść po doręczeniu odpisu tytułu wykonawczego. W razie wątpliwości ' +
      `prosimy o kontakt z urzędem: tel. ${office.phone}, e-mail ${office.email}.`
  )
  return pdf.toBuffer()
}

/** The reminder letter: the stored file, or printed again from the ledger when missing. */
export async function reminderPdf(
  reminderId: number,
  options: { regenerate?: boolean } = {}
): Promise<Buffer> {
  const reminder = await db.from('fees_reminders').where('id', reminderId).first()
  if (!reminder) throw new ReminderNotFoundError(reminderId)
  return keptDocument({
    folder: 'reminders',
    table: 'fees_reminders',
    row: reminder,
    regenerate: options.regenerate,
    render: () => printReminder(reminderId, reminder),
  })
}

/** Prints a reminder letter again from the ledger as of its date. */
async function printReminder(reminderId: number, reminder: any): Promise<Buffer> {
  const taxpayerId = Number(reminder.taxpayer_id)
  const ids = parseIds(String(reminder.installment_ids))
  const [taxpayer, office, ledger, numbers] = await Promise.all([
    taxpayers.find(taxpayerId),
    officeProfileService.get(),
    ledgerOf(taxpayerId, reminder.issued_on),
    db
      .from('fees_installments as i')
      .join('fees_assessments as a', 'a.id', 'i.assessment_id')
      .whereIn('i.id', ids)
      .select('i.id', 'a.number'),
  ])
  if (!taxpayer || !office) throw new ReminderNotFoundError(reminderId)
  const numberOf = new Map(numbers.map((row) => [Number(row.id), String(row.number)]))
  return renderReminder({
    number: reminder.number,
    issuedOn: reminder.issued_on,
    office,
    taxpayer,
    members: taxpayer.kind === 'joint' ? await taxpayers.members(taxpayerId) : [],
    installments: ledger.installments
      .filter((row) => ids.includes(row.id))
      .map((row) => ({
        installmentId: row.id,
        assessmentId: row.assessmentId,
        label: `${numberOf.get(row.id) ?? ''}, rata ${row.number}`,
        due: row.due,
        daysOverdue: daysBetween(row.due, reminder.issued_on),
        outstandingGr: row.outstandingGr,
        interestGr: row.interestGr,
      })),
    arrearsGr: Number(reminder.arrears_gr),
    interestGr: Number(reminder.interest_gr),
    costGr: Number(reminder.cost_gr),
  })
}

/** The list for posting (zestawienie do wysyłki) of a batch. */
export async function batchReminders(batch: string): Promise<ReminderListRow[]> {
  const rows = await db
    .from('fees_reminders as r')
    .join('fees_taxpayers as t', 't.id', 'r.taxpayer_id')
    .where('r.batch', batch)
    .orderBy('r.id')
    .select('r.*', 't.name', 't.street', 't.postal_code', 't.city')
  return rows.map((row) => {
    const arrearsGr = Number(row.arrears_gr)
    const interestGr = Number(row.interest_gr)
    const costGr = Number(row.cost_gr)
    return {
      id: Number(row.id),
      number: row.number,
      taxpayerId: Number(row.taxpayer_id),
      addressee: row.name,
      address: [row.street, [row.postal_code, row.city].filter(Boolean).join(' ')]
        .filter(Boolean)
        .join(', '),
      issuedOn: row.issued_on,
      arrearsGr,
      interestGr,
      costGr,
      totalGr: arrearsGr + interestGr + costGr,
      status: row.status,
      postedOn: row.posted_on,
    }
  })
}

/** Recent batches with how many reminders each has and how many were posted. */
export async function recentBatches(limit = 20) {
  const rows = await db
    .from('fees_reminders')
    .groupBy('batch')
    .select('batch')
    .min('issued_on as issued_on')
    .count('* as total')
    .select(db.raw("sum(case when status = 'issued' then 0 else 1 end) as posted"))
    .orderBy('batch', 'desc')
    .limit(limit)
  return rows.map((row) => ({
    batch: String(row.batch),
    issuedOn: String(row.issued_on),
    total: Number(row.total),
    posted: Number(row.posted ?? 0),
  }))
}

/** Marks the batch's reminders handed to the post; returns how many changed. */
export async function markBatchPosted(batch: string, postedOn: string): Promise<number> {
  const changed = await db
    .from('fees_reminders')
    .where({ batch, status: 'issued' })
    .update({ status: 'posted', posted_on: postedOn })
  return Number(Array.isArray(changed) ? changed.length : changed)
}
