/*
 * The promise: a resident sees exactly what the tax clerk sees. Both
 * pages render the same AccountStatement through the shared partials in
 * resources/views/fees/statement/; this test reads every money figure of each
 * statement section off both real pages and holds them to each other and to
 * the service's totals.
 */
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { formatDate } from '#core/services/formatting'
import { formatMoney } from '#core/services/money'
import { accountStatement } from '#fees/services/account_statement'
import { bookings } from '#fees/services/bookings'
import { taxpayers } from '#fees/services/taxpayers'
import { makeResident, makeStaff, resetSharedState, withOffice } from '#tests/helpers'
import { taxpayerWithDecision } from '#tests/fees_fixtures'

const AS_OF = '2026-10-01'
const MONEY = /-?\d{1,3}(?: \d{3})*,\d{2} zł/g

/** Each statement section of a page (by its heading id) with the money figures in page order. */
function statementSections(html: string): Map<string, string[]> {
  const sections = new Map<string, string[]>()
  for (const match of html.matchAll(
    /<section aria-labelledby="(statement-[a-z-]+)">([\s\S]*?)<\/section>/g
  )) {
    const text = match[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
    sections.set(match[1], text.match(MONEY) ?? [])
  }
  return sections
}

/** The data-total figures of the summary: arrears, interest, to-pay-now and the rest. */
function totals(html: string): Record<string, string> {
  const found: Record<string, string> = {}
  for (const match of html.matchAll(/data-total="([a-z-]+)"[^>]*>([\s\S]*?)<\/dd>/g))
    found[match[1]] = match[2].replace(/<[^>]+>/g, '').trim()
  return found
}

test.group('Fees / the resident and the clerk see the same figures', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('resident and clerk views agree', async ({ client, assert }) => {
    const { taxpayer } = await taxpayerWithDecision()
    /* Part of the first installment, paid late: principal and interest split, arrears remain. */
    await bookings.bookPayment({
      taxpayerId: taxpayer.id,
      amountGr: 30_000,
      paidOn: '2026-04-20',
      source: 'bank',
      title: 'Podatek rata 1',
      idempotencyKey: 'views-agree-1',
    })
    const statement = (await accountStatement(taxpayer.id, AS_OF))!
    assert.isAbove(statement.totals.arrearsGr, 0, 'the fixture has arrears')
    assert.isAbove(statement.totals.interestGr, 0, 'the fixture has interest')
    assert.lengthOf(statement.payments, 1)
    assert.isAbove(
      statement.assessments[0].installments.filter((i) => i.status === 'overdue').length,
      0
    )

    const treasurer = await makeStaff('skarbnik', ['treasurer'])
    const resident = await makeResident('zofia@example.pl')
    await taxpayers.link(taxpayer.id, resident.id, 'code', null)

    /* Both pages take the date as ?na-dzien=; the heading check below proves the date was used. */
    const clerkPage = await client
      .get(`/panel/podatki/${taxpayer.id}?na-dzien=${AS_OF}`)
      .signedIn('staff', treasurer)
    clerkPage.assertStatus(200)
    const residentPage = await client
      .get(`/konto/podatki/${taxpayer.id}?na-dzien=${AS_OF}`)
      .signedIn('resident', resident)
    residentPage.assertStatus(200)

    for (const page of [clerkPage, residentPage])
      assert.include(page.text(), `Stan konta na dzień ${formatDate(AS_OF)}`)

    const clerk = statementSections(clerkPage.text())
    const mine = statementSections(residentPage.text())
    assert.sameMembers(
      [...clerk.keys()],
      ['statement-summary', 'statement-assessments', 'statement-payments', 'statement-transfer']
    )
    assert.sameMembers([...mine.keys()], [...clerk.keys()])
    for (const [id, figures] of clerk) {
      assert.isNotEmpty(figures, `${id} shows money`)
      assert.deepEqual(mine.get(id), figures, `${id}: the same figures in the same order`)
    }

    const expected = {
      'arrears': formatMoney(statement.totals.arrearsGr),
      'interest': formatMoney(statement.totals.interestGr),
      'reminder-costs': formatMoney(statement.totals.reminderCostsGr),
      'to-pay-now': formatMoney(statement.totals.toPayNowGr),
      'outstanding': formatMoney(statement.totals.outstandingGr),
      'credit': formatMoney(statement.totals.creditGr),
    }
    assert.deepEqual(totals(clerkPage.text()), expected)
    assert.deepEqual(totals(residentPage.text()), expected)

    /* Every installment's figures and the payment appear as the service computed them. */
    const assessmentFigures = mine.get('statement-assessments')!
    for (const installment of statement.assessments[0].installments) {
      assert.include(assessmentFigures, formatMoney(installment.outstandingGr))
      assert.include(assessmentFigures, formatMoney(installment.interestGr))
    }
    assert.include(mine.get('statement-payments')!, formatMoney(30_000))
    assert.include(mine.get('statement-transfer')!, formatMoney(statement.transfer!.amountGr))
  })
})
