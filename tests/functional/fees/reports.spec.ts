import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import { makeStaff, resetSharedState, withOffice } from '#tests/helpers'
import { taxpayers } from '#fees/services/taxpayers'
import { issueTaxDecision } from '#fees/services/assessments'
import { bookings } from '#fees/services/bookings'
import { ledgerOf } from '#fees/services/ledger_store'
import { arrearsList, toCsv } from '#fees/services/reports'
import { staffPost } from '#tests/fees_fixtures'

/** A 2026 decision of 1 000 zł (four installments of 250 zł) for an individual owning 800 m² of residential floor. */
async function taxpayerWithDecision(name: string, pesel: string) {
  const now = new Date()
  await db
    .table('fees_tax_rates')
    .insert({
      year: 2026,
      tax: 'property',
      category: 'building_residential',
      label: 'Budynki mieszkalne',
      unit: 'm2',
      rate_e4: 12_500,
      created_at: now,
      updated_at: now,
    })
    .onConflict(['year', 'tax', 'category'])
    .ignore()
  const taxpayer = await taxpayers.create({ kind: 'individual', name, pesel, city: 'Testowo' })
  await db.table('fees_tax_objects').insert({
    taxpayer_id: taxpayer.id,
    tax: 'property',
    category: 'building_residential',
    description: 'Dom mieszkalny',
    location: 'Testowo 1',
    base_e4: 800 * 10_000,
    valid_from: '2020-01-01',
    created_at: now,
    updated_at: now,
  })
  const { assessmentId } = await issueTaxDecision({
    taxpayerId: taxpayer.id,
    year: 2026,
    issuedOn: '2026-02-01',
  })
  return { taxpayer, assessmentId }
}

test.group('Fees / arrears list and daily summary', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test("the arrears list carries each ledger's figures; the paid-up taxpayer is not on it", async ({
    assert,
  }) => {
    const late = await taxpayerWithDecision('Kowalski Jan', '44051401359')
    const paid = await taxpayerWithDecision('Nowak Anna', '02070803628')
    await bookings.bookPayment({
      taxpayerId: late.taxpayer.id,
      amountGr: 10_000,
      paidOn: '2026-03-10',
      source: 'cash',
      idempotencyKey: 'r-1',
    })
    await bookings.bookPayment({
      taxpayerId: paid.taxpayer.id,
      amountGr: 100_000,
      paidOn: '2026-03-10',
      source: 'bank',
      idempotencyKey: 'r-2',
    })

    const rows = await arrearsList({
      asOf: '2026-11-24',
      minDaysOverdue: 0,
      minTotalGr: 0,
      sort: 'total',
    })
    assert.deepEqual(
      rows.map((row) => row.taxpayerId),
      [late.taxpayer.id]
    )
    const ledger = await ledgerOf(late.taxpayer.id, '2026-11-24')
    assert.equal(rows[0].arrearsGr, 90_000)
    assert.equal(rows[0].arrearsGr, ledger.totals.arrearsGr)
    assert.equal(rows[0].interestGr, ledger.totals.interestGr)
    assert.isAbove(rows[0].interestGr, 0)
    assert.equal(rows[0].oldestDue, '2026-03-16')
    assert.equal(rows[0].daysOverdue, 253)

    const longOverdue = await arrearsList({
      asOf: '2026-11-24',
      minDaysOverdue: 300,
      minTotalGr: 0,
      sort: 'total',
    })
    assert.lengthOf(longOverdue, 0)
  })

  test('CSV export: semicolons, decimal comma, BOM, formula cells defused', async ({ assert }) => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['=HYPERLINK("x")', '12,50'],
        ['Kowalski; Jan', 3],
      ]
    )
    assert.isTrue(csv.startsWith('\ufeffa;b\r\n'))
    assert.include(csv, `"'=HYPERLINK(""x"")";12,50`)
    assert.include(csv, '"Kowalski; Jan";3')
  })

  test('pages: the treasurer sees the list, the CSV and the daily summary; the IT administrator does not', async ({
    client,
    assert,
  }) => {
    const treasurer = await makeStaff('skarbnik', ['treasurer'])
    const late = await taxpayerWithDecision('Wiśniewski <b>Piotr</b>', '44051401359')
    await bookings.bookPayment({
      taxpayerId: late.taxpayer.id,
      amountGr: 12_345,
      paidOn: '2026-05-04',
      source: 'cash',
      idempotencyKey: 'r-3',
    })

    /* The form starts a background task (the sync queue of the tests runs it at once). */
    const started = await staffPost(client, treasurer, '/panel/podatki/zaleglosci', {
      'na-dzien': '2026-11-24',
      'dni': '0',
      'kwota': '',
      'sort': 'total',
    })
    started.assertStatus(302)
    const taskPath = started.header('location') ?? ''
    assert.match(taskPath, /^\/panel\/zadania\/\d+$/)
    const taskId = taskPath.split('/').pop()

    const taskPage = await client.get(taskPath).signedIn('staff', treasurer)
    taskPage.assertStatus(200)
    assert.include(taskPage.text(), 'Zaległości na dzień 24.11.2026')
    assert.include(taskPage.text(), 'data-task-status="done"')
    assert.notInclude(taskPage.text(), 'http-equiv="refresh"')
    assert.include(taskPage.text(), '876,55 zł')

    const page = await client
      .get(`/panel/podatki/zaleglosci/zestawienie/${taskId}`)
      .signedIn('staff', treasurer)
    page.assertStatus(200)
    assert.include(page.text(), 'Wiśniewski &lt;b&gt;Piotr&lt;/b&gt;')
    assert.include(page.text(), '876,55 zł')

    const csv = await client.get(`${taskPath}/pobierz`).signedIn('staff', treasurer)
    csv.assertStatus(200)
    assert.match(
      csv.header('content-disposition') ?? '',
      /attachment; filename="zaleglosci-2026-11-24.csv"/
    )
    assert.equal(csv.header('x-content-type-options'), 'nosniff')
    assert.match(csv.header('content-type') ?? '', /^text\/csv/)
    assert.include(csv.text(), ';876,55;')

    const daily = await client
      .get('/panel/podatki/zestawienie-dzienne?dzien=2026-05-04')
      .signedIn('staff', treasurer)
    daily.assertStatus(200)
    assert.include(daily.text(), 'Kasa urzędu')
    assert.include(daily.text(), '123,45 zł')

    const bad = await staffPost(
      client,
      treasurer,
      '/panel/podatki/zaleglosci',
      { 'na-dzien': '2026-02-31', 'dni': 'x' },
      '/panel/podatki/zaleglosci'
    )
    bad.assertStatus(302)
    assert.deepEqual(bad.flashMessages().inputErrorsBag, {
      'na-dzien': 'Podaj datę w formacie RRRR-MM-DD.',
      'dni': 'Liczba dni zwłoki musi być liczbą całkowitą od 0.',
    })

    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const denied = await client.get('/panel/podatki/zaleglosci').signedIn('staff', admin)
    denied.assertStatus(403)
    /* The task, its list and its file: only its owner, and only with the right to see tax data. */
    for (const path of [
      taskPath,
      `${taskPath}/pobierz`,
      `/panel/podatki/zaleglosci/zestawienie/${taskId}`,
    ]) {
      const asAdmin = await client.get(path).signedIn('staff', admin)
      assert.oneOf(asAdmin.status(), [403, 404], path)
      const otherTreasurer = await makeStaff('skarbnik2', ['treasurer'])
      const asOther = await client.get(path).signedIn('staff', otherTreasurer)
      asOther.assertStatus(404)
      await otherTreasurer.delete()
    }
    const financeClerk = await makeStaff('referent', ['clerk'])
    financeClerk.unit = 'FN'
    await financeClerk.save()
    const allowed = await client
      .get('/panel/podatki/zestawienie-dzienne')
      .signedIn('staff', financeClerk)
    allowed.assertStatus(200)
  })
})
