/*
 * The statement reads its rows once for the ledger and the page, and
 * allLedgers reads them in id slices (packed on SQLite): both must still give
 * what the per-taxpayer read gives, with every column the page prints.
 */
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { accountStatement } from '#fees/services/account_statement'
import { allLedgers, ledgerOf } from '#fees/services/ledger_store'
import { withOffice } from '#tests/helpers'
import { payFor, taxpayerWithDecision } from '#tests/fees_fixtures'

test.group('Fees / ledger reads', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the statement carries the payment source and title and the calculation lines', async ({
    assert,
  }) => {
    await withOffice()
    const { taxpayer } = await taxpayerWithDecision()
    await payFor(taxpayer.id, 12_345, '2026-03-10', { title: 'Podatek rata 1' })
    const statement = (await accountStatement(taxpayer.id, '2026-11-24'))!
    assert.lengthOf(statement.payments, 1)
    assert.equal(statement.payments[0].source, 'bank')
    assert.equal(statement.payments[0].title, 'Podatek rata 1')
    assert.isAbove(statement.assessments[0].lines.length, 0)
    const ledger = await ledgerOf(taxpayer.id, '2026-11-24')
    assert.deepEqual(statement.totals, ledger.totals)
  })

  test('allLedgers gives each taxpayer the ledger ledgerOf gives', async ({ assert }) => {
    await withOffice()
    const first = await taxpayerWithDecision()
    const second = await taxpayerWithDecision({
      data: { name: 'Nowak Jan', pesel: '02070803628' },
    })
    await payFor(first.taxpayer.id, 50_000, '2026-05-20')
    await payFor(second.taxpayer.id, 1_000, '2026-03-01', {
      namedAssessmentId: second.assessmentId,
    })
    for (const asOf of ['2026-03-01', '2026-11-24']) {
      const all = await allLedgers(asOf)
      for (const { taxpayer } of [first, second])
        assert.deepEqual(all.get(taxpayer.id), await ledgerOf(taxpayer.id, asOf))
    }
  })
})
