/*
 * axe-core (WCAG 2.0/2.1 A and AA, plus best practices) on every core page, as
 * rendered by the real server with its CSP switched on. With SCREENSHOTS=1 each
 * page checked is also saved as a full-page PNG in tmp/screenshots/.
 */
import { test } from '@japa/runner'
import { makeResident, makeStaff, withOffice } from '#tests/helpers'
import {
  andWaitForPage,
  emptyCoreTables,
  residentSignIn,
  staffSignIn,
  staffSignInWithTotp,
  unique,
  checkedPage,
} from '#tests/browser/support'

/* The wizard only exists while there is no office and no administrator: this group empties the tables. */
test.group('Accessibility / setup wizard on an empty database', (group) => {
  group.setup(async () => {
    await emptyCoreTables()
    return () => emptyCoreTables()
  })

  test('the setup wizard, empty and after an empty submit', async ({ browserContext, assert }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await page.goto('/panel')
    assert.match(page.url(), /\/setup$/)
    assert.equal(await page.locator('h1').textContent(), 'Pierwsze uruchomienie Ratusza')
    await checks.audit('setup')

    await andWaitForPage(page, () =>
      page.getByRole('button', { name: 'Zapisz i zakończ konfigurację' }).click()
    )
    assert.match(page.url(), /\/setup$/)
    assert.isTrue(await page.locator('.error-summary').isVisible())
    assert.isAbove(await page.locator('.field--error').count(), 3)
    await checks.audit('setup-errors')
    checks.done(assert)
  })
})

test.group('Accessibility / public, staff and resident pages', (group) => {
  const clerk = unique('urzednik')
  const residentEmail = `${unique('mieszkaniec')}@example.localhost`

  group.setup(async () => {
    await emptyCoreTables()
    await withOffice()
    await makeStaff(clerk, ['clerk'])
    await makeResident(residentEmail)
    return () => emptyCoreTables()
  })

  test('public pages and the sign-in and registration forms', async ({
    browserContext,
    assert,
  }) => {
    const pages = [
      { name: 'home', url: '/', h1: 'Załatw sprawę w urzędzie przez internet' },
      { name: 'contact', url: '/kontakt', h1: 'Kontakt' },
      {
        name: 'accessibility-statement',
        url: '/deklaracja-dostepnosci',
        h1: 'Deklaracja dostępności',
      },
      { name: 'privacy', url: '/ochrona-danych', h1: '' },
      { name: 'staff-login', url: '/panel/logowanie', h1: 'Logowanie do panelu urzędu' },
      { name: 'resident-login', url: '/konto/logowanie', h1: 'Zaloguj się do e-BOK' },
      { name: 'resident-register', url: '/konto/rejestracja', h1: 'Załóż konto w e-BOK' },
      { name: 'resident-forgot', url: '/konto/przypomnij-haslo', h1: '' },
    ]
    const checks = await checkedPage(browserContext)
    const page = checks.page
    for (const entry of pages) {
      const response = await page.goto(entry.url)
      assert.equal(response?.status(), 200, entry.url)
      assert.equal(await page.locator('html').getAttribute('lang'), 'pl', entry.url)
      assert.equal(await page.locator('h1').count(), 1, `${entry.url}: one h1`)
      assert.include(await page.locator('h1').textContent(), entry.h1)
      await checks.audit(entry.name)
    }
    checks.done(assert)
  })

  test('the staff dashboard and password page after signing in through the form', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await staffSignIn(page, clerk)
    assert.match(page.url(), /\/panel$/)
    assert.include(await page.locator('h1').textContent(), 'Dzień dobry')
    await checks.audit('staff-dashboard')
    await page.goto('/panel/haslo')
    await checks.audit('staff-password')
    checks.done(assert)
  })

  test('the administration pages of an administrator signed in with TOTP', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await staffSignInWithTotp(page, 'informatyk')
    for (const [path, name] of [
      ['/panel/admin/urzad', 'admin-office'],
      ['/panel/admin/pracownicy', 'admin-staff'],
      ['/panel/admin/pracownicy/nowy', 'admin-staff-new'],
      ['/panel/admin/dziennik', 'admin-audit'],
      ['/panel/admin/wiadomosci', 'admin-outbox'],
    ]) {
      const response = await page.goto(path)
      assert.equal(response?.status(), 200, path)
      await checks.audit(name)
    }
    checks.done(assert)
  })

  test('the resident dashboard after signing in', async ({ browserContext, assert }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await residentSignIn(page, residentEmail)
    assert.match(page.url(), /\/konto$/)
    assert.equal(await page.locator('h1').textContent(), 'Moje konto w e-BOK')
    await checks.audit('resident-dashboard')
    checks.done(assert)
  })

  test('forms showing errors: registration sent empty, a refused staff sign-in', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await page.goto('/konto/rejestracja')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Załóż konto' }).click())
    assert.match(page.url(), /\/konto\/rejestracja$/)
    const summary = page.locator('.error-summary')
    assert.isTrue(await summary.isVisible())
    assert.equal(await summary.getAttribute('role'), 'alert')
    /* Every summary link leads to a field that is marked invalid and described by its message. */
    const targets = await summary
      .locator('a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
    assert.isAbove(targets.length, 2)
    for (const href of targets) {
      const field = page.locator(href)
      assert.equal(await field.count(), 1, `summary link ${href} has no field`)
      assert.equal(
        await field.getAttribute('aria-invalid'),
        'true',
        `${href} is not marked invalid`
      )
      assert.include(
        (await field.getAttribute('aria-describedby')) ?? '',
        `${href.slice(1)}-error`,
        `${href} is not described by its error`
      )
      assert.isTrue(
        await page.locator(`${href}-error`).isVisible(),
        `${href}: no visible error message`
      )
    }
    await checks.audit('resident-register-errors')

    await staffSignIn(page, clerk, 'to nie jest hasło')
    assert.include(
      await page.locator('.error-summary').textContent(),
      'Nieprawidłowy login lub hasło.'
    )
    await checks.audit('staff-login-error')
    checks.done(assert)
  })
})
