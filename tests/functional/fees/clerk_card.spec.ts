import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { todayInWarsaw } from '#core/services/calendar'
import { formatNrb } from '#core/services/formatting'
import { formatMoney } from '#core/services/money'
import { accountStatement } from '#fees/services/account_statement'
import { bookings } from '#fees/services/bookings'
import { taxpayers } from '#fees/services/taxpayers'
import { auditCount, makeResident, resetSharedState, withOffice } from '#tests/helpers'
import {
  financeClerk,
  inputErrors,
  seedTaxRates,
  staffPost,
  taxpayerWithDecision,
} from '#tests/fees_fixtures'

/* The account card (karta kontowa) and what the clerk books on it. */

function compact(html: string) {
  return html.replace(/\s+/g, ' ').replace(/\s*</g, '<').replace(/>\s*/g, '>')
}

function hiddenKey(html: string) {
  const match = /name="idempotencyKey"\s+value="([a-f0-9]{32})"/.exec(html)
  if (!match) throw new Error('no idempotency key in the form')
  return match[1]
}

test.group('Fees clerk / account card', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('the card shows the taxpayer, the account number, the calculation basis, installments and totals', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer, assessmentId } = await taxpayerWithDecision()
    const today = todayInWarsaw()
    const statement = (await accountStatement(taxpayer.id, today))!
    const page = await client.get(`/panel/podatki/${taxpayer.id}`).signedIn('staff', clerk)
    page.assertStatus(200)
    const html = compact(page.text())
    assert.include(html, '<h1>Karta kontowa: Źródlana-Wężyk Zofia</h1>')
    assert.include(html, formatNrb(taxpayer.accountNumber))
    assert.include(html, `<a href="/panel/podatki/decyzje/${assessmentId}">`)
    /* base × rate = amount with units: 142.5 m² of a house at 1.15 zł/m². */
    assert.include(html, '142,50 m²')
    assert.include(html, '× 1,15 zł/m²')
    assert.include(html, `= ${formatMoney(statement.assessments[0].lines[1].amountGr)}`)
    assert.include(html, '3,4567 ha przel.')
    /* Per-tax subtotals rounded to full złoty, then the total. */
    for (const subtotal of statement.assessments[0].subtotals)
      assert.include(
        html,
        `${subtotal.label} (${formatMoney(subtotal.exactGr)} zaokrąglone do pełnych złotych)</th><td class="num nowrap">${formatMoney(subtotal.amountGr)}`
      )
    assert.lengthOf(statement.assessments[0].subtotals, 3)
    for (const installment of statement.assessments[0].installments)
      assert.include(html, `/panel/podatki/raty/${installment.id}/odpis`)
    assert.include(html, 'zaległa')
    assert.include(html, `data-total="arrears">${formatMoney(statement.totals.arrearsGr)}`)
    assert.include(
      html,
      `data-total="to-pay-now"><strong>${formatMoney(statement.totals.toPayNowGr)}`
    )
    assert.include(html, 'Przedmioty opodatkowania (5)')
    assert.include(html, 'Dane do przelewu')
    assert.include(html, '<svg role="img" aria-label="Kod QR do przelewu"')
  })

  test('the "as of" date changes arrears and interest; a bad date falls back to today', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()
    const early = await client
      .get(`/panel/podatki/${taxpayer.id}?na-dzien=2026-03-01`)
      .signedIn('staff', clerk)
    const earlyHtml = compact(early.text())
    assert.include(earlyHtml, 'Stan konta na dzień 01.03.2026')
    assert.include(earlyHtml, `data-total="arrears">${formatMoney(0)}`)
    assert.include(earlyHtml, 'bieżąca')
    assert.notInclude(earlyHtml, '>zaległa<')
    const late = await client
      .get(`/panel/podatki/${taxpayer.id}?na-dzien=2026-10-01`)
      .signedIn('staff', clerk)
    const statement = (await accountStatement(taxpayer.id, '2026-10-01'))!
    assert.isAbove(statement.totals.arrearsGr, 0)
    assert.include(
      compact(late.text()),
      `data-total="arrears">${formatMoney(statement.totals.arrearsGr)}`
    )
    const bad = await client
      .get(`/panel/podatki/${taxpayer.id}?na-dzien=2026-02-31`)
      .signedIn('staff', clerk)
    bad.assertStatus(200)
    assert.include(bad.text(), `value="${todayInWarsaw()}"`)
  })

  test('tax objects: add with a decimal comma, validation in Polish, edit, end', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const taxpayer = await taxpayers.create({
      kind: 'individual',
      name: 'Rolnik Jan',
      pesel: '02070803628',
    })
    const form = await client
      .get(`/panel/podatki/${taxpayer.id}/przedmioty/nowy`)
      .signedIn('staff', clerk)
    form.assertStatus(200)
    assert.include(form.text(), 'Grunty gospodarstwa rolnego (ha przeliczeniowe)')

    const invalid = await staffPost(
      client,
      clerk,
      `/panel/podatki/${taxpayer.id}/przedmioty`,
      {
        tax: 'property',
        category: 'agri_arable',
        description: 'Grunty orne',
        base: 'dużo',
        validFrom: '2026-13-01',
      },
      `/panel/podatki/${taxpayer.id}/przedmioty/nowy`
    )
    const errors = inputErrors(invalid)
    assert.deepEqual(errors.base, [
      'Pole „Podstawa opodatkowania” musi zawierać liczbę, np. 120,5 (najwyżej 4 miejsca po przecinku).',
    ])
    assert.deepEqual(errors.validFrom, [
      'Pole „Opodatkowany od” musi zawierać datę w formacie RRRR-MM-DD, np. 2026-03-15.',
    ])
    const wrongCategory = await staffPost(
      client,
      clerk,
      `/panel/podatki/${taxpayer.id}/przedmioty`,
      {
        tax: 'property',
        category: 'agri_arable',
        description: 'Grunty orne',
        base: '2,5',
        validFrom: '2026-01-01',
      },
      `/panel/podatki/${taxpayer.id}/przedmioty/nowy`
    )
    assert.deepEqual(inputErrors(wrongCategory).category, [
      'Ta kategoria nie należy do wybranego podatku.',
    ])

    const created = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/przedmioty`, {
      tax: 'agricultural',
      category: 'agri_arable',
      description: 'Grunty orne',
      location: 'dz. 45/2, obręb Łąki',
      base: '2,5',
      physicalArea: '3,1',
      landClass: 'IVa',
      validFrom: '2026-01-01',
    })
    assert.equal(created.header('location'), `/panel/podatki/${taxpayer.id}`)
    const row = await db.from('fees_tax_objects').where('taxpayer_id', taxpayer.id).firstOrFail()
    assert.equal(Number(row.base_e4), 25_000)
    assert.equal(Number(row.physical_area_e4), 31_000)
    assert.equal(row.land_class, 'IVa')
    assert.equal(await auditCount('fees.tax_object_created'), 1)
    const card = await client.get(`/panel/podatki/${taxpayer.id}`).signedIn('staff', clerk)
    assert.include(compact(card.text()), '2,50 ha przel.')
    assert.include(card.text(), '3,10 ha fizycznych, kl. IVa')

    const edit = await client.get(`/panel/podatki/przedmioty/${row.id}`).signedIn('staff', clerk)
    assert.include(edit.text(), 'value="2,5"')
    await staffPost(client, clerk, `/panel/podatki/przedmioty/${row.id}`, {
      tax: 'agricultural',
      category: 'agri_arable',
      description: 'Grunty orne i łąka',
      base: '2,75',
      validFrom: '2026-01-01',
    })
    const updated = await db.from('fees_tax_objects').where('id', row.id).firstOrFail()
    assert.equal(Number(updated.base_e4), 27_500)
    assert.equal(updated.description, 'Grunty orne i łąka')

    const tooEarly = await staffPost(
      client,
      clerk,
      `/panel/podatki/przedmioty/${row.id}/koniec`,
      { validTo: '2025-06-30' },
      `/panel/podatki/przedmioty/${row.id}`
    )
    assert.deepEqual(inputErrors(tooEarly).validTo, [
      'Data końca opodatkowania nie może być wcześniejsza niż data początku.',
    ])
    await staffPost(client, clerk, `/panel/podatki/przedmioty/${row.id}/koniec`, {
      validTo: '2026-06-30',
    })
    const ended = await db.from('fees_tax_objects').where('id', row.id).firstOrFail()
    assert.equal(ended.valid_to, '2026-06-30')
    assert.equal(await auditCount('fees.tax_object_ended'), 1)
  })

  test('decision: preview with subtotals and plan, issue with the access code shown once, delivery, correction', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision({ year: 2025, issuedOn: '2025-02-20' })
    /* Rates for 2026 come with the fixture; the 2026 decision is issued here. */
    await seedTaxRates(2026)
    const preview = await client
      .get(`/panel/podatki/${taxpayer.id}/wymiar?rok=2026`)
      .signedIn('staff', clerk)
    preview.assertStatus(200)
    const html = compact(preview.text())
    assert.include(html, 'Podstawa obliczenia na rok 2026')
    assert.include(html, 'Podatek od nieruchomości (')
    assert.include(html, 'Podatek rolny (')
    assert.include(html, 'Plan rat')
    assert.include(html, '16.03.2026')
    assert.include(html, 'Wydaj decyzję na rok 2026')

    const noRates = await client
      .get(`/panel/podatki/${taxpayer.id}/wymiar?rok=2030`)
      .signedIn('staff', clerk)
    assert.include(noRates.text(), 'Brak stawki na rok 2030')

    const invalid = await staffPost(
      client,
      clerk,
      `/panel/podatki/${taxpayer.id}/wymiar`,
      { year: '2026', issuedOn: 'wczoraj' },
      `/panel/podatki/${taxpayer.id}/wymiar?rok=2026`
    )
    assert.deepEqual(inputErrors(invalid).issuedOn, [
      'Pole „Data wydania” musi zawierać datę w formacie RRRR-MM-DD, np. 2026-03-15.',
    ])

    const issued = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/wymiar`, {
      year: '2026',
      issuedOn: '2026-02-20',
    })
    issued.assertStatus(302)
    const decisionUrl = issued.header('location')!
    assert.match(decisionUrl, /^\/panel\/podatki\/decyzje\/\d+$/)
    const decisionId = Number(decisionUrl.split('/').pop())
    const code = issued.flashMessages().issuedAccessCode as string
    assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    assert.equal(await taxpayers.accessCode(taxpayer.id), code)
    const shown = await client
      .get(decisionUrl)
      .signedIn('staff', clerk)
      .withFlashMessages({ issuedAccessCode: code })
    assert.include(shown.text(), code)
    assert.include(shown.text(), 'wydrukowany na decyzji')
    assert.include(shown.text(), `/panel/podatki/decyzje/${decisionId}/pdf`)
    const again = await client.get(decisionUrl).signedIn('staff', clerk)
    assert.notInclude(again.text(), code)
    const audit = await db
      .from('audit_entries')
      .where('action', 'fees.decision_issued')
      .firstOrFail()
    assert.notInclude(audit.details, code)

    const twice = await staffPost(
      client,
      clerk,
      `/panel/podatki/${taxpayer.id}/wymiar`,
      { year: '2026', issuedOn: '2026-02-21' },
      `/panel/podatki/${taxpayer.id}/wymiar?rok=2026`
    )
    assert.match(inputErrors(twice).year[0], /^Decyzja na rok 2026 już istnieje/)

    /* Delivered after the first due date: that installment is due 14 days after delivery. */
    const delivered = await staffPost(
      client,
      clerk,
      `/panel/podatki/decyzje/${decisionId}/doreczenie`,
      { deliveredOn: '2026-03-20' }
    )
    assert.equal(delivered.header('location'), decisionUrl)
    const first = await db
      .from('fees_installments')
      .where({ assessment_id: decisionId, number: 1 })
      .firstOrFail()
    assert.equal(first.due, '2026-04-03')
    const beforeIssue = await staffPost(
      client,
      clerk,
      `/panel/podatki/decyzje/${decisionId}/doreczenie`,
      { deliveredOn: '2026-01-02' },
      decisionUrl
    )
    assert.deepEqual(inputErrors(beforeIssue).deliveredOn, [
      'Data doręczenia nie może być wcześniejsza niż data wydania decyzji.',
    ])

    /* The garage was sold in June: a correction from July recalculates the remaining installments. */
    const garage = await db
      .from('fees_tax_objects')
      .where({ taxpayer_id: taxpayer.id, category: 'building_other' })
      .firstOrFail()
    await db.from('fees_tax_objects').where('id', garage.id).update({ valid_to: '2026-06-30' })
    const corrected = await staffPost(
      client,
      clerk,
      `/panel/podatki/decyzje/${decisionId}/zmiana`,
      { effectiveFrom: '2026-07-01', issuedOn: '2026-07-10' }
    )
    const newUrl = corrected.header('location')!
    assert.notEqual(newUrl, decisionUrl)
    const newId = Number(newUrl.split('/').pop())
    const old = await db.from('fees_assessments').where('id', decisionId).firstOrFail()
    assert.equal(old.status, 'replaced')
    const newRow = await db.from('fees_assessments').where('id', newId).firstOrFail()
    assert.isBelow(Number(newRow.total_gr), Number(old.total_gr))
    const page = await client.get(newUrl).signedIn('staff', clerk)
    assert.include(page.text(), 'Decyzja zmieniająca')
    const oldPage = await client.get(decisionUrl).signedIn('staff', clerk)
    assert.include(compact(oldPage.text()), `decyzją<a href="/panel/podatki/decyzje/${newId}">`)
    assert.equal(await auditCount('fees.decision_corrected'), 1)
  })

  test('a cash payment books once however often the form is sent, and the arrears drop', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()
    const today = todayInWarsaw()
    const before = (await accountStatement(taxpayer.id, today))!
    const form = await client.get(`/panel/podatki/${taxpayer.id}/wplata`).signedIn('staff', clerk)
    form.assertStatus(200)
    const key = hiddenKey(form.text())
    const secondForm = await client
      .get(`/panel/podatki/${taxpayer.id}/wplata`)
      .signedIn('staff', clerk)
    assert.notEqual(hiddenKey(secondForm.text()), key)

    const payment = {
      amount: '100,00',
      paidOn: today,
      title: 'Wpłata w kasie',
      idempotencyKey: key,
    }
    const first = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/wplata`, payment)
    assert.equal(first.header('location'), `/panel/podatki/${taxpayer.id}`)
    assert.equal(
      (first.flashMessage('notification') as { message: string }).message,
      'Zaksięgowano wpłatę.'
    )
    const second = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/wplata`, payment)
    assert.include(
      (second.flashMessage('notification') as { message: string }).message,
      'już zaksięgowana'
    )
    const rows = await db.from('fees_payments').where('taxpayer_id', taxpayer.id)
    assert.lengthOf(rows, 1)
    assert.equal(Number(rows[0].amount_gr), 10_000)
    assert.equal(rows[0].source, 'cash')
    assert.equal(await auditCount('fees.payment_booked', 'ksiegowa'), 1)

    const after = (await accountStatement(taxpayer.id, today))!
    assert.isBelow(after.totals.toPayNowGr, before.totals.toPayNowGr)
    const card = await client.get(`/panel/podatki/${taxpayer.id}`).signedIn('staff', clerk)
    const html = compact(card.text())
    assert.include(html, `data-total="arrears">${formatMoney(after.totals.arrearsGr)}`)
    assert.include(html, 'kasa: Wpłata w kasie')
    assert.include(html, 'należność')
  })

  test('payment validation in Polish; a decision of another taxpayer is refused', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()
    const other = await taxpayerWithDecision({
      data: { name: 'Inny Podatnik', pesel: '02070803628' },
    })
    const url = `/panel/podatki/${taxpayer.id}/wplata`
    const invalid = await staffPost(
      client,
      clerk,
      url,
      { amount: 'sto złotych', paidOn: '2026-02-30', idempotencyKey: 'c'.repeat(32) },
      url
    )
    const errors = inputErrors(invalid)
    assert.deepEqual(errors.amount, [
      'Pole „Kwota” musi zawierać kwotę większą od zera, np. 150,00.',
    ])
    assert.deepEqual(errors.paidOn, [
      'Pole „Data wpłaty” musi zawierać datę w formacie RRRR-MM-DD, np. 2026-03-15.',
    ])
    const page = await client
      .get(url)
      .signedIn('staff', clerk)
      .withFlashMessages({ inputErrorsBag: errors, idempotencyKey: 'c'.repeat(32) })
    assert.include(page.text(), 'Pole „Kwota” musi zawierać kwotę większą od zera, np. 150,00.')
    /* The re-shown form keeps its token, so the corrected submit is still the same payment. */
    assert.equal(hiddenKey(page.text()), 'c'.repeat(32))

    const foreign = await staffPost(
      client,
      clerk,
      url,
      {
        amount: '50',
        paidOn: '2026-11-02',
        namedAssessmentId: String(other.assessmentId),
        idempotencyKey: 'd'.repeat(32),
      },
      url
    )
    assert.deepEqual(inputErrors(foreign).namedAssessmentId, [
      'Wskazana decyzja nie należy do tego podatnika.',
    ])
    assert.lengthOf(await db.from('fees_payments'), 0)
  })

  test('write-off of an installment and refund of an overpayment', async ({ client, assert }) => {
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()
    const today = todayInWarsaw()
    const statement = (await accountStatement(taxpayer.id, today))!
    const last = statement.assessments[0].installments.at(-1)!
    const form = await client.get(`/panel/podatki/raty/${last.id}/odpis`).signedIn('staff', clerk)
    form.assertStatus(200)
    assert.include(form.text(), formatMoney(last.outstandingGr))
    const tooMuch = await staffPost(
      client,
      clerk,
      `/panel/podatki/raty/${last.id}/odpis`,
      { amount: '999999', bookedOn: today, writeOffReason: 'Umorzenie' },
      `/panel/podatki/raty/${last.id}/odpis`
    )
    assert.lengthOf(inputErrors(tooMuch).amount, 1)
    const missing = await staffPost(
      client,
      clerk,
      `/panel/podatki/raty/${last.id}/odpis`,
      { amount: '10', bookedOn: today },
      `/panel/podatki/raty/${last.id}/odpis`
    )
    assert.deepEqual(inputErrors(missing).writeOffReason, ['Pole „Podstawa odpisu” jest wymagane.'])
    await staffPost(client, clerk, `/panel/podatki/raty/${last.id}/odpis`, {
      amount: (last.outstandingGr / 100).toFixed(2).replace('.', ','),
      bookedOn: today,
      writeOffReason: 'Decyzja o umorzeniu nr FN.3113.4.2026',
    })
    const afterWriteOff = (await accountStatement(taxpayer.id, today))!
    const state = afterWriteOff.assessments[0].installments.at(-1)!
    assert.equal(state.status, 'written_off')
    const card = await client.get(`/panel/podatki/${taxpayer.id}`).signedIn('staff', clerk)
    assert.include(card.text(), 'odpisana')
    assert.equal(await auditCount('fees.installment_written_off'), 1)

    /* Pay everything and 200 zł more: the overpayment can be refunded, but not more than it. */
    await bookings.bookPayment({
      taxpayerId: taxpayer.id,
      amountGr: afterWriteOff.totals.outstandingGr + afterWriteOff.totals.interestGr + 20_000,
      paidOn: today,
      source: 'bank',
      idempotencyKey: 'test-overpayment',
    })
    const credit = (await accountStatement(taxpayer.id, today))!.totals.creditGr
    assert.isAtLeast(credit, 20_000)
    const refundForm = await client
      .get(`/panel/podatki/${taxpayer.id}/zwrot`)
      .signedIn('staff', clerk)
    assert.include(refundForm.text(), formatMoney(credit))
    const over = await staffPost(
      client,
      clerk,
      `/panel/podatki/${taxpayer.id}/zwrot`,
      { amount: '100000', bookedOn: today, refundReason: 'Zwrot na rachunek' },
      `/panel/podatki/${taxpayer.id}/zwrot`
    )
    assert.deepEqual(inputErrors(over).amount, [
      'Kwota zwrotu musi być dodatnia i nie większa niż nadpłata.',
    ])
    await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/zwrot`, {
      amount: '200,00',
      bookedOn: today,
      refundReason: 'Zwrot na rachunek',
    })
    const afterRefund = (await accountStatement(taxpayer.id, today))!
    assert.equal(afterRefund.totals.creditGr, credit - 20_000)
    assert.equal(await auditCount('fees.overpayment_refunded'), 1)
  })

  test('link a resident e-BOK account after an identity check, then unlink it', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()
    const resident = await makeResident('zofia.wezyk@example.pl')
    await makeResident('niepotwierdzony@example.pl', false)
    const url = `/panel/podatki/${taxpayer.id}/konta`
    const unchecked = await staffPost(
      client,
      clerk,
      url,
      { residentEmail: 'zofia.wezyk@example.pl' },
      `/panel/podatki/${taxpayer.id}`
    )
    assert.deepEqual(inputErrors(unchecked).identityChecked, [
      'Potwierdź, że tożsamość mieszkańca została sprawdzona.',
    ])
    const unverified = await staffPost(
      client,
      clerk,
      url,
      { residentEmail: 'niepotwierdzony@example.pl', identityChecked: '1' },
      `/panel/podatki/${taxpayer.id}`
    )
    assert.match(inputErrors(unverified).residentEmail[0], /^Nie ma aktywnego konta mieszkańca/)
    const linked = await staffPost(client, clerk, url, {
      residentEmail: 'Zofia.Wezyk@example.pl',
      identityChecked: '1',
    })
    assert.equal(linked.header('location'), `/panel/podatki/${taxpayer.id}`)
    const link = await db
      .from('fees_taxpayer_links')
      .where({ taxpayer_id: taxpayer.id, resident_id: resident.id })
      .firstOrFail()
    assert.equal(link.method, 'clerk')
    assert.equal(Number(link.linked_by_staff_id), clerk.id)
    const card = await client.get(`/panel/podatki/${taxpayer.id}`).signedIn('staff', clerk)
    assert.include(card.text(), 'zofia.wezyk@example.pl')
    assert.include(card.text(), 'Odłącz')

    await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}/konta/usun`, {
      residentId: String(resident.id),
    })
    assert.lengthOf(await db.from('fees_taxpayer_links').where('taxpayer_id', taxpayer.id), 0)
    assert.equal(await auditCount('fees.resident_linked'), 1)
    assert.equal(await auditCount('fees.resident_unlinked'), 1)
  })
})
