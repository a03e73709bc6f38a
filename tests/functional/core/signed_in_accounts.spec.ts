import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { accountTokens } from '#core/services/account_tokens'
import {
  CookieBrowser,
  PASSWORD,
  makeResident,
  makeStaff,
  resetSharedState,
  withOffice,
} from '#tests/helpers'

/*
 * The signed-in account is read with its session row in one query per request, and a process
 * keeps the last hydrated copy of each account (app/core/services/account_snapshots.ts). These
 * tests interleave two people's requests and change their rows between requests, to show that
 * nobody ever sees another person's page and that every change is seen on the next request.
 */
async function signInResident(email: string) {
  const browser = new CookieBrowser()
  const signedIn = await browser.submit('/konto/logowanie', '/konto/logowanie', {
    email,
    password: PASSWORD,
  })
  if (signedIn.location !== '/konto') throw new Error(`sign-in of ${email}: ${signedIn.status}`)
  return browser
}

function greeting(html: string) {
  return /Dzień dobry, ([^.<]+)\./.exec(html)?.[1] ?? null
}

async function greetingOf(browser: CookieBrowser) {
  const page = await browser.get('/konto')
  return greeting(page.text)
}

test.group('Signed-in accounts / one look-up per request, never another person’s', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('two residents interleaved, 40 requests at once, each sees only their own name', async ({
    assert,
  }) => {
    const anna = await makeResident('anna.nowak@testowa.localhost')
    await anna.merge({ fullName: 'Anna Nowak' }).save()
    const piotr = await makeResident('piotr.zielinski@testowa.localhost')
    await piotr.merge({ fullName: 'Piotr Zieliński' }).save()
    const browsers = {
      'Anna Nowak': await signInResident('anna.nowak@testowa.localhost'),
      'Piotr Zieliński': await signInResident('piotr.zielinski@testowa.localhost'),
    }
    const order = Array.from({ length: 40 }, (_, i) =>
      i % 3 === 0 ? 'Anna Nowak' : 'Piotr Zieliński'
    )
    const pages = await Promise.all(
      order.map(async (name) => ({
        name,
        page: await browsers[name as keyof typeof browsers].get('/konto'),
      }))
    )
    for (const { name, page } of pages) {
      assert.equal(page.status, 200)
      assert.equal(greeting(page.text), name)
      assert.notInclude(page.text, name === 'Anna Nowak' ? 'Piotr Zieliński' : 'Anna Nowak')
    }
  })

  test('a change to the account row shows on the next request, whoever wrote it', async ({
    assert,
  }) => {
    const resident = await makeResident('ewa.kowalczyk@testowa.localhost')
    await resident.merge({ fullName: 'Ewa Kowalczyk' }).save()
    const browser = await signInResident('ewa.kowalczyk@testowa.localhost')
    assert.equal(await greetingOf(browser), 'Ewa Kowalczyk')
    assert.equal(await greetingOf(browser), 'Ewa Kowalczyk')

    /* Written past the models (as the worker or a command would): no hook, same timestamp. */
    await db.from('residents').where('id', resident.id).update({ full_name: 'Ewa Kowalczyk-Lis' })
    assert.equal(await greetingOf(browser), 'Ewa Kowalczyk-Lis')

    await db.from('residents').where('id', resident.id).update({ is_active: false })
    const disabled = await browser.get('/konto')
    assert.equal(disabled.status, 302)
    assert.equal(disabled.location, '/konto/logowanie')
  })

  test('a role taken away applies to the very next request of a signed-in clerk', async ({
    assert,
  }) => {
    await makeStaff('skarbnik', ['treasurer'])
    const browser = new CookieBrowser()
    const signedIn = await browser.submit('/panel/logowanie', '/panel/logowanie', {
      login: 'skarbnik',
      password: PASSWORD,
    })
    assert.equal(signedIn.location, '/panel')
    assert.equal(await browser.status('/panel/podatki'), 200)
    assert.equal(await browser.status('/panel/podatki'), 200)

    await db.from('staff_users').where('login', 'skarbnik').update({ roles: 'clerk' })
    assert.equal(await browser.status('/panel/podatki'), 403)
  })

  test('the session row ended elsewhere closes the session on the next request', async ({
    assert,
  }) => {
    const resident = await makeResident('jan.wrobel@testowa.localhost')
    const browser = await signInResident('jan.wrobel@testowa.localhost')
    assert.equal(await browser.status('/konto'), 200)
    await db.from('auth_sessions').where({ realm: 'resident', account_id: resident.id }).delete()
    const after = await browser.get('/konto')
    assert.equal(after.status, 302)
    assert.equal(after.location, '/konto/logowanie')
  })

  test('a changed password ends the other sessions of a resident; this one continues', async ({
    assert,
  }) => {
    await makeResident('maria.lis@testowa.localhost')
    const here = await signInResident('maria.lis@testowa.localhost')
    const elsewhere = await signInResident('maria.lis@testowa.localhost')
    const changed = await here.submit('/konto/haslo', '/konto/haslo', {
      current_password: PASSWORD,
      password: 'nowe hasło nad Odrą 2026',
      password_confirmation: 'nowe hasło nad Odrą 2026',
    })
    assert.equal(changed.location, '/konto')
    assert.equal(await here.status('/konto'), 200)
    const other = await elsewhere.get('/konto')
    assert.equal(other.status, 302)
    assert.equal(other.location, '/konto/logowanie')
  })

  test('a password reset from the e-mail link ends every session of the resident', async ({
    assert,
  }) => {
    const resident = await makeResident('tomasz.bak@testowa.localhost')
    const signedIn = await signInResident('tomasz.bak@testowa.localhost')
    const token = await accountTokens.issue('password_reset', 'resident', resident.id, 60)
    const visitor = new CookieBrowser()
    const reset = await visitor.submit(`/konto/nowe-haslo/${token}`, `/konto/nowe-haslo/${token}`, {
      password: 'nowe hasło nad Odrą 2026',
      password_confirmation: 'nowe hasło nad Odrą 2026',
    })
    assert.equal(reset.location, '/konto/logowanie')
    const before = await signedIn.get('/konto')
    assert.equal(before.status, 302)
    assert.equal(before.location, '/konto/logowanie')
  })

  test('a clerk changing the password ends their other sessions; this one continues', async ({
    assert,
  }) => {
    await makeStaff('kadry', ['clerk'])
    const signIn = async () => {
      const browser = new CookieBrowser()
      const answer = await browser.submit('/panel/logowanie', '/panel/logowanie', {
        login: 'kadry',
        password: PASSWORD,
      })
      assert.equal(answer.location, '/panel')
      return browser
    }
    const here = await signIn()
    const elsewhere = await signIn()
    const changed = await here.submit('/panel/haslo', '/panel/haslo', {
      current_password: PASSWORD,
      password: 'nowe hasło nad Odrą 2026',
      password_confirmation: 'nowe hasło nad Odrą 2026',
    })
    assert.equal(changed.location, '/panel')
    assert.equal(await here.status('/panel'), 200)
    const other = await elsewhere.get('/panel')
    assert.equal(other.status, 302)
    assert.equal(other.location, '/panel/logowanie')
  })
})
