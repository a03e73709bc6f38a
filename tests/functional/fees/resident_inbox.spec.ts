import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { residentInbox, InboxError } from '#core/services/resident_inbox'
import { makeResident, resetSharedState, withOffice } from '#tests/helpers'

const NAV_LINK = /<a href="\/konto\/wiadomosci"[^>]*>Wiadomości([^<]*)<\/a>/

function navLabel(html: string) {
  return NAV_LINK.exec(html)?.[1] ?? null
}

test.group('Resident inbox (e-BOK messages)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a sent message is listed, counted as unread in the navigation and opens', async ({
    client,
    assert,
  }) => {
    const resident = await makeResident('zofia@example.pl')
    const first = await residentInbox.send({
      residentId: resident.id,
      subject: 'Upomnienie FN.3120.1.2026',
      body: 'Na Twoim koncie jest zaległość.\nZapłać ją w ciągu 7 dni.',
      link: '/konto/podatki/12',
    })
    await residentInbox.send({
      residentId: resident.id,
      subject: 'Nowa decyzja <b>2026</b>',
      body: 'Decyzja na rok 2026 jest do pobrania.',
    })
    assert.equal(await residentInbox.unreadCount(resident.id), 2)

    const list = await client.get('/konto/wiadomosci').signedIn('resident', resident)
    list.assertStatus(200)
    assert.equal(list.header('cache-control'), 'no-store')
    const html = list.text()
    assert.include(html, 'Wiadomości: 2')
    assert.include(html, `href="/konto/wiadomosci/${first.id}"`)
    assert.include(html, 'Nowa decyzja &lt;b&gt;2026&lt;/b&gt;', 'subjects are escaped')
    assert.equal(navLabel(html), ' (2 nieprzeczytane)')
    assert.match(html, /<a href="\/konto\/wiadomosci" aria-current="page">/)

    const dashboard = await client.get('/konto').signedIn('resident', resident)
    assert.equal(navLabel(dashboard.text()), ' (2 nieprzeczytane)')
    assert.include(dashboard.text(), 'Nieprzeczytane wiadomości z urzędu: 2.')
    assert.include(dashboard.text(), 'href="/konto/podatki">Moje podatki i opłaty</a>')

    const shown = await client.get(`/konto/wiadomosci/${first.id}`).signedIn('resident', resident)
    shown.assertStatus(200)
    assert.include(shown.text(), '<h1>Upomnienie FN.3120.1.2026</h1>')
    assert.include(shown.text(), 'Zapłać ją w ciągu 7 dni.')
    assert.include(shown.text(), 'href="/konto/podatki/12"')
    assert.include(shown.text(), `action="/konto/wiadomosci/${first.id}/przeczytana"`)
    /* Reading with GET changes nothing. */
    assert.equal(await residentInbox.unreadCount(resident.id), 2)
  })

  test('marking a message read lowers the unread count', async ({ client, assert }) => {
    const resident = await makeResident('zofia@example.pl')
    const message = await residentInbox.send({
      residentId: resident.id,
      subject: 'Informacja',
      body: 'Treść.',
    })
    await residentInbox.send({ residentId: resident.id, subject: 'Druga', body: 'Treść.' })

    const response = await client
      .post(`/konto/wiadomosci/${message.id}/przeczytana`)
      .withCsrfToken()
      .signedIn('resident', resident)
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/konto/wiadomosci')
    assert.equal(await residentInbox.unreadCount(resident.id), 1)
    assert.isNotNull((await residentInbox.find(resident.id, message.id))!.readAt)

    const list = await client.get('/konto/wiadomosci').signedIn('resident', resident)
    assert.equal(navLabel(list.text()), ' (1 nieprzeczytana)')
    const shown = await client.get(`/konto/wiadomosci/${message.id}`).signedIn('resident', resident)
    assert.notInclude(shown.text(), '/przeczytana"', 'no button for a read message')

    await client
      .post(`/konto/wiadomosci/${message.id}/przeczytana`)
      .withCsrfToken()
      .signedIn('resident', resident)
      .redirects(0)
    assert.equal(await residentInbox.unreadCount(resident.id), 1, 'marking twice changes nothing')
  })

  test("another resident's message is 404 to read and to mark, and stays unread", async ({
    client,
    assert,
  }) => {
    const owner = await makeResident('wlasciciel@example.pl')
    const other = await makeResident('ciekawski@example.pl')
    const message = await residentInbox.send({
      residentId: owner.id,
      subject: 'Prywatne upomnienie',
      body: 'Zaległość 1 234,00 zł.',
    })

    const shown = await client.get(`/konto/wiadomosci/${message.id}`).signedIn('resident', other)
    shown.assertStatus(404)
    assert.notInclude(shown.text(), 'Prywatne upomnienie')
    const marked = await client
      .post(`/konto/wiadomosci/${message.id}/przeczytana`)
      .withCsrfToken()
      .signedIn('resident', other)
      .redirects(0)
    marked.assertStatus(404)
    assert.equal(await residentInbox.unreadCount(owner.id), 1)

    const list = await client.get('/konto/wiadomosci').signedIn('resident', other)
    assert.notInclude(list.text(), 'Prywatne upomnienie')
    assert.include(list.text(), 'Nie masz jeszcze żadnych wiadomości.')
    assert.equal(navLabel(list.text()), '')

    const missing = await client.get('/konto/wiadomosci/999999').signedIn('resident', owner)
    missing.assertStatus(404)
  })

  test('the same idempotency key writes one message; links must stay inside the portal', async ({
    assert,
  }) => {
    const resident = await makeResident('zofia@example.pl')
    const input = {
      residentId: resident.id,
      subject: 'Upomnienie',
      body: 'Treść.',
      idempotencyKey: 'reminder-7',
    }
    const first = await residentInbox.send(input)
    const again = await residentInbox.send(input)
    assert.equal(again.id, first.id)
    const { total } = await residentInbox.list(resident.id)
    assert.equal(total, 1)

    for (const link of ['https://example.com/', '//example.com/x', 'javascript:alert(1)']) {
      await assert.rejects(
        () => residentInbox.send({ residentId: resident.id, subject: 'X', body: 'Y', link }),
        InboxError
      )
    }
    await assert.rejects(
      () => residentInbox.send({ residentId: resident.id, subject: '  ', body: 'Y' }),
      InboxError
    )
  })

  test('the list pages through many messages, newest first', async ({ client, assert }) => {
    const resident = await makeResident('zofia@example.pl')
    for (let n = 1; n <= 23; n++)
      await residentInbox.send({ residentId: resident.id, subject: `Wiadomość ${n}`, body: '.' })
    const page1 = await residentInbox.list(resident.id, 1)
    assert.equal(page1.total, 23)
    assert.equal(page1.lastPage, 2)
    assert.equal(page1.messages[0].subject, 'Wiadomość 23')
    const page2 = await client.get('/konto/wiadomosci?page=2').signedIn('resident', resident)
    page2.assertStatus(200)
    assert.include(page2.text(), 'Wiadomość 1<')
    assert.notInclude(page2.text(), 'Wiadomość 23<')
    assert.equal(navLabel(page2.text()), ' (23 nieprzeczytane)')
  })
})
