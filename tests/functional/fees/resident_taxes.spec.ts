import type { ApiClient } from '@japa/api-client'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { addDays, todayInWarsaw } from '#core/services/calendar'
import { formatDate } from '#core/services/formatting'
import { formatMoney } from '#core/services/money'
import { accountStatement } from '#fees/services/account_statement'
import { bookings } from '#fees/services/bookings'
import { taxpayers } from '#fees/services/taxpayers'
import { auditCount, makeResident, resetSharedState, withOffice } from '#tests/helpers'
import { inputErrors, jointTaxpayerWithDecision, taxpayerWithDecision } from '#tests/fees_fixtures'

const WRONG_CODE_ERROR = 'Nie znaleźliśmy konta podatnika z tym kodem.'
const THROTTLED = 'Wpisano zbyt wiele błędnych kodów dostępu.'

/** "ABCD-EFGH-JK23" as somebody copies it from paper: lower case, spaces instead of dashes. */
function typedByHand(code: string) {
  return ` ${code.toLowerCase().replace(/-/g, ' ')} `
}

/** A valid-looking code that no taxpayer has (the digit 1 is not in the code alphabet). */
function wrongCode(n: number) {
  return `1111-2222-${String(n).padStart(4, '1')}`
}

/** The link form as a signed-in resident sends it. */
function sendCode(client: ApiClient, resident: { id: number }, kod: string) {
  return client
    .post('/konto/podatki/polacz')
    .form({ kod })
    .withCsrfToken()
    .signedIn('resident', resident)
    .redirects(0)
}

/** The fixture's taxpayer with a decision, already linked to Zofia's resident account. */
async function linkedDecision() {
  const decision = await taxpayerWithDecision()
  const resident = await makeResident('zofia@example.pl')
  await taxpayers.link(decision.taxpayer.id, resident.id, 'code', null)
  return { ...decision, resident }
}

test.group('Resident fees / linking a taxpayer account with the access code', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('with nothing linked the page explains both ways to link and shows the code form', async ({
    client,
    assert,
  }) => {
    const resident = await makeResident('jan.mieszkaniec@example.pl')
    const response = await client.get('/konto/podatki').signedIn('resident', resident)
    response.assertStatus(200)
    assert.equal(response.header('cache-control'), 'no-store')
    const html = response.text()
    assert.include(html, 'nie jest jeszcze połączone z żadnym kontem podatnika')
    assert.include(html, 'Kod dostępu do e-BOK')
    assert.include(html, 'z dowodem osobistym')
    assert.include(html, 'Urząd Gminy Testowa')
    assert.include(html, 'action="/konto/podatki/polacz"')
    assert.match(html, /<label class="label" for="f-kod">Kod dostępu<\/label>/)
  })

  test('the right code typed in lower case with spaces links the account and is audited', async ({
    client,
    assert,
  }) => {
    const { taxpayer, accessCode } = await taxpayerWithDecision()
    const resident = await makeResident('zofia@example.pl')
    const response = await sendCode(client, resident, typedByHand(accessCode))
    response.assertStatus(302)
    assert.equal(response.header('location'), `/konto/podatki/${taxpayer.id}`)
    const link = await db
      .from('fees_taxpayer_links')
      .where({ taxpayer_id: taxpayer.id, resident_id: resident.id })
      .firstOrFail()
    assert.equal(link.method, 'code')
    assert.equal(await auditCount('fees.taxpayer_linked', 'zofia@example.pl'), 1)
    const audit = await db
      .from('audit_entries')
      .where('action', 'fees.taxpayer_linked')
      .orderBy('id', 'desc')
      .firstOrFail()
    assert.equal(Number(audit.subject_id), taxpayer.id)
    assert.notInclude(JSON.stringify(audit), accessCode, 'the code itself is not logged')

    const list = await client.get('/konto/podatki').signedIn('resident', resident)
    list.assertStatus(200)
    assert.include(list.text(), `href="/konto/podatki/${taxpayer.id}"`)
    assert.include(list.text(), taxpayer.name)
    const totals = (await accountStatement(taxpayer.id, todayInWarsaw()))!.totals
    assert.include(list.text(), formatMoney(totals.toPayNowGr))
  })

  test('a wrong code is refused with a Polish error on the code field and links nothing', async ({
    client,
    assert,
  }) => {
    const { taxpayer } = await taxpayerWithDecision()
    const resident = await makeResident('jan@example.pl')
    const response = await sendCode(client, resident, wrongCode(1))
    response.assertStatus(302)
    assert.equal(response.header('location'), '/konto/podatki')
    assert.include(inputErrors(response).kod[0], WRONG_CODE_ERROR)
    assert.isNull(
      await db.from('fees_taxpayer_links').where('taxpayer_id', taxpayer.id).first(),
      'nothing linked'
    )
    assert.equal(await auditCount('fees.link_code_failed', 'jan@example.pl'), 1)
    assert.equal(await auditCount('fees.taxpayer_linked'), 0)
  })

  test('a code of the wrong shape gets a format error naming the field', async ({
    client,
    assert,
  }) => {
    const resident = await makeResident('jan@example.pl')
    for (const kod of ['', 'ABCD-EFGH', 'ABCD-EFGH-JK23-XY', 'ąbcd-efgh-jk23']) {
      const response = await sendCode(client, resident, kod)
      response.assertStatus(302)
      const message = inputErrors(response).kod?.[0] ?? ''
      assert.match(message, kod ? /XXXX-XXXX-XXXX/ : /Wpisz kod dostępu/, `for "${kod}"`)
    }
  })

  test('the fifth wrong code in 15 minutes locks linking for this resident (429), even with the right code', async ({
    client,
    assert,
  }) => {
    const { taxpayer, accessCode } = await taxpayerWithDecision()
    const resident = await makeResident('zgadywacz@example.pl')
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await sendCode(client, resident, wrongCode(attempt))
      response.assertStatus(302)
    }
    const fifth = await sendCode(client, resident, wrongCode(5))
    fifth.assertStatus(429)
    assert.include(fifth.text(), THROTTLED)
    assert.isAbove(Number(fifth.header('retry-after')), 0)

    const right = await sendCode(client, resident, accessCode)
    right.assertStatus(429)
    assert.include(right.text(), THROTTLED)
    assert.isNull(await db.from('fees_taxpayer_links').where('taxpayer_id', taxpayer.id).first())
    assert.equal(await auditCount('fees.link_code_throttled', 'zgadywacz@example.pl'), 1)

    /* Another resident is not locked out by this one's guesses. */
    const other = await makeResident('inna@example.pl')
    const linked = await sendCode(client, other, accessCode)
    linked.assertStatus(302)
    assert.equal(linked.header('location'), `/konto/podatki/${taxpayer.id}`)
  })

  test('thirty wrong codes from one address lock every account on it', async ({
    client,
    assert,
  }) => {
    const { accessCode } = await taxpayerWithDecision()
    let attempt = 0
    for (let n = 0; n < 6; n++) {
      const guesser = await makeResident(`zgadywacz${n}@example.pl`)
      for (let i = 0; i < 5; i++) {
        attempt += 1
        await sendCode(client, guesser, wrongCode(attempt))
      }
    }
    const fresh = await makeResident('nowa@example.pl')
    const response = await sendCode(client, fresh, accessCode)
    response.assertStatus(429)
    assert.include(response.text(), THROTTLED)
  })
})

test.group('Resident fees / which taxpayer accounts a resident sees', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a linked account opens with its statement, figures and payment data', async ({
    client,
    assert,
  }) => {
    const { taxpayer, assessmentId, resident } = await linkedDecision()
    const response = await client
      .get(`/konto/podatki/${taxpayer.id}`)
      .signedIn('resident', resident)
    response.assertStatus(200)
    assert.equal(response.header('cache-control'), 'no-store')
    const html = response.text()
    const statement = (await accountStatement(taxpayer.id, todayInWarsaw()))!
    assert.include(html, `Stan konta na dzień ${formatDate(todayInWarsaw())}`)
    assert.include(html, statement.assessments[0].number)
    assert.include(html, 'Podstawa obliczenia')
    assert.include(html, 'Dom mieszkalny')
    assert.include(html, '<h2 id="how-to-pay">Jak zapłacić</h2>')
    assert.include(html, statement.transfer!.title)
    assert.include(html, '<svg role="img" aria-label="Kod QR do przelewu"')
    assert.include(html, `href="/konto/podatki/decyzje/${assessmentId}/pdf"`)
    /* The resident sees no clerk actions. */
    assert.notInclude(html, '/panel/podatki')
    assert.notInclude(html, '/odpis')
  })

  test("a joint account of spouses is visible to a resident linked to one spouse's account", async ({
    client,
    assert,
  }) => {
    const joint = await jointTaxpayerWithDecision()
    const resident = await makeResident('malgorzata@example.pl')
    await taxpayers.link(joint.members[0].id, resident.id, 'clerk', null)

    const list = await client.get('/konto/podatki').signedIn('resident', resident)
    list.assertStatus(200)
    assert.include(list.text(), joint.members[0].name)
    assert.include(list.text(), joint.taxpayer.name)

    const card = await client
      .get(`/konto/podatki/${joint.taxpayer.id}`)
      .signedIn('resident', resident)
    card.assertStatus(200)
    assert.include(card.text(), joint.taxpayer.name)
    assert.include(
      card.text(),
      `odpowiadają solidarnie za zobowiązania tego konta: ${joint.members[1].name}, ${joint.members[0].name}.`
    )

    /* The other spouse's own account is not the resident's to see. */
    const spouse = await client
      .get(`/konto/podatki/${joint.members[1].id}`)
      .signedIn('resident', resident)
    spouse.assertStatus(404)
  })

  test("another resident's taxpayer account, its decision and unknown ids are 404", async ({
    client,
    assert,
  }) => {
    const mine = await taxpayerWithDecision()
    const theirs = await taxpayerWithDecision({
      data: { name: 'Obcy Tadeusz', pesel: '02070803628', email: null },
    })
    const resident = await makeResident('zofia@example.pl')
    const neighbour = await makeResident('sasiad@example.pl')
    await taxpayers.link(mine.taxpayer.id, resident.id, 'code', null)
    await taxpayers.link(theirs.taxpayer.id, neighbour.id, 'code', null)

    for (const path of [
      `/konto/podatki/${theirs.taxpayer.id}`,
      `/konto/podatki/${theirs.taxpayer.id}?na-dzien=2026-06-01`,
      `/konto/podatki/decyzje/${theirs.assessmentId}/pdf`,
      '/konto/podatki/999999',
      '/konto/podatki/decyzje/999999/pdf',
    ]) {
      const response = await client.get(path).signedIn('resident', resident)
      response.assertStatus(404)
      assert.notInclude(response.text(), 'Obcy Tadeusz', path)
    }
    const list = await client.get('/konto/podatki').signedIn('resident', resident)
    assert.notInclude(list.text(), 'Obcy Tadeusz')
  })

  test('the own decision downloads as a PDF attachment that is never cached', async ({
    client,
    assert,
  }) => {
    const { assessmentId, resident } = await linkedDecision()
    const response = await client
      .get(`/konto/podatki/decyzje/${assessmentId}/pdf`)
      .signedIn('resident', resident)
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'application/pdf')
    assert.match(
      response.header('content-disposition')!,
      /^attachment; filename="decyzja-.+\.pdf"$/
    )
    assert.equal(response.header('x-content-type-options'), 'nosniff')
    assert.equal(response.header('cache-control'), 'no-store')
    const body = Buffer.from(response.response.body ?? response.text(), 'binary')
    assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-')
  })

  test('signed out, the pages send the visitor to the sign-in form', async ({ client }) => {
    for (const path of ['/konto/podatki', '/konto/podatki/1', '/konto/podatki/decyzje/1/pdf']) {
      const response = await client.get(path).redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/konto/logowanie')
    }
  })
})

test.group('Resident fees / statement as of a chosen date', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a valid date shows the arrears and interest of that day', async ({ client, assert }) => {
    const { taxpayer } = await taxpayerWithDecision()
    await bookings.bookPayment({
      taxpayerId: taxpayer.id,
      amountGr: 20_000,
      paidOn: '2026-04-10',
      source: 'bank',
      idempotencyKey: 'as-of-1',
    })
    const resident = await makeResident('zofia@example.pl')
    await taxpayers.link(taxpayer.id, resident.id, 'code', null)
    const statement = (await accountStatement(taxpayer.id, '2026-10-01'))!
    assert.isAbove(statement.totals.arrearsGr, 0)
    assert.isAbove(statement.totals.interestGr, 0)

    const response = await client
      .get(`/konto/podatki/${taxpayer.id}?na-dzien=2026-10-01`)
      .signedIn('resident', resident)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'Stan konta na dzień 01.10.2026')
    assert.include(html, 'value="2026-10-01"')
    assert.include(html, `data-total="arrears">${formatMoney(statement.totals.arrearsGr)}</dd>`)
    assert.include(html, `data-total="interest">${formatMoney(statement.totals.interestGr)}</dd>`)
  })

  test('a date that is not a day, or out of range, is a Polish error on the date field', async ({
    client,
    assert,
  }) => {
    const { taxpayer, resident } = await linkedDecision()
    const cases: [string, RegExp][] = [
      ['2026-02-30', /w formacie RRRR-MM-DD/],
      ['1.07.2026', /w formacie RRRR-MM-DD/],
      ['jutro', /w formacie RRRR-MM-DD/],
      ['na-dzien=2026-07-01&na-dzien=2026-08-01', /w formacie RRRR-MM-DD/],
      ['1999-12-31', /nie wcześniejszą niż 01\.01\.2000/],
      [addDays(todayInWarsaw(), 400), /nie późniejszą niż/],
    ]
    for (const [value, message] of cases) {
      const query = value.startsWith('na-dzien=') ? value : `na-dzien=${encodeURIComponent(value)}`
      const response = await client
        .get(`/konto/podatki/${taxpayer.id}?${query}`)
        .signedIn('resident', resident)
      response.assertStatus(422)
      const html = response.text()
      assert.match(html, message, value)
      assert.include(html, 'id="f-na-dzien-error"', value)
      assert.include(html, 'aria-invalid="true"', value)
      assert.include(html, 'href="#f-na-dzien"', `${value}: error summary links to the field`)
      assert.notInclude(html, 'data-statement', `${value}: no figures for a date we did not use`)
    }
  })

  test('an empty date means today', async ({ client, assert }) => {
    const { taxpayer, resident } = await linkedDecision()
    const response = await client
      .get(`/konto/podatki/${taxpayer.id}?na-dzien=`)
      .signedIn('resident', resident)
    response.assertStatus(200)
    assert.include(response.text(), `data-as-of="${todayInWarsaw()}"`)
  })
})
