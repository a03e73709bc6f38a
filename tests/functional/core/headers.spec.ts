import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiResponse } from '@japa/api-client'
import StaffUser from '#core/models/staff_user'
import officeProfileService from '#core/services/office_profile_service'
import publicPageCache from '#core/services/public_page_cache'
import { makeResident, makeStaff, resetSharedState, withOffice } from '#tests/helpers'

const XSS = '<script>alert(1)</script>'
const XSS_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;'

function assertSecurityHeaders(assert: any, response: ApiResponse, label: string) {
  const csp = String(response.header('content-security-policy') ?? '')
  assert.include(csp, "frame-ancestors 'none'", label)
  assert.include(csp, "default-src 'self'", label)
  assert.include(csp, "script-src 'self'", label)
  assert.include(csp, "object-src 'none'", label)
  assert.include(csp, "base-uri 'self'", label)
  assert.include(csp, "form-action 'self'", label)
  assert.notInclude(csp, 'unsafe-inline', label)
  assert.notInclude(csp, 'unsafe-eval', label)
  assert.equal(response.header('x-content-type-options'), 'nosniff', label)
  assert.equal(response.header('x-frame-options'), 'DENY', label)
  assert.equal(response.header('referrer-policy'), 'strict-origin-when-cross-origin', label)
}

test.group('Headers / security headers', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('public pages, the health check and error pages carry CSP, nosniff, Referrer-Policy and X-Frame-Options', async ({
    client,
    assert,
  }) => {
    for (const path of [
      '/',
      '/kontakt',
      '/deklaracja-dostepnosci',
      '/ochrona-danych',
      '/up',
      '/nie-ma-takiej-strony',
      '/konto/logowanie',
      '/konto/rejestracja',
    ]) {
      const response = await client.get(path).redirects(0)
      assertSecurityHeaders(assert, response, path)
    }
  })

  test('staff pages carry the same headers, also when forbidden or outside the office', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const clerk = await makeStaff('jkowalski', ['clerk'])
    assertSecurityHeaders(assert, await client.get('/panel/logowanie').redirects(0), 'staff login')
    assertSecurityHeaders(assert, await client.get('/panel').redirects(0), 'panel redirect')
    assertSecurityHeaders(assert, await client.get('/panel').signedIn('staff', admin), 'dashboard')
    assertSecurityHeaders(
      assert,
      await client.get('/panel/admin/dziennik').signedIn('staff', admin),
      'audit'
    )
    const forbidden = await client.get('/panel/admin/dziennik').signedIn('staff', clerk)
    forbidden.assertStatus(403)
    assertSecurityHeaders(assert, forbidden, '403')
    const outside = await client.get('/panel/logowanie').header('X-Forwarded-For', '203.0.113.7')
    outside.assertStatus(404)
    assertSecurityHeaders(assert, outside, 'outside 404')
  })

  test('no inline scripts or styles in the pages themselves', async ({ client, assert }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const pages = [
      await client.get('/'),
      await client.get('/kontakt'),
      await client.get('/konto/logowanie'),
      await client.get('/panel/logowanie'),
      await client.get('/panel/admin/pracownicy').signedIn('staff', admin),
    ]
    for (const page of pages) {
      const html = page.text()
      assert.notMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline <script>')
      assert.notMatch(html, /<style[\s>]/i, 'inline <style>')
      assert.notMatch(html, /\sstyle=["']/i, 'style attribute')
      assert.notMatch(html, /\son[a-z]+=["']/i, 'event handler attribute')
    }
  })

  test('Cache-Control: no-store behind login and on sign-in forms; public pages are cacheable', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const resident = await makeResident('jan.nowak@example.pl')
    for (const path of [
      '/panel',
      '/panel/haslo',
      '/panel/admin/urzad',
      '/panel/admin/pracownicy',
      '/panel/admin/dziennik',
      '/panel/admin/wiadomosci',
    ]) {
      const response = await client.get(path).signedIn('staff', admin)
      response.assertStatus(200)
      assert.equal(response.header('cache-control'), 'no-store', path)
    }
    for (const path of ['/konto', '/konto/haslo']) {
      const response = await client.get(path).signedIn('resident', resident)
      response.assertStatus(200)
      assert.equal(response.header('cache-control'), 'no-store', path)
    }
    for (const path of ['/panel/logowanie', '/konto/logowanie']) {
      const form = await client.get(path)
      assert.equal(form.header('cache-control'), 'no-store', path)
    }
    const home = await client.get('/')
    assert.equal(home.header('cache-control'), 'public, max-age=60')
  })

  test('the session cookie is HttpOnly and SameSite, and public pages set no cookie', async ({
    client,
    assert,
  }) => {
    const login = await client.get('/konto/logowanie')
    const cookies = ([] as string[]).concat(login.header('set-cookie') ?? [])
    const session = cookies.find((cookie) => /^(__Host-ratusz|ratusz_session)=/.test(cookie))
    assert.exists(session, 'session cookie')
    assert.match(session!, /;\s*HttpOnly/i)
    assert.match(session!, /;\s*SameSite=Lax/i)
    assert.match(session!, /;\s*Path=\//i)
    for (const path of ['/', '/kontakt', '/up']) {
      const page = await client.get(path)
      assert.isUndefined(page.header('set-cookie'), path)
    }
  })
})

test.group('Headers / stored XSS renders escaped', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  group.each.teardown(() => {
    officeProfileService.forget()
    publicPageCache.clear()
  })

  test('an office name with a script tag is shown as text on the home and contact pages', async ({
    client,
    assert,
  }) => {
    /* Warm the cache first: saving the profile must clear it. */
    await client.get('/')
    const current = (await officeProfileService.get())!
    await officeProfileService.save({
      name: XSS,
      teryt: current.teryt,
      street: 'ul. "Długa" 5 <b>',
      postalCode: current.postalCode,
      city: `Testowo<img src=x onerror=alert(2)>`,
      nip: current.nip,
      regon: current.regon,
      bankAccount: current.bankAccount,
      email: current.email,
      phone: current.phone,
      openingHours: `pon.–pt. 7:30–15:30\n<iframe src="https://example.com"></iframe>`,
    })
    for (const path of ['/', '/kontakt']) {
      const page = await client.get(path)
      page.assertStatus(200)
      const html = page.text()
      assert.notInclude(html, XSS, path)
      assert.include(html, XSS_ESCAPED, path)
      assert.notInclude(html, '<img src=x', path)
      assert.include(html, 'Testowo&lt;img src=x onerror=alert(2)&gt;', path)
      assert.notInclude(html, '<iframe', path)
      assert.notInclude(html, '<b>', path)
    }
  })

  test('the office form shows stored text escaped inside input values', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const current = (await officeProfileService.get())!
    const { teryt, street, postalCode, city, nip, regon, bankAccount, email, phone } = current
    await officeProfileService.save({
      teryt,
      street,
      postalCode,
      city,
      nip,
      regon,
      bankAccount,
      email,
      phone,
      name: `Gmina "><script>alert(3)</script>`,
      openingHours: `</textarea><script>alert(4)</script>`,
    })
    const page = await client.get('/panel/admin/urzad').signedIn('staff', admin)
    page.assertStatus(200)
    assert.notInclude(page.text(), '<script>alert(3)</script>')
    assert.notInclude(page.text(), '<script>alert(4)</script>')
    assert.include(page.text(), 'value="Gmina &quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"')
  })

  test('a staff name and a login attempt with markup are escaped in the admin pages', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const user = await makeStaff('jkowalski', ['clerk'])
    user.fullName = `Jan "><svg onload=alert(5)>`
    await user.save()
    await client
      .post('/panel/logowanie')
      .form({ login: `<script>alert(6)</script>`, password: 'cokolwiek' })
      .withCsrfToken()
      .redirects(0)

    const list = await client.get('/panel/admin/pracownicy').signedIn('staff', admin)
    assert.notInclude(list.text(), '<svg onload=alert(5)>')
    const edit = await client.get(`/panel/admin/pracownicy/${user.id}`).signedIn('staff', admin)
    assert.notInclude(edit.text(), '<svg onload=alert(5)>')
    assert.include(edit.text(), '&lt;svg onload=alert(5)&gt;')
    const audit = await client.get('/panel/admin/dziennik').signedIn('staff', admin)
    assert.notInclude(audit.text(), '<script>alert(6)</script>')
    assert.include(audit.text(), '&lt;script&gt;alert(6)&lt;/script&gt;')
  })

  test('typed text flashed back into a form cannot break out of the value attribute', async ({
    client,
    assert,
  }) => {
    const page = await client.get('/konto/logowanie').withFlashMessages({
      email: `"><script>alert(7)</script>`,
      formError: 'Nieprawidłowy adres e-mail lub hasło.',
    })
    page.assertStatus(200)
    assert.notInclude(page.text(), '<script>alert(7)</script>')
    assert.include(page.text(), 'value="&quot;&gt;&lt;script&gt;alert(7)&lt;/script&gt;"')
  })
})
