/*
 * Fees benchmark data and in-process measurements (issue 4 targets), run by scripts/bench.sh
 * and bench/run.ts as a child process with the bench's environment (RATUSZ_DATA, APP_KEY …):
 *
 *   node --import=@poppinss/ts-exec bench/fees.ts seed      20,000 taxpayers, each with a
 *        yearly decision of 4 installments and the payments of their habit (see HABITS:
 *        on time, refunded overpayment, corrected decisions, write-offs, reminders with their
 *        costs; 3 in 10 in arrears), written with multi-row inserts in one transaction (bench
 *        data: raw inserts are fine here; the demo seeder goes through the services, and the
 *        figures reminders print come from the app's own replayLedger);
 *   node --import=@poppinss/ts-exec bench/fees.ts measure   times allLedgers(asOf) — every
 *        balance and the interest as of one date — and taxpayers.search by name prefix
 *        (20 concurrent callers), and prints one JSON line.
 *
 * BENCH_FEES_TAXPAYERS overrides the 20,000.
 */
import { performance } from 'node:perf_hooks'
import { ratuszIgnitor } from '../bin/ignitor.js'
import { SURNAMES } from '../app/core/services/polish_names.js'

const TAXPAYERS = Number(process.env.BENCH_FEES_TAXPAYERS || 20_000)
const AS_OF = '2026-11-24'
const YEAR = 2026
const SEARCH_CALLS = 2000
const SEARCH_CONCURRENCY = 20

const FIRST = ['Jan', 'Anna', 'Piotr', 'Maria', 'Andrzej', 'Ewa', 'Tomasz', 'Zofia', 'Marek']
const PREFIXES = ['now', 'kowal', 'wis', 'woj', 'kam', 'lew', 'zie', 'szy', 'maz', 'kr', 'p', 'ja']

async function boot() {
  const app = ratuszIgnitor().createApp('console')
  await app.init()
  await app.boot()
  await app.start(async () => {})
  return app
}

/* Rows of one taxpayer's account, with the ids the ledger entries and reminders refer to. */
interface Account {
  installments: Array<{
    id: number
    assessment_id: number
    taxpayer_id: number
    number: number
    statutory_due: string
    due: string
    amount_gr: number
    exists_from: string
  }>
  payments: Array<{ amountGr: number; paidOn: string; title: string }>
}

/*
 * HABITS: twenty, one per taxpayer by index % 20 (3 in 10 end in arrears on AS_OF, 2026-11-24,
 * when all four installments are due):
 *    0–9  pay each installment on its day;
 *    10   overpay the last one by 50 zł and get it refunded on request;
 *    11   get a decision raising the tax from 1 July (issued 10 July) and pay what it asks;
 *    12   pay three installments, the fourth is written off (remission);
 *    13   miss the second, get a reminder (with its cost) and pay it all ten days later;
 *  in arrears:
 *    14   pay half of the second and get a reminder for the rest;
 *    15   stop after two and get a reminder for the third;
 *    16   pay the first one late, then nothing;
 *    17   pay two, half of the third is written off, the rest stays unpaid;
 *    18   get a decision lowering the tax from 1 May (issued 10 May) and skip its last one;
 *    19   pay the first only and get a reminder for the second and third.
 */
const REMINDER_COST_GR = 1600
const REFUND_GR = 5000

async function seed() {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { searchName } = await import('#fees/services/taxpayers')
  const { installmentSchedule } = await import('#fees/services/installment_schedule')
  const { correctedInstallments } = await import('#fees/services/assessments')
  const { replayLedger } = await import('#fees/services/ledger')
  const { interestRulesAt } = await import('#fees/services/ledger_store')
  const { virtualAccountNumber } = await import('#payments/services/transfer_data')

  const started = performance.now()
  const office = await db.from('office_profiles').orderBy('id').first()
  if (!office) throw new Error('no office profile: run ace demo:seed first')
  /* Explicit ids after the demo's: account numbers derive from the taxpayer id, entries name installments. */
  const maxId = async (table: string) => {
    const row = await db.from(table).max('id as id').first()
    return Number(row?.id ?? 0)
  }
  const first = (await maxId('fees_taxpayers')) + 1
  const firstAssessment = (await maxId('fees_assessments')) + 1
  let nextInstallment = (await maxId('fees_installments')) + 1
  let nextReminder = (await maxId('fees_reminders')) + 1
  const now = new Date()
  const kind = 'property-individual' as const
  const schedule = (totalGr: number) =>
    installmentSchedule({ kind, year: YEAR, totalGr, delivered: `${YEAR}-02-20` })
  const rulesOn = new Map<string, Awaited<ReturnType<typeof interestRulesAt>>>()
  for (const day of [`${YEAR}-06-15`, `${YEAR}-10-01`]) rulesOn.set(day, await interestRulesAt(day))
  const counts = {
    taxpayers: 0,
    installments: 0,
    payments: 0,
    corrections: 0,
    reminders: 0,
    writeOffs: 0,
    refunds: 0,
  }

  await db.transaction(async (trx) => {
    const batch = async (table: string, rows: object[]) => {
      for (let start = 0; start < rows.length; start += 400)
        await trx.table(table).multiInsert(rows.slice(start, start + 400))
    }
    for (let chunk = 0; chunk < TAXPAYERS; chunk += 2000) {
      const taxpayers: object[] = []
      const assessments: object[] = []
      const lines: object[] = []
      const installments: object[] = []
      const payments: object[] = []
      const entries: object[] = []
      const reminders: object[] = []
      for (let index = chunk; index < Math.min(TAXPAYERS, chunk + 2000); index++) {
        const id = first + index
        const habit = index % 20
        const name = `${SURNAMES[index % SURNAMES.length]} ${FIRST[(index * 7) % FIRST.length]} ${index}`
        taxpayers.push({
          id,
          kind: 'individual',
          name,
          search_name: searchName(name),
          street: `Przykładowo ${1 + (index % 300)}`,
          postal_code: '12-345',
          city: 'Przykładowo',
          account_number: virtualAccountNumber(office.bank_account, id),
          external_id: `BENCH-${index}`,
          created_at: now,
          updated_at: now,
        })
        /* 200–2,000 zł a year, whole złoty, in four installments */
        const quarter = (50 + (index % 450)) * 100
        const decision = (
          assessmentId: number,
          totalGr: number,
          extra: Record<string, unknown> = {}
        ) => {
          assessments.push({
            id: assessmentId,
            taxpayer_id: id,
            kind,
            year: YEAR,
            number: `FN.3120.B${index}.${YEAR}`,
            title: `Łączne zobowiązanie pieniężne na rok ${YEAR}`,
            total_gr: totalGr,
            status: 'active',
            replaces_id: null,
            effective_from: null,
            issued_on: `${YEAR}-02-09`,
            delivered_on: `${YEAR}-02-20`,
            created_at: now,
            updated_at: now,
            ...extra,
          })
          lines.push({
            assessment_id: assessmentId,
            position: 1,
            tax: 'property',
            category: 'building_residential',
            description: 'Dom jednorodzinny',
            unit: 'm2',
            base_e4: Math.round((totalGr / 1.15) * 100),
            rate_e4: 1_1500,
            amount_gr: totalGr,
            months: 12,
          })
        }
        const account: Account = { installments: [], payments: [] }
        const original = firstAssessment + index
        for (const due of schedule(quarter * 4))
          account.installments.push({
            id: nextInstallment++,
            assessment_id: original,
            taxpayer_id: id,
            number: due.number,
            statutory_due: due.statutoryDue,
            due: due.due,
            amount_gr: due.amountGr,
            exists_from: `${YEAR}-02-09`,
          })
        const pay = (amountGr: number, paidOn: string, what = 'rata') =>
          account.payments.push({ amountGr, paidOn, title: `Podatek ${YEAR} ${what}` })
        const due = (number: number) => account.installments[number - 1].due
        const entry = (
          entryKind: 'write_off' | 'refund' | 'reminder_cost',
          amountGr: number,
          bookedOn: string,
          description: string,
          extra: Record<string, unknown> = {}
        ) =>
          entries.push({
            taxpayer_id: id,
            kind: entryKind,
            installment_id: null,
            reminder_id: null,
            amount_gr: amountGr,
            booked_on: bookedOn,
            description,
            staff_id: null,
            created_at: now,
            ...extra,
          })

        /* A correction (decyzja zmieniająca): the old decision is replaced from its issue day. */
        if (habit === 11 || habit === 18) {
          const [effectiveFrom, issuedOn, totalGr] =
            habit === 11
              ? [`${YEAR}-07-01`, `${YEAR}-07-10`, quarter * 4 + 8000]
              : [`${YEAR}-05-01`, `${YEAR}-05-10`, quarter * 4 - 4000]
          const corrected = firstAssessment + TAXPAYERS + index
          decision(original, quarter * 4, { status: 'replaced' })
          decision(corrected, totalGr, {
            number: `FN.3120.B${index}-Z.${YEAR}`,
            title: `Łączne zobowiązanie pieniężne na rok ${YEAR} — zmiana od ${effectiveFrom}`,
            replaces_id: original,
            effective_from: effectiveFrom,
            issued_on: issuedOn,
            delivered_on: issuedOn,
          })
          const kept = correctedInstallments({
            previous: account.installments.map((row) => ({
              number: row.number,
              statutoryDue: row.statutory_due,
              due: row.due,
              amountGr: row.amount_gr,
              existsFrom: row.exists_from,
            })),
            newSchedule: schedule(totalGr),
            newTotalGr: totalGr,
            effectiveFrom,
            issuedOn,
          })
          const before = account.installments.filter((row) => row.due < issuedOn)
          for (const row of before) pay(row.amount_gr, row.due)
          account.installments.push(
            ...kept.map((row) => ({
              id: nextInstallment++,
              assessment_id: corrected,
              taxpayer_id: id,
              number: row.number,
              statutory_due: row.statutoryDue,
              due: row.due,
              amount_gr: row.amountGr,
              exists_from: row.existsFrom,
            }))
          )
          const owed = kept.filter((row) => row.due >= issuedOn)
          for (const row of habit === 11 ? owed : owed.slice(0, -1)) pay(row.amountGr, row.due)
          counts.corrections++
        } else decision(original, quarter * 4)

        const reminder = (issuedOn: string, demanded: number[]) => {
          const rules = rulesOn.get(issuedOn)!
          /* The figures the reminder printed: the ledger as of its day, over the rows so far. */
          const ledger = replayLedger({
            asOf: issuedOn,
            rules,
            charges: [],
            installments: account.installments.map((row) => ({
              id: row.id,
              assessmentId: row.assessment_id,
              number: row.number,
              due: row.due,
              amountGr: row.amount_gr,
              existsFrom: row.exists_from,
            })),
            payments: account.payments.map((payment, n) => ({
              id: n + 1,
              amountGr: payment.amountGr,
              paidOn: payment.paidOn,
              namedAssessmentId: null,
            })),
          })
          const ids = demanded.map((number) => account.installments[number - 1].id)
          const states = ledger.installments.filter((row) => ids.includes(row.id))
          const reminderId = nextReminder++
          const number = `FN.3122.B${index}.${YEAR}`
          reminders.push({
            id: reminderId,
            taxpayer_id: id,
            number,
            batch: `${issuedOn.replace(/-/g, '')}-7`,
            issued_on: issuedOn,
            arrears_gr: states.reduce((sum, row) => sum + row.outstandingGr, 0),
            interest_gr: states.reduce((sum, row) => sum + row.interestGr, 0),
            cost_gr: REMINDER_COST_GR,
            installment_ids: ids.join(','),
            pdf_path: null,
            status: 'posted',
            posted_on: issuedOn,
            created_at: now,
          })
          entry('reminder_cost', REMINDER_COST_GR, issuedOn, `Koszty upomnienia ${number}`, {
            reminder_id: reminderId,
          })
          counts.reminders++
        }
        const writeOff = (number: number, amountGr: number, bookedOn: string) => {
          entry(
            'write_off',
            amountGr,
            bookedOn,
            `Umorzenie zaległości, decyzja FN.3125.B${index}`,
            {
              installment_id: account.installments[number - 1].id,
            }
          )
          counts.writeOffs++
        }

        switch (habit) {
          case 10:
            ;[1, 2, 3].forEach((n) => pay(quarter, due(n)))
            pay(quarter + REFUND_GR, due(4))
            entry('refund', REFUND_GR, `${YEAR}-11-20`, 'Zwrot nadpłaty na wniosek')
            counts.refunds++
            break
          case 11:
          case 18:
            break
          case 12:
            ;[1, 2, 3].forEach((n) => pay(quarter, due(n)))
            writeOff(4, quarter, `${YEAR}-11-20`)
            break
          case 13:
            pay(quarter, due(1))
            reminder(`${YEAR}-06-15`, [2])
            pay(quarter + REMINDER_COST_GR + 2000, `${YEAR}-06-25`, 'rata 2 z kosztami upomnienia')
            ;[3, 4].forEach((n) => pay(quarter, due(n)))
            break
          case 14:
            pay(quarter, due(1))
            pay(quarter / 2, due(2))
            reminder(`${YEAR}-06-15`, [2])
            break
          case 15:
            ;[1, 2].forEach((n) => pay(quarter, due(n)))
            reminder(`${YEAR}-10-01`, [3])
            break
          case 16:
            pay(quarter, `${YEAR}-04-${String(10 + (index % 15)).padStart(2, '0')}`)
            break
          case 17:
            ;[1, 2].forEach((n) => pay(quarter, due(n)))
            writeOff(3, Math.floor(quarter / 200) * 100, `${YEAR}-10-20`)
            break
          case 19:
            pay(quarter, due(1))
            reminder(`${YEAR}-10-01`, [2, 3])
            break
          default:
            ;[1, 2, 3, 4].forEach((n) => pay(quarter, due(n)))
        }

        installments.push(...account.installments)
        account.payments.forEach((payment, n) =>
          payments.push({
            taxpayer_id: id,
            amount_gr: payment.amountGr,
            paid_on: payment.paidOn,
            source: 'bank',
            title: payment.title,
            named_assessment_id: null,
            idempotency_key: `bench:${index}:${n}`,
            created_at: now,
          })
        )
      }
      await batch('fees_taxpayers', taxpayers)
      await batch('fees_assessments', assessments)
      await batch('fees_assessment_lines', lines)
      await batch('fees_installments', installments)
      await batch('fees_payments', payments)
      await batch('fees_reminders', reminders)
      await batch('fees_ledger_entries', entries)
      counts.taxpayers += taxpayers.length
      counts.installments += installments.length
      counts.payments += payments.length
    }
  })
  return { ...counts, ms: Math.round(performance.now() - started) }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

async function measure() {
  const { allLedgers } = await import('#fees/services/ledger_store')
  const { taxpayers } = await import('#fees/services/taxpayers')

  /* First run cold (what the nightly job and an admin's command see), then warm. */
  const ledgerRuns: number[] = []
  let summary = { taxpayers: 0, installments: 0, inArrears: 0, interestGr: 0 }
  for (let run = 0; run < 3; run++) {
    const started = performance.now()
    const ledgers = await allLedgers(AS_OF)
    ledgerRuns.push(performance.now() - started)
    summary = { taxpayers: ledgers.size, installments: 0, inArrears: 0, interestGr: 0 }
    for (const ledger of ledgers.values()) {
      summary.installments += ledger.installments.length
      if (ledger.totals.arrearsGr > 0) summary.inArrears++
      summary.interestGr += ledger.totals.interestGr
    }
  }

  for (const prefix of PREFIXES) await taxpayers.search(prefix)
  /* The target is the search's own latency (one caller); 20 callers share SQLite's one connection, so their figure is mostly queueing and is printed for information. */
  const sequential: number[] = []
  let results = 0
  for (let call = 0; call < SEARCH_CALLS; call++) {
    const started = performance.now()
    const found = await taxpayers.search(PREFIXES[call % PREFIXES.length])
    sequential.push(performance.now() - started)
    results += found.length
  }
  const concurrent: number[] = []
  let next = 0
  const worker = async () => {
    while (next < SEARCH_CALLS) {
      const prefix = PREFIXES[next++ % PREFIXES.length]
      const started = performance.now()
      await taxpayers.search(prefix)
      concurrent.push(performance.now() - started)
    }
  }
  await Promise.all(Array.from({ length: SEARCH_CONCURRENCY }, worker))
  sequential.sort((a, b) => a - b)
  concurrent.sort((a, b) => a - b)
  const round = (value: number) => Number(value.toFixed(2))
  return {
    asOf: AS_OF,
    allLedgers: {
      firstMs: Math.round(ledgerRuns[0]),
      bestMs: Math.round(Math.min(...ledgerRuns)),
      runsMs: ledgerRuns.map(Math.round),
      ...summary,
    },
    search: {
      calls: SEARCH_CALLS,
      avgResults: Number((results / SEARCH_CALLS).toFixed(1)),
      p50Ms: round(percentile(sequential, 50)),
      p99Ms: round(percentile(sequential, 99)),
      maxMs: round(sequential[sequential.length - 1]),
      concurrency: SEARCH_CONCURRENCY,
      concurrentP50Ms: round(percentile(concurrent, 50)),
      concurrentP99Ms: round(percentile(concurrent, 99)),
    },
  }
}

const command = process.argv[2]
if (command !== 'seed' && command !== 'measure') {
  console.error('usage: bench/fees.ts seed|measure')
  process.exit(2)
}
const app = await boot()
try {
  const result = command === 'seed' ? await seed() : await measure()
  process.stdout.write(JSON.stringify(result) + '\n')
} finally {
  await app.terminate()
}
