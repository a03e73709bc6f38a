import type { ApiResponse } from '@japa/api-client'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { taxpayers } from '#fees/services/taxpayers'
import { accountStatement } from '#fees/services/account_statement'
import { auditCount, makeStaff, resetSharedState, withOffice } from '#tests/helpers'
import { addFeeType, addWasteRate, installmentsOf, staffPost } from '#tests/fees_fixtures'

/** The field errors a rejected form flashed (field → messages). */
function errorsOf(response: ApiResponse): Record<string, string[]> {
  return response.flashMessage('inputErrorsBag') as Record<string, string[]>
}

async function setupPeople() {
  const treasurer = await makeStaff('skarbnik', ['treasurer'])
  const clerk = await makeStaff('ksiegowa', ['clerk'])
  clerk.unit = 'FN'
  await clerk.save()
  const manager = await makeStaff('sekretarz', ['manager'])
  const taxpayer = await taxpayers.create({
    kind: 'individual',
    name: 'Nowak Anna',
    pesel: '44051401359',
    street: 'ul. Brzozowa 7',
    postalCode: '12-345',
    city: 'Testowo',
  })
  return { treasurer, clerk, manager, taxpayer }
}

const declarationForm = {
  propertyAddress: 'ul. Brzozowa 7, 12-345 Testowo',
  effectiveMonth: '2026-01',
  residents: '4',
  filedOn: '2026-01-10',
}

test.group('Waste declarations and other fees of a taxpayer', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a declaration builds the year’s waste fee; a new one replaces it from its month', async ({
    client,
    assert,
  }) => {
    const { clerk, taxpayer } = await setupPeople()
    await addWasteRate()
    const url = `/panel/podatki/${taxpayer.id}/odpady`
    const first = await staffPost(client, clerk, url, declarationForm)
    first.assertStatus(302)
    first.assertHeader('location', url)
    const initial = await db
      .from('fees_assessments')
      .where({ taxpayer_id: taxpayer.id, kind: 'waste' })
      .firstOrFail()
    assert.equal(Number(initial.total_gr), 12 * 12_400)
    const before = await installmentsOf(initial.id)
    assert.lengthOf(before, 12)
    assert.deepEqual(before[0], [1, '2026-01-15', 12_400])

    const second = await staffPost(client, clerk, url, {
      ...declarationForm,
      effectiveMonth: '2026-07',
      residents: '3',
      composting: '1',
      filedOn: '2026-07-02',
    })
    second.assertStatus(302)
    const rows = await db
      .from('fees_assessments')
      .where({ taxpayer_id: taxpayer.id, kind: 'waste' })
      .orderBy('id')
    assert.deepEqual(
      rows.map((row) => row.status),
      ['replaced', 'active']
    )
    assert.equal(Number(rows[1].replaces_id), Number(initial.id))
    assert.equal(rows[1].effective_from, '2026-07-01')
    const after = await installmentsOf(rows[1].id)
    assert.deepEqual(after.slice(0, 6), before.slice(0, 6))
    /* 3 residents × (31,00 − 2,00) zł = 87,00 zł from July */
    assert.deepEqual(
      after.slice(6).map((installment) => installment[2]),
      Array(6).fill(8_700)
    )
    assert.equal(Number(rows[1].total_gr), 6 * 12_400 + 6 * 8_700)
    assert.equal(await auditCount('fees.waste_declaration_filed', 'ksiegowa'), 2)

    /* The account card's statement sees the active waste liability. */
    const statement = await accountStatement(taxpayer.id, '2026-07-10')
    const waste = statement!.assessments.find((assessment) => assessment.kind === 'waste')
    assert.equal(waste?.totalGr, 6 * 12_400 + 6 * 8_700)

    const page = await client.get(url).signedIn('staff', clerk)
    page.assertStatus(200)
    assert.include(page.text(), 'zastąpiona')
    assert.include(page.text(), `href="/panel/podatki/${taxpayer.id}"`)
    assert.include(page.text(), 'Przyjmij deklarację')
  })

  test('bad declarations are refused in Polish naming the field; nothing is stored', async ({
    client,
    assert,
  }) => {
    const { clerk, taxpayer } = await setupPeople()
    await addWasteRate()
    const url = `/panel/podatki/${taxpayer.id}/odpady`
    const bad = await staffPost(
      client,
      clerk,
      url,
      { ...declarationForm, effectiveMonth: '2026-13', residents: 'cztery' },
      url
    )
    const errors = errorsOf(bad)
    assert.match(errors.effectiveMonth[0], /^Pole „Od miesiąca” musi zawierać miesiąc/)
    assert.match(errors.residents[0], /„Liczba mieszkańców”/)

    const missing = await staffPost(
      client,
      clerk,
      url,
      { ...declarationForm, residents: '', areaM2: '84,3' },
      url
    )
    assert.equal(
      errorsOf(missing).residents[0],
      'Pole „Liczba mieszkańców” jest wymagane: od 2026-01 opłatę ustala się od liczby mieszkańców.'
    )

    const noRate = await staffPost(
      client,
      clerk,
      url,
      { ...declarationForm, effectiveMonth: '2025-06' },
      url
    )
    assert.match(errorsOf(noRate).effectiveMonth[0], /Brak stawki/)
    assert.lengthOf(await db.from('fees_waste_declarations'), 0)
    assert.lengthOf(await db.from('fees_assessments'), 0)
  })

  test('a manager sees the pages without the forms and cannot post; unknown taxpayer 404', async ({
    client,
    assert,
  }) => {
    const { manager, taxpayer } = await setupPeople()
    await addWasteRate()
    await addFeeType()
    for (const path of ['odpady', 'oplaty']) {
      const page = await client
        .get(`/panel/podatki/${taxpayer.id}/${path}`)
        .signedIn('staff', manager)
      page.assertStatus(200)
      assert.notInclude(page.text(), `action="/panel/podatki/${taxpayer.id}/${path}"`)
      const post = await staffPost(client, manager, `/panel/podatki/${taxpayer.id}/${path}`, {
        ...declarationForm,
        feeTypeId: '1',
        year: '2026',
        issuedOn: '2026-01-10',
      })
      assert.equal(post.status(), 403, path)
      const missing = await client.get(`/panel/podatki/999999/${path}`).signedIn('staff', manager)
      assert.equal(missing.status(), 404)
    }
    assert.lengthOf(await db.from('fees_assessments'), 0)
  })

  test('assigning a fee: schedule and rounding of its type; a second one for the year is refused', async ({
    client,
    assert,
  }) => {
    const { treasurer, taxpayer } = await setupPeople()
    const feeTypeId = await addFeeType({ rounding: 'zloty', schedule: 'property' })
    const url = `/panel/podatki/${taxpayer.id}/oplaty`
    const response = await staffPost(client, treasurer, url, {
      feeTypeId: String(feeTypeId),
      year: '2027',
      units: '3',
      issuedOn: '2027-01-05',
    })
    response.assertHeader('location', url)
    const assessment = await db
      .from('fees_assessments')
      .where({ taxpayer_id: taxpayer.id, kind: 'fee' })
      .firstOrFail()
    /* 3 × 45,50 zł = 136,50 zł → 137,00 zł; four property dates, remainder on the first */
    assert.equal(Number(assessment.total_gr), 13_700)
    assert.equal(Number(assessment.fee_type_id), feeTypeId)
    assert.deepEqual(await installmentsOf(assessment.id), [
      [1, '2027-03-15', 3_500],
      [2, '2027-05-17', 3_400],
      [3, '2027-09-15', 3_400],
      [4, '2027-11-15', 3_400],
    ])
    assert.equal(await auditCount('fees.fee_assessed'), 1)

    const again = await staffPost(
      client,
      treasurer,
      url,
      { feeTypeId: String(feeTypeId), year: '2027', units: '1', issuedOn: '2027-02-05' },
      url
    )
    assert.match(errorsOf(again).year[0], /jest już naliczona/)

    const noUnits = await staffPost(
      client,
      treasurer,
      url,
      { feeTypeId: String(feeTypeId), year: '2028', issuedOn: '2027-02-05' },
      url
    )
    assert.equal(errorsOf(noUnits).units[0], 'Podaj liczbę jednostek większą od zera.')
    const page = await client.get(url).signedIn('staff', treasurer)
    assert.include(page.text(), assessment.number)
    assert.include(page.text(), '137,00 zł')
  })
})
