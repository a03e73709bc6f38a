import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { formatDate, formatNrb } from '#core/services/formatting'
import { formatMoney } from '#core/services/money'
import { accountStatement } from '#fees/services/account_statement'
import { correctTaxDecision } from '#fees/services/assessments'
import { decisionPdf, DecisionNotFoundError } from '#fees/services/decision_pdf'
import {
  addTaxObject,
  jointTaxpayerWithDecision,
  letterPng,
  oneLine,
  pdfText,
  taxpayerWithDecision,
} from '#tests/fees_fixtures'
import { makeStaff, resetSharedState, withOffice } from '#tests/helpers'

test.group('Fees / decision PDF', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('the nakaz płatniczy carries the figures of the account statement', async ({ assert }) => {
    const clerk = await makeStaff('skarbnik', ['treasurer'])
    clerk.fullName = 'Halina Żółkiewska'
    await clerk.save()
    const { taxpayer, assessmentId, accessCode } = await taxpayerWithDecision({
      staffId: clerk.id,
    })
    const statement = (await accountStatement(taxpayer.id, '2026-02-20'))!
    const assessment = statement.assessments.find((row) => row.id === assessmentId)!
    const pdf = await decisionPdf(assessmentId)
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    await letterPng(pdf, 'decision')
    const text = await pdfText(pdf)

    assert.include(oneLine(text), 'NAKAZ PŁATNICZY')
    assert.include(oneLine(text), `nr ${assessment.number}`)
    assert.include(oneLine(text), 'Testowo, 20 lutego 2026 r.')
    assert.include(oneLine(text), 'Źródlana-Wężyk Zofia')
    assert.include(oneLine(text), 'ul. Źródlana 7')
    assert.include(oneLine(text), 'o podatkach i opłatach lokalnych')
    assert.include(oneLine(text), 'o podatku rolnym')
    assert.include(oneLine(text), 'o podatku leśnym')
    assert.include(oneLine(text), 'Ordynacja podatkowa')
    for (const line of assessment.lines) {
      assert.include(oneLine(text), line.description.slice(0, 20))
      assert.include(oneLine(text), formatMoney(line.amountGr))
    }
    assert.include(oneLine(text), '1 250,00 m²')
    assert.include(oneLine(text), '0,61 zł/m²')
    assert.include(oneLine(text), `Łączne zobowiązanie pieniężne`)
    assert.include(oneLine(text), formatMoney(assessment.totalGr))
    assert.equal(assessment.totalGr % 100, 0, 'the combined liability is whole złoty')
    /* 15 March 2026 is a Sunday: the first installment is due on Monday. */
    assert.equal(assessment.installments[0].due, '2026-03-16')
    for (const installment of assessment.installments) {
      assert.match(
        text,
        new RegExp(
          `${installment.number}\\s+${formatDate(installment.due).replace(/\./g, '\\.')}.*${formatMoney(installment.amountGr)}`
        )
      )
    }
    assert.include(oneLine(text), formatNrb(taxpayer.accountNumber))
    assert.include(oneLine(text), `Kod dostępu do e-BOK: ${accessCode}`)
    assert.match(accessCode, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    assert.include(oneLine(text), 'Samorządowego Kolegium Odwoławczego')
    assert.include(oneLine(text), 'w terminie 14 dni')
    assert.include(oneLine(text), 'Wójta Gminy Testowa')
    assert.include(oneLine(text), 'Halina Żółkiewska')
    assert.include(oneLine(text), 'Kod QR do przelewu raty 1')
    assert.include(oneLine(text), 'Strona 1 z ')

    const row = await db.from('fees_assessments').where('id', assessmentId).firstOrFail()
    assert.match(row.pdf_path, /^documents\/fees\/decisions\/[0-9a-f]{24}\.pdf$/)
    assert.notInclude(row.pdf_path, 'public')
    const again = await decisionPdf(assessmentId)
    assert.isTrue(again.equals(pdf), 'the stored file is served again')
    const regenerated = await decisionPdf(assessmentId, { regenerate: true })
    const after = await db.from('fees_assessments').where('id', assessmentId).firstOrFail()
    assert.notEqual(after.pdf_path, row.pdf_path)
    assert.include(await pdfText(regenerated), `Kod dostępu do e-BOK: ${accessCode}`)
  }).timeout(60_000)

  test('a joint decision names every co-owner as jointly liable', async ({ assert }) => {
    const { assessmentId } = await jointTaxpayerWithDecision()
    const pdf = await decisionPdf(assessmentId)
    await letterPng(pdf, 'decision-joint')
    const text = await pdfText(pdf)
    assert.include(oneLine(text), 'Gęślarz Małgorzata')
    assert.include(oneLine(text), 'Gęślarz Bożydar')
    assert.include(oneLine(text), 'solidarnie')
  }).timeout(60_000)

  test('a correction says which decision it changes and from when', async ({ assert }) => {
    const { taxpayer, assessmentId } = await taxpayerWithDecision()
    const old = await db.from('fees_assessments').where('id', assessmentId).firstOrFail()
    await addTaxObject(taxpayer.id, {
      tax: 'property',
      category: 'building_other',
      description: 'Budynek gospodarczy',
      baseE4: 30_0000,
      validFrom: '2026-04-10',
    })
    const { assessmentId: correctionId } = await correctTaxDecision({
      assessmentId,
      effectiveFrom: '2026-05-01',
      issuedOn: '2026-04-20',
    })
    const pdf = await decisionPdf(correctionId)
    await letterPng(pdf, 'decision-correction')
    const text = await pdfText(pdf)
    assert.include(oneLine(text), 'DECYZJA ZMIENIAJĄCA')
    assert.include(oneLine(text), `zmienia decyzję nr ${old.number} z dnia 20 lutego 2026 r.`)
    assert.include(oneLine(text), 'od dnia 1 maja 2026 r.')
    assert.include(oneLine(text), 'Budynek gospodarczy')
    /* Held from 10 April: taxed May to December. */
    assert.include(oneLine(text), '× 8/12 roku')
  }).timeout(60_000)

  test('an unknown decision is refused', async ({ assert }) => {
    await assert.rejects(() => decisionPdf(987654), DecisionNotFoundError as any)
  })
})

test.group('Fees / decision PDF route', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('staff with viewTaxes download it as an attachment, others get 403, unknown ids 404', async ({
    client,
    assert,
  }) => {
    const { assessmentId } = await taxpayerWithDecision()
    const clerk = await makeStaff('kasia', ['clerk'])
    clerk.unit = 'FN'
    await clerk.save()
    const response = await client
      .get(`/panel/podatki/decyzje/${assessmentId}/pdf`)
      .signedIn('staff', clerk)
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'application/pdf')
    assert.match(response.header('content-disposition') ?? '', /^attachment; filename="decyzja-/)
    assert.equal(response.header('x-content-type-options'), 'nosniff')
    assert.equal(response.header('cache-control'), 'no-store')

    const otherClerk = await makeStaff('ola', ['clerk'])
    const admin = await makeStaff('admin2', ['admin'])
    for (const user of [otherClerk, admin]) {
      const denied = await client
        .get(`/panel/podatki/decyzje/${assessmentId}/pdf`)
        .signedIn('staff', user)
      denied.assertStatus(403)
    }
    const missing = await client.get('/panel/podatki/decyzje/987654/pdf').signedIn('staff', clerk)
    missing.assertStatus(404)
    const notNumber = await client.get('/panel/podatki/decyzje/abc/pdf').signedIn('staff', clerk)
    notNumber.assertStatus(404)
  }).timeout(60_000)
})
