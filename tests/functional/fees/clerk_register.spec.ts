import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import { taxpayers } from '#fees/services/taxpayers'
import { auditCount, makeStaff, resetSharedState, withOffice } from '#tests/helpers'
import { financeClerk, inputErrors, staffPost, taxpayerWithDecision } from '#tests/fees_fixtures'

/* The tax clerk's register: search, new taxpayers, edits, access and escaping. */

/** The page's HTML with the whitespace between tags removed, so assertions survive reformatting. */
function compact(html: string) {
  return html.replace(/>\s+</g, '><').replace(/\s+/g, ' ')
}

const INDIVIDUAL = {
  kind: 'individual',
  name: 'Kowalska Anna',
  pesel: '02070803628',
  street: 'ul. Lipowa 3',
  postalCode: '12-345',
  city: 'Testowo',
  email: 'anna.kowalska@example.pl',
  phone: '+48 600 100 200',
}

test.group('Fees clerk / taxpayer register', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('the menu shows "Podatki i opłaty" to the treasurer and finance clerks, not to the IT admin or other clerks', async ({
    client,
    assert,
  }) => {
    const treasurer = await makeStaff('skarbnik', ['treasurer'])
    const clerk = await financeClerk()
    const otherClerk = await makeStaff('sekretariat', ['clerk'])
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    for (const user of [treasurer, clerk]) {
      const page = await client.get('/panel').signedIn('staff', user)
      assert.include(page.text(), '<a href="/panel/podatki"')
    }
    for (const user of [otherClerk, admin]) {
      const page = await client.get('/panel').signedIn('staff', user)
      assert.notInclude(page.text(), 'Podatki i opłaty</a>')
    }
  })

  test('search by surname prefix, PESEL and account number finds the taxpayer', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()
    const empty = await client.get('/panel/podatki').signedIn('staff', clerk)
    empty.assertStatus(200)
    assert.include(empty.text(), 'Szukaj podatnika')
    assert.include(empty.text(), 'Dodaj podatnika')
    for (const query of ['źródlana', 'Zrodl', '44051401359', taxpayer.accountNumber.slice(-6)]) {
      const page = await client
        .get(`/panel/podatki?szukaj=${encodeURIComponent(query)}`)
        .signedIn('staff', clerk)
      assert.include(
        page.text(),
        `<a href="/panel/podatki/${taxpayer.id}">Źródlana-Wężyk Zofia</a>`,
        query
      )
    }
    const none = await client.get('/panel/podatki?szukaj=Nieistniejący').signedIn('staff', clerk)
    assert.include(none.text(), 'Nie znaleziono podatnika')
  })

  test('a finance clerk adds an individual taxpayer; the audit log names the taxpayer but not the PESEL', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const form = await client.get('/panel/podatki/nowy').signedIn('staff', clerk)
    form.assertStatus(200)
    assert.include(form.text(), 'PESEL')
    const response = await staffPost(client, clerk, '/panel/podatki', INDIVIDUAL)
    response.assertStatus(302)
    const [created] = await taxpayers.search('02070803628')
    assert.equal(created.name, 'Kowalska Anna')
    assert.equal(created.postalCode, '12-345')
    assert.equal(response.header('location'), `/panel/podatki/${created.id}`)
    assert.equal(await auditCount('fees.taxpayer_created', 'ksiegowa'), 1)
    const entries = await db.from('audit_entries').where('action', 'like', 'fees.%')
    for (const entry of entries) assert.notInclude(JSON.stringify(entry), '02070803628')
  })

  test('validation errors are in Polish and name the field', async ({ client, assert }) => {
    const clerk = await financeClerk()
    const badPesel = await staffPost(
      client,
      clerk,
      '/panel/podatki',
      { ...INDIVIDUAL, pesel: '02070803629', name: '', postalCode: '1-2345' },
      '/panel/podatki/nowy'
    )
    badPesel.assertStatus(302)
    assert.equal(badPesel.header('location'), '/panel/podatki/nowy')
    const errors = inputErrors(badPesel)
    assert.deepEqual(errors.pesel, [
      'Pole „PESEL” nie zawiera poprawnego numeru PESEL (błędna cyfra kontrolna).',
    ])
    assert.deepEqual(errors.name, ['Pole „Imię i nazwisko lub nazwa” jest wymagane.'])
    assert.match(
      errors.postalCode[0],
      /^Pole „Kod pocztowy” nie zawiera poprawnego kodu pocztowego/
    )

    const business = await staffPost(
      client,
      clerk,
      '/panel/podatki',
      { kind: 'business', name: 'Tartak Sp. z o.o.', regon: '123' },
      '/panel/podatki/nowy?rodzaj=business'
    )
    assert.deepEqual(inputErrors(business).nip, ['Pole „NIP” jest wymagane.'])
    assert.match(
      inputErrors(business).regon[0],
      /^Pole „REGON” nie zawiera poprawnego numeru REGON/
    )
    assert.lengthOf(await taxpayers.search('Tartak'), 0)

    /* The form shows the summary and the message at the field. */
    const page = await client
      .get('/panel/podatki/nowy')
      .signedIn('staff', clerk)
      .withFlashMessages({ inputErrorsBag: errors, name: '', pesel: '02070803629' })
    assert.include(page.text(), 'error-summary')
    assert.include(
      page.text(),
      'Pole „PESEL” nie zawiera poprawnego numeru PESEL (błędna cyfra kontrolna).'
    )
    assert.include(page.text(), 'aria-invalid="true"')
  })

  test('a business with NIP and REGON, then a duplicate NIP is refused', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const business = {
      kind: 'business',
      name: 'Tartak Leśny Sp. z o.o.',
      nip: '521-301-72-28',
      regon: '012345675',
      city: 'Testowo',
    }
    const first = await staffPost(client, clerk, '/panel/podatki', business)
    first.assertStatus(302)
    const [created] = await taxpayers.search('5213017228')
    assert.equal(created.kind, 'business')
    assert.equal(created.regon, '012345675')
    const again = await staffPost(
      client,
      clerk,
      '/panel/podatki',
      { ...business, name: 'Inny Tartak' },
      '/panel/podatki/nowy?rodzaj=business'
    )
    assert.deepEqual(inputErrors(again).nip, ['Podatnik z tym numerem NIP jest już w ewidencji.'])
  })

  test('joint owners: two individuals from the register, jointly liable; one is not enough', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const wife = await taxpayers.create({
      kind: 'individual',
      name: 'Nowak Ewa',
      pesel: '02070803628',
    })
    const husband = await taxpayers.create({ kind: 'individual', name: 'Nowak Piotr' })
    const search = await client
      .get('/panel/podatki/nowy?rodzaj=joint&szukajOsoby=Nowak')
      .signedIn('staff', clerk)
    assert.include(compact(search.text()), `<td>${wife.id}</td><td>Nowak Ewa</td>`)
    assert.include(compact(search.text()), `<td>${husband.id}</td><td>Nowak Piotr</td>`)

    const tooFew = await staffPost(
      client,
      clerk,
      '/panel/podatki',
      { kind: 'joint', name: 'Nowakowie Ewa i Piotr', memberIds: String(wife.id) },
      '/panel/podatki/nowy?rodzaj=joint'
    )
    assert.deepEqual(inputErrors(tooFew).memberIds, [
      'Współwłasność wymaga co najmniej dwóch współwłaścicieli.',
    ])
    const badList = await staffPost(
      client,
      clerk,
      '/panel/podatki',
      { kind: 'joint', name: 'Nowakowie Ewa i Piotr', memberIds: 'Ewa, Piotr' },
      '/panel/podatki/nowy?rodzaj=joint'
    )
    assert.match(inputErrors(badList).memberIds[0], /^Pole „Numery współwłaścicieli w ewidencji”/)

    const ok = await staffPost(client, clerk, '/panel/podatki', {
      kind: 'joint',
      name: 'Nowakowie Ewa i Piotr',
      memberIds: `${wife.id}, ${husband.id}`,
    })
    ok.assertStatus(302)
    const jointId = Number(ok.header('location')!.split('/').pop())
    const members = await taxpayers.members(jointId)
    assert.sameMembers(
      members.map((member) => member.id),
      [wife.id, husband.id]
    )
    const card = await client.get(`/panel/podatki/${jointId}`).signedIn('staff', clerk)
    assert.include(card.text(), 'Współwłaściciele (odpowiadają solidarnie)')
    assert.include(card.text(), `<a href="/panel/podatki/${wife.id}">Nowak Ewa</a>`)
  })

  test('editing keeps the kind and refuses a PESEL another taxpayer has', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const { taxpayer } = await taxpayerWithDecision()
    await taxpayers.create({ kind: 'individual', name: 'Kowalska Anna', pesel: '02070803628' })
    const form = await client.get(`/panel/podatki/${taxpayer.id}/edycja`).signedIn('staff', clerk)
    form.assertStatus(200)
    assert.include(form.text(), 'value="44051401359"')
    const update = await staffPost(client, clerk, `/panel/podatki/${taxpayer.id}`, {
      ...INDIVIDUAL,
      name: 'Źródlana Zofia',
      pesel: '44051401359',
    })
    assert.equal(update.header('location'), `/panel/podatki/${taxpayer.id}`)
    assert.equal((await taxpayers.find(taxpayer.id))!.name, 'Źródlana Zofia')
    assert.equal(await auditCount('fees.taxpayer_updated'), 1)

    const duplicate = await staffPost(
      client,
      clerk,
      `/panel/podatki/${taxpayer.id}`,
      { ...INDIVIDUAL },
      `/panel/podatki/${taxpayer.id}/edycja`
    )
    assert.deepEqual(inputErrors(duplicate).pesel, [
      'Podatnik z tym numerem PESEL jest już w ewidencji.',
    ])
    const kind = await staffPost(
      client,
      clerk,
      `/panel/podatki/${taxpayer.id}`,
      { kind: 'business', name: 'Firma', nip: '5213017228' },
      `/panel/podatki/${taxpayer.id}/edycja`
    )
    assert.deepEqual(inputErrors(kind).kind, ['Rodzaju podatnika nie można zmienić po utworzeniu.'])
    assert.equal((await taxpayers.find(taxpayer.id))!.kind, 'individual')
  })

  test('a stored script in a taxpayer name is shown as text on the list, the card and the forms', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk()
    const payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    const created = await taxpayers.create({
      kind: 'individual',
      name: `Zły ${payload}`,
      street: `ul. "><b>Zła</b> 1`,
    })
    const pages = [
      `/panel/podatki?szukaj=${encodeURIComponent('Zły')}`,
      `/panel/podatki/${created.id}`,
      `/panel/podatki/${created.id}/edycja`,
      `/panel/podatki/${created.id}/wplata`,
      `/panel/podatki/${created.id}/wymiar`,
    ]
    for (const url of pages) {
      const page = await client.get(url).signedIn('staff', clerk)
      page.assertStatus(200)
      assert.notInclude(page.text(), '<script>alert', url)
      assert.notInclude(page.text(), '<img src=x', url)
      assert.notInclude(page.text(), '<b>Zła</b>', url)
      assert.include(page.text(), '&lt;script&gt;', url)
    }
  })

  test('403 for a clerk outside the finance unit and for the IT admin; managers may look but not change', async ({
    client,
    assert,
  }) => {
    const { taxpayer, assessmentId } = await taxpayerWithDecision()
    const otherClerk = await makeStaff('sekretariat', ['clerk'])
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const manager = await makeStaff('wojt', ['manager'])
    const urls = [
      '/panel/podatki',
      '/panel/podatki/nowy',
      `/panel/podatki/${taxpayer.id}`,
      `/panel/podatki/${taxpayer.id}/wymiar`,
      `/panel/podatki/decyzje/${assessmentId}`,
      `/panel/podatki/${taxpayer.id}/wplata`,
    ]
    for (const user of [otherClerk, admin]) {
      for (const url of urls) {
        const page = await client.get(url).signedIn('staff', user).redirects(0)
        assert.equal(page.status(), 403, `${user.login} ${url}`)
        assert.include(page.text(), 'Brak dostępu')
        assert.notInclude(page.text(), 'Źródlana')
      }
    }
    const card = await client.get(`/panel/podatki/${taxpayer.id}`).signedIn('staff', manager)
    card.assertStatus(200)
    assert.notInclude(card.text(), 'Przyjmij wpłatę')
    for (const user of [otherClerk, admin, manager]) {
      const post = await staffPost(client, user, `/panel/podatki/${taxpayer.id}/wplata`, {
        amount: '100,00',
        paidOn: '2026-11-02',
        idempotencyKey: 'a'.repeat(32),
      })
      assert.equal(post.status(), 403, user.login)
      const edit = await staffPost(client, user, `/panel/podatki/${taxpayer.id}`, {
        ...INDIVIDUAL,
        pesel: '44051401359',
        name: 'Przejęty',
      })
      assert.equal(edit.status(), 403, user.login)
    }
    const payments = await db.from('fees_payments').where('taxpayer_id', taxpayer.id)
    assert.lengthOf(payments, 0)
    assert.equal((await taxpayers.find(taxpayer.id))!.name, 'Źródlana-Wężyk Zofia')
  })

  test('404 for unknown ids', async ({ client, assert }) => {
    const clerk = await financeClerk()
    for (const url of [
      '/panel/podatki/999999',
      '/panel/podatki/999999/edycja',
      '/panel/podatki/999999/wymiar',
      '/panel/podatki/999999/wplata',
      '/panel/podatki/999999/zwrot',
      '/panel/podatki/999999/przedmioty/nowy',
      '/panel/podatki/przedmioty/999999',
      '/panel/podatki/decyzje/999999',
      '/panel/podatki/raty/999999/odpis',
    ]) {
      const page = await client.get(url).signedIn('staff', clerk).redirects(0)
      assert.equal(page.status(), 404, url)
    }
    const post = await staffPost(client, clerk, '/panel/podatki/999999/wplata', {
      amount: '100,00',
      paidOn: '2026-11-02',
      idempotencyKey: 'b'.repeat(32),
    })
    assert.equal(post.status(), 404)
  })
})
