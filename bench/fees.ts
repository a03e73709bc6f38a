/*
 * Fees benchmark data and in-process measurements (issue 4 targets), run by scripts/bench.sh
 * and bench/run.ts as a child process with the bench's environment (RATUSZ_DATA, APP_KEY …):
 *
 *   node --import=@poppinss/ts-exec bench/fees.ts seed      20,000 taxpayers, each with a
 *        yearly decision of 4 installments and the payments of their habit (on time, partly,
 *        in arrears), written with multi-row inserts in one transaction (bench data: raw
 *        inserts are fine here; the demo seeder goes through the services);
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

async function seed() {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { searchName } = await import('#fees/services/taxpayers')
  const { installmentSchedule } = await import('#fees/services/installment_schedule')
  const { virtualAccountNumber } = await import('#payments/services/transfer_data')

  const started = performance.now()
  const office = await db.from('office_profiles').orderBy('id').first()
  if (!office) throw new Error('no office profile: run ace demo:seed first')
  /* Explicit ids after the demo's: the account number is derived from the taxpayer id. */
  const lastTaxpayer = await db.from('fees_taxpayers').max('id as id').first()
  const lastAssessment = await db.from('fees_assessments').max('id as id').first()
  const first = Number(lastTaxpayer?.id ?? 0) + 1
  const firstAssessment = Number(lastAssessment?.id ?? 0) + 1
  const now = new Date()
  const dues = installmentSchedule({ kind: 'property-individual', year: YEAR, totalGr: 40_000 })
  const counts = { taxpayers: 0, installments: 0, payments: 0 }

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
      for (let index = chunk; index < Math.min(TAXPAYERS, chunk + 2000); index++) {
        const id = first + index
        const assessmentId = firstAssessment + index
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
        const totalGr = quarter * 4
        assessments.push({
          id: assessmentId,
          taxpayer_id: id,
          kind: 'property-individual',
          year: YEAR,
          number: `FN.3120.B${index}.${YEAR}`,
          title: `Łączne zobowiązanie pieniężne na rok ${YEAR}`,
          total_gr: totalGr,
          status: 'active',
          issued_on: `${YEAR}-02-09`,
          delivered_on: `${YEAR}-02-20`,
          created_at: now,
          updated_at: now,
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
        })
        dues.forEach((due, number) => {
          installments.push({
            assessment_id: assessmentId,
            taxpayer_id: id,
            number: number + 1,
            statutory_due: due.statutoryDue,
            due: due.due,
            amount_gr: quarter,
            exists_from: `${YEAR}-02-09`,
          })
        })
        /* 7 in 10 pay each installment on time, 2 pay the first two, 1 pays the first one late */
        const habit = index % 10
        const paid = habit < 7 ? dues : habit < 9 ? dues.slice(0, 2) : dues.slice(0, 1)
        paid.forEach((due, number) => {
          payments.push({
            taxpayer_id: id,
            amount_gr: habit === 8 && number === 1 ? quarter / 2 : quarter,
            paid_on:
              habit === 9 ? `${YEAR}-04-${String(10 + (index % 15)).padStart(2, '0')}` : due.due,
            source: 'bank',
            title: `Podatek ${YEAR} rata ${number + 1}`,
            named_assessment_id: null,
            idempotency_key: `bench:${index}:${number}`,
            created_at: now,
          })
        })
      }
      await batch('fees_taxpayers', taxpayers)
      await batch('fees_assessments', assessments)
      await batch('fees_assessment_lines', lines)
      await batch('fees_installments', installments)
      await batch('fees_payments', payments)
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
