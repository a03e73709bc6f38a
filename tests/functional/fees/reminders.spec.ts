import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import ratuszConfig from '#config/ratusz'
import { formatNrb } from '#core/services/formatting'
import { formatMoney } from '#core/services/money'
import { accountStatement } from '#fees/services/account_statement'
import { bookings } from '#fees/services/bookings'
import { ledgerOf } from '#fees/services/ledger_store'
import {
  ReminderError,
  batchId,
  issueReminders,
  reminderPdf,
  remindersPreview,
} from '#fees/services/reminders'
import { taxpayers } from '#fees/services/taxpayers'
import { correctTaxDecision } from '#fees/services/assessments'
import {
  addTaxObject,
  financeClerk,
  letterPng,
  oneLine,
  pdfText,
  staffPost,
  taxpayerWithDecision,
} from '#tests/fees_fixtures'
import { makeResident, makeStaff, resetSharedState, withOffice } from '#tests/helpers'
import { backgroundTasks } from '#core/services/background_tasks'
import { REMINDERS_ISSUE_TASK } from '#fees/services/reminders_task'

const AS_OF = '2026-06-20'
/* The form as the clerk fills it in: reminders for installments more than 40 days late. */
const CRITERIA_40 = { 'na-dzien': AS_OF, 'dni': '40', 'kwota': '' }

/**
 * Zofia owes every installment of her 2026 decision (1: due 16 March, 96 days
 * late on AS_OF; 2: due 15 May, 36 days late); Bożena paid hers in full in time.
 */
async function scenario() {
  const debtor = await taxpayerWithDecision()
  const payer = await taxpayerWithDecision({
    data: { name: 'Pilna Bożena', pesel: '02270803628', email: null },
  })
  await bookings.bookPayment({
    taxpayerId: payer.taxpayer.id,
    amountGr: 194_500,
    paidOn: '2026-03-02',
    source: 'bank',
    idempotencyKey: 'reminders-test-payer',
  })
  const resident = await makeResident('zofia.wezyk@example.pl')
  await taxpayers.link(debtor.taxpayer.id, resident.id, 'clerk', null)
  return { debtor, payer, resident }
}

/** Follows a form that started a task to the task page, which must show it done. */
async function finishedTask(client: any, user: any, started: any) {
  started.assertStatus(302)
  const location = started.header('location')
  if (!/^\/panel\/zadania\/\d+$/.test(location)) throw new Error(`unexpected redirect ${location}`)
  const page = await client.get(location).signedIn('staff', user)
  page.assertStatus(200)
  if (!page.text().includes('data-task-status="done"'))
    throw new Error(`task not done: ${page.text()}`)
  return page
}

async function count(table: string, where: Record<string, unknown> = {}) {
  const row = await db.from(table).where(where).count('* as total').first()
  return Number(row?.total ?? 0)
}

test.group('Fees / reminders', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('the preview lists only installments overdue more than N days, with interest and cost', async ({
    assert,
  }) => {
    const { debtor } = await scenario()
    const statement = (await accountStatement(debtor.taxpayer.id, AS_OF))!
    const [first, second] = statement.assessments[0].installments

    const strict = await remindersPreview({ asOf: AS_OF, minDaysOverdue: 40 })
    assert.lengthOf(strict.candidates, 1)
    const candidate = strict.candidates[0]
    assert.equal(candidate.taxpayerId, debtor.taxpayer.id)
    assert.deepEqual(
      candidate.installments.map((row) => row.installmentId),
      [first.id]
    )
    assert.equal(candidate.installments[0].daysOverdue, 96)
    assert.equal(candidate.arrearsGr, first.outstandingGr)
    assert.equal(candidate.interestGr, first.interestGr)
    assert.equal(candidate.costGr, 1600)
    assert.equal(candidate.totalGr, first.outstandingGr + first.interestGr + 1600)

    const loose = await remindersPreview({ asOf: AS_OF, minDaysOverdue: 30 })
    assert.deepEqual(
      loose.candidates[0].installments.map((row) => row.installmentId),
      [first.id, second.id]
    )
    /* Exactly N days late is not "more than N days". */
    const exact = await remindersPreview({ asOf: AS_OF, minDaysOverdue: 36 })
    assert.lengthOf(exact.candidates[0].installments, 1)
    const none = await remindersPreview({ asOf: AS_OF, minDaysOverdue: 40, minArrearsGr: 50_000 })
    assert.lengthOf(none.candidates, 0)

    await assert.rejects(
      () => remindersPreview({ asOf: '2026-02-30', minDaysOverdue: 1 }),
      ReminderError as any
    )
    await assert.rejects(
      () => remindersPreview({ asOf: AS_OF, minDaysOverdue: -1 }),
      ReminderError as any
    )
  }).timeout(60_000)

  test('issuing writes the reminder, its cost, the letter, the inbox message and the e-mail once', async ({
    assert,
  }) => {
    const { debtor, resident } = await scenario()
    const staff = await financeClerk('fn-kasia')
    const statement = (await accountStatement(debtor.taxpayer.id, AS_OF))!
    const first = statement.assessments[0].installments[0]

    const result = await issueReminders({ asOf: AS_OF, minDaysOverdue: 40, staffId: staff.id })
    assert.equal(result.batch, batchId(AS_OF, 40))
    assert.equal(result.batch, '20260620-40')
    assert.lengthOf(result.createdIds, 1)
    const reminder = await db.from('fees_reminders').where('id', result.createdIds[0]).firstOrFail()
    assert.equal(reminder.number, 'FN.3122.1.2026')
    assert.equal(reminder.status, 'issued')
    assert.equal(reminder.installment_ids, String(first.id))
    assert.equal(Number(reminder.arrears_gr), first.outstandingGr)
    assert.equal(Number(reminder.interest_gr), first.interestGr)
    assert.equal(Number(reminder.cost_gr), 1600)

    const costs = await db.from('fees_ledger_entries').where('reminder_id', reminder.id)
    assert.lengthOf(costs, 1)
    assert.equal(costs[0].kind, 'reminder_cost')
    assert.equal(Number(costs[0].amount_gr), 1600)
    assert.equal(costs[0].booked_on, AS_OF)

    const messages = await db.from('resident_messages').where('resident_id', resident.id)
    assert.lengthOf(messages, 1)
    assert.equal(messages[0].subject, 'Upomnienie FN.3122.1.2026')
    assert.include(messages[0].body, formatMoney(first.outstandingGr))
    const mails = await db
      .from('outbox_messages')
      .where('idempotency_key', `fees.reminder.${reminder.id}.email`)
    assert.lengthOf(mails, 1)
    assert.equal(mails[0].recipient, 'zofia.wezyk@example.pl')

    assert.match(reminder.pdf_path, /^documents\/fees\/reminders\/[0-9a-f]{24}\.pdf$/)
    assert.isTrue(existsSync(join(ratuszConfig.dataDir, reminder.pdf_path)))
    const pdf = await reminderPdf(reminder.id)
    await letterPng(pdf, 'reminder')
    const text = await pdfText(pdf)
    const flat = oneLine(text)
    assert.include(flat, 'UPOMNIENIE')
    assert.include(flat, 'nr FN.3122.1.2026')
    assert.include(flat, 'Źródlana-Wężyk Zofia')
    assert.include(flat, 'w terminie 7 dni')
    assert.include(flat, 'postępowanie egzekucyjne')
    assert.include(flat, formatMoney(first.outstandingGr))
    assert.include(flat, formatMoney(first.interestGr))
    assert.include(flat, '16,00 zł')
    assert.include(flat, formatMoney(first.outstandingGr + first.interestGr + 1600))
    assert.include(flat, formatNrb(debtor.taxpayer.accountNumber))
    assert.include(flat, 'Kod QR do przelewu całej kwoty')

    /* The same run again: nothing new anywhere. */
    const again = await issueReminders({ asOf: AS_OF, minDaysOverdue: 40, staffId: staff.id })
    assert.deepEqual(again.createdIds, [])
    assert.equal(await count('fees_reminders'), 1)
    assert.equal(await count('fees_ledger_entries', { kind: 'reminder_cost' }), 1)
    assert.equal(await count('resident_messages'), 1)
    assert.equal(await count('outbox_messages', { related_type: 'fees_reminder' }), 1)

    /* A looser run later demands only the installment not demanded yet. */
    const later = await issueReminders({ asOf: AS_OF, minDaysOverdue: 30, staffId: staff.id })
    assert.lengthOf(later.createdIds, 1)
    const second = await db.from('fees_reminders').where('id', later.createdIds[0]).firstOrFail()
    assert.equal(second.number, 'FN.3122.2.2026')
    assert.notInclude(second.installment_ids.split(','), String(first.id))
    assert.equal(await count('fees_ledger_entries', { kind: 'reminder_cost' }), 2)
  }).timeout(90_000)

  test('a correction copying a demanded installment does not bring a second reminder', async ({
    assert,
  }) => {
    const { debtor } = await scenario()
    await issueReminders({ asOf: AS_OF, minDaysOverdue: 40, staffId: null })
    await addTaxObject(debtor.taxpayer.id, {
      tax: 'property',
      category: 'building_other',
      description: 'Wiata garażowa',
      baseE4: 18_0000,
      validFrom: '2026-05-10',
    })
    const { assessmentId } = await correctTaxDecision({
      assessmentId: debtor.assessmentId,
      effectiveFrom: '2026-06-01',
      issuedOn: '2026-06-10',
    })
    const copies = await db.from('fees_installments').where('assessment_id', assessmentId)
    const firstCopy = copies.find((row) => row.due === '2026-03-16')!
    const secondCopy = copies.find((row) => row.due === '2026-05-15')!

    const preview = await remindersPreview({ asOf: AS_OF, minDaysOverdue: 30 })
    assert.lengthOf(preview.candidates, 1)
    assert.deepEqual(
      preview.candidates[0].installments.map((row) => row.installmentId),
      [Number(secondCopy.id)]
    )
    /* The copy has a new id: only the lineage check keeps it out. */
    const demanded = await db.from('fees_reminders').firstOrFail()
    assert.notInclude(demanded.installment_ids.split(','), String(firstCopy.id))
    const later = await issueReminders({ asOf: AS_OF, minDaysOverdue: 30, staffId: null })
    assert.lengthOf(later.createdIds, 1)
    assert.equal(await count('fees_ledger_entries', { kind: 'reminder_cost' }), 2)
  }).timeout(60_000)

  test('the reminder cost comes from the dated setting and the next payment pays it first', async ({
    assert,
  }) => {
    const { debtor } = await scenario()
    const now = new Date()
    await db.table('settings').insert({
      key: 'fees.reminder_cost_gr',
      effective_from: '2026-06-01',
      value: '1740',
      created_at: now,
      updated_at: now,
    })
    await issueReminders({ asOf: AS_OF, minDaysOverdue: 40, staffId: null })
    const cost = await db.from('fees_ledger_entries').where('kind', 'reminder_cost').firstOrFail()
    assert.equal(Number(cost.amount_gr), 1740)

    await bookings.bookPayment({
      taxpayerId: debtor.taxpayer.id,
      amountGr: 10_000,
      paidOn: '2026-06-25',
      source: 'bank',
      idempotencyKey: 'reminders-test-after',
    })
    const ledger = await ledgerOf(debtor.taxpayer.id, '2026-06-25')
    assert.equal(ledger.allocations[0].itemKind, 'reminder_cost')
    assert.equal(ledger.allocations[0].principalGr, 1740)
    assert.equal(ledger.reminderCosts[0].outstandingGr, 0)
    assert.equal(ledger.totals.reminderCostsGr, 0)
    const rest = ledger.allocations
      .slice(1)
      .reduce((sum, row) => sum + row.principalGr + row.interestGr, 0)
    assert.equal(rest, 10_000 - 1740)
  }).timeout(60_000)
})

test.group('Fees / reminder pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('form → preview → issue → batch with the list for posting, CSV, PDF and "posted"', async ({
    client,
    assert,
  }) => {
    const { debtor } = await scenario()
    const clerk = await financeClerk('fn-kasia')

    const form = await client.get('/panel/podatki/upomnienia').signedIn('staff', clerk)
    form.assertStatus(200)
    assert.include(form.text(), 'Stan zaległości na dzień')
    assert.equal(form.header('cache-control'), 'no-store')

    /* The form starts a preview task (the sync queue of the tests runs it at once). */
    const started = await staffPost(client, clerk, '/panel/podatki/upomnienia/podglad', CRITERIA_40)
    const previewTask = await finishedTask(client, clerk, started)
    assert.include(previewTask.text(), 'Podatnicy do upomnienia')
    const previewLink = /href="(\/panel\/podatki\/upomnienia\/podglad\/\d+)"/.exec(
      previewTask.text()
    )
    assert.isNotNull(previewLink)
    const preview = await client.get(previewLink![1]).signedIn('staff', clerk)
    preview.assertStatus(200)
    assert.include(preview.text(), 'Źródlana-Wężyk Zofia')
    assert.notInclude(preview.text(), 'Pilna Bożena')
    assert.include(preview.text(), 'Wystaw upomnienia (1)')
    assert.equal(await count('fees_reminders'), 0)

    const invalid = await staffPost(client, clerk, '/panel/podatki/upomnienia/podglad', {
      'na-dzien': '2026-02-30',
      'dni': 'dużo',
    })
    invalid.assertStatus(302)
    const form2 = await client
      .get(invalid.header('location')!)
      .signedIn('staff', clerk)
      .withFlashMessages(invalid.flashMessages())
    form2.assertStatus(200)
    assert.include(form2.text(), 'Podaj datę stanu zaległości')
    assert.include(form2.text(), 'Podaj liczbę dni zwłoki')
    assert.include(form2.text(), 'href="#f-na-dzien"')

    const issued = await staffPost(client, clerk, '/panel/podatki/upomnienia', CRITERIA_40)
    const issueTask = await finishedTask(client, clerk, issued)
    assert.include(issueTask.text(), 'Wystawione upomnienia')
    assert.include(issueTask.text(), 'href="/panel/podatki/upomnienia/partie/20260620-40"')
    const reminder = await db.from('fees_reminders').firstOrFail()
    assert.equal(Number(reminder.taxpayer_id), debtor.taxpayer.id)

    const twice = await staffPost(client, clerk, '/panel/podatki/upomnienia', CRITERIA_40)
    const twiceTask = await finishedTask(client, clerk, twice)
    assert.include(twiceTask.text(), 'Nie wystawiono nowych upomnień')
    assert.equal(await count('fees_reminders'), 1)

    const batch = await client
      .get('/panel/podatki/upomnienia/partie/20260620-40')
      .signedIn('staff', clerk)
    batch.assertStatus(200)
    const total =
      Number(reminder.arrears_gr) + Number(reminder.interest_gr) + Number(reminder.cost_gr)
    for (const expected of [
      'FN.3122.1.2026',
      'Źródlana-Wężyk Zofia',
      'ul. Źródlana 7, 12-345 Testowo',
      formatMoney(total).replace(/ /g, ' '),
      `/panel/podatki/upomnienia/${reminder.id}/pdf`,
      'Oznacz jako nadane (1)',
    ])
      assert.include(batch.text().replace(/&nbsp;|\u00a0/g, ' '), expected)

    const csv = await client
      .get('/panel/podatki/upomnienia/partie/20260620-40/csv')
      .signedIn('staff', clerk)
    csv.assertStatus(200)
    assert.match(
      csv.header('content-disposition') ?? '',
      /^attachment; filename="upomnienia-20260620-40\.csv"/
    )
    assert.equal(csv.header('cache-control'), 'no-store')
    const lines = csv
      .text()
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n')
    assert.equal(lines[0], 'numer;adresat;adres;kwota;status;data_nadania')
    assert.match(
      lines[1],
      /^FN\.3122\.1\.2026;Źródlana-Wężyk Zofia;ul\. Źródlana 7, 12-345 Testowo;\d+,\d{2};wystawione;$/
    )

    const pdf = await client
      .get(`/panel/podatki/upomnienia/${reminder.id}/pdf`)
      .signedIn('staff', clerk)
    pdf.assertStatus(200)
    assert.equal(pdf.header('content-type'), 'application/pdf')
    assert.match(pdf.header('content-disposition') ?? '', /^attachment;/)
    assert.equal(pdf.header('x-content-type-options'), 'nosniff')
    assert.equal(pdf.header('cache-control'), 'no-store')

    const posted = await client
      .post('/panel/podatki/upomnienia/partie/20260620-40/nadane')
      .signedIn('staff', clerk)
      .withCsrfToken()
      .redirects(0)
    posted.assertStatus(302)
    const after = await db.from('fees_reminders').where('id', reminder.id).firstOrFail()
    assert.equal(after.status, 'posted')
    assert.isNotNull(after.posted_on)
    const batchAfter = await client
      .get('/panel/podatki/upomnienia/partie/20260620-40')
      .signedIn('staff', clerk)
    assert.notInclude(batchAfter.text(), 'Oznacz jako nadane')
    assert.include(batchAfter.text(), 'nadane ')
  }).timeout(90_000)

  test('an issue task run again (a retried job) books nothing twice', async ({ assert }) => {
    await scenario()
    const clerk = await financeClerk('fn-kasia')
    const id = await backgroundTasks.start(REMINDERS_ISSUE_TASK, clerk.id, {
      asOf: AS_OF,
      minDaysOverdue: 40,
      minArrearsGr: 0,
      minArrearsText: '',
      actor: { realm: 'staff', id: clerk.id, label: clerk.login },
      ip: null,
    })
    const first = (await backgroundTasks.find(id))!
    assert.equal(first.status, 'done')
    assert.deepEqual([first.summary.created, first.summary.skipped], [1, 0])
    assert.deepEqual([first.done, first.total], [1, 1])
    const before = {
      reminders: await count('fees_reminders'),
      costs: await count('fees_ledger_entries', { kind: 'reminder_cost' }),
      mails: await count('outbox_messages', { related_type: 'fees_reminder' }),
    }
    assert.deepEqual(before, { reminders: 1, costs: 1, mails: 1 })

    /* The queue hands the same task to the worker again. */
    await db.from('background_tasks').where('id', id).update({ status: 'queued' })
    await backgroundTasks.run(id)
    const again = (await backgroundTasks.find(id))!
    assert.equal(again.status, 'done')
    assert.equal(again.summary.created, 0)
    assert.deepEqual(
      {
        reminders: await count('fees_reminders'),
        costs: await count('fees_ledger_entries', { kind: 'reminder_cost' }),
        mails: await count('outbox_messages', { related_type: 'fees_reminder' }),
      },
      before
    )
  })

  test('only the treasurer’s office issues; others get 403, unknown batches and letters 404', async ({
    client,
    assert,
  }) => {
    await scenario()
    const clerk = await financeClerk('fn-kasia')
    await issueReminders({ asOf: AS_OF, minDaysOverdue: 40, staffId: clerk.id })
    const reminder = await db.from('fees_reminders').firstOrFail()
    const manager = await makeStaff('kierownik', ['manager'])
    const otherClerk = await makeStaff('ewidencja', ['clerk'])
    const admin = await makeStaff('admin2', ['admin'])

    /* Managers see, but do not issue or mark. */
    const seen = await client
      .get('/panel/podatki/upomnienia/partie/20260620-40')
      .signedIn('staff', manager)
    seen.assertStatus(200)
    assert.notInclude(seen.text(), 'Oznacz jako nadane')
    for (const user of [manager, otherClerk, admin]) {
      const issue = await staffPost(client, user, '/panel/podatki/upomnienia', {
        'na-dzien': AS_OF,
        'dni': '30',
      })
      issue.assertStatus(403)
      if (user !== manager) {
        const previewed = await staffPost(client, user, '/panel/podatki/upomnienia/podglad', {
          'na-dzien': AS_OF,
          'dni': '30',
        })
        previewed.assertStatus(403)
      }
      const mark = await client
        .post('/panel/podatki/upomnienia/partie/20260620-40/nadane')
        .signedIn('staff', user)
        .withCsrfToken()
        .redirects(0)
      mark.assertStatus(403)
    }
    for (const user of [otherClerk, admin]) {
      for (const url of [
        '/panel/podatki/upomnienia',
        '/panel/podatki/upomnienia/partie/20260620-40',
        '/panel/podatki/upomnienia/partie/20260620-40/csv',
        `/panel/podatki/upomnienia/${reminder.id}/pdf`,
      ]) {
        const response = await client.get(url).signedIn('staff', user)
        assert.equal(response.status(), 403, `${user.login} ${url}`)
      }
    }
    assert.equal(await count('fees_reminders'), 1)
    const unchanged = await db.from('fees_reminders').firstOrFail()
    assert.equal(unchanged.status, 'issued')

    for (const url of [
      '/panel/podatki/upomnienia/partie/20990101-40',
      '/panel/podatki/upomnienia/partie/..%2F..%2Fetc',
      '/panel/podatki/upomnienia/partie/20990101-40/csv',
      '/panel/podatki/upomnienia/987654/pdf',
    ]) {
      const response = await client.get(url).signedIn('staff', clerk)
      assert.equal(response.status(), 404, url)
    }
  }).timeout(90_000)
})
