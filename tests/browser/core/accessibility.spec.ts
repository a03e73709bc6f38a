/*
 * axe-core (WCAG 2.0/2.1 A and AA, plus best practices) on every core page, as
 * rendered by the real server with its CSP on. Each page is also saved as a
 * full-page PNG in tmp/screenshots/ for a person to look at.
 */
import { test } from '@japa/runner'
import type { Page } from 'playwright-core'
import { makeResident, makeStaff, withOffice } from '#tests/helpers'
import {
  axeViolations,
  collectConsoleErrors,
  describeViolations,
  emptyCoreTables,
  residentSignIn,
  screenshot,
  staffSignIn,
  unique,
  withAxe,
} from '#tests/browser/support'

async function assertAccessible(assert: any, page: Page, name: string, consoleErrors: string[] = []) {
  await screenshot(page, name)
  const violations = await axeViolations(page)
  assert.lengthOf(violations, 0, describeViolations(`${name} (${page.url()})`, violations))
  assert.deepEqual(consoleErrors, [], `${name}: console errors (CSP?)`)
}

/* First in the file: the wizard only exists while there is no office and no administrator. */
test.group('Accessibility / setup wizard on an empty database', (group) => {
  group.setup(() => emptyCoreTables())
  group.teardown(() => emptyCoreTables())

  test('the setup wizard, empty and with validation errors', async ({ browserContext, assert }) => {
    await withAxe(browserContext)
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
    await page.goto('/panel')
    assert.match(page.url(), /\/setup$/)
    assert.equal(await page.locator('h1').textContent(), 'Pierwsze uruchomienie Ratusza')
    await assertAccessible(assert, page, 'setup', consoleErrors)

    await page.getByRole('button', { name: 'Zapisz i zakończ konfigurację' }).click()
    await page.waitForLoadState('load')
    assert.isTrue(await page.locator('.error-summary').isVisible())
    assert.isAbove(await page.locator('.field--error').count(), 3)
    await assertAccessible(assert, page, 'setup-errors', consoleErrors)
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

  test('{name} has no axe violations')
    .with([
      { name: 'home', url: '/', h1: 'Załatw sprawę w urzędzie przez internet' },
      { name: 'contact', url: '/kontakt', h1: 'Kontakt' },
      { name: 'accessibility-statement', url: '/deklaracja-dostepnosci', h1: 'Deklaracja dostępności' },
      { name: 'privacy', url: '/ochrona-danych', h1: null },
      { name: 'staff-login', url: '/panel/logowanie', h1: 'Logowanie do panelu urzędu' },
      { name: 'resident-login', url: '/konto/logowanie', h1: 'Zaloguj się do e-BOK' },
      { name: 'resident-register', url: '/konto/rejestracja', h1: 'Załóż konto w e-BOK' },
      { name: 'resident-forgot', url: '/konto/przypomnij-haslo', h1: null },
    ])
    .run(async ({ browserContext, assert }, row) => {
      await withAxe(browserContext)
      const page = await browserContext.newPage()
      const consoleErrors = collectConsoleErrors(page)
      const response = await page.goto(row.url)
      assert.equal(response?.status(), 200)
      assert.equal(await page.locator('html').getAttribute('lang'), 'pl')
      if (row.h1) assert.include(await page.locator('h1').textContent(), row.h1)
      await assertAccessible(assert, page, row.name, consoleErrors)
    })

  test('the staff dashboard after signing in through the form', async ({ browserContext, assert }) => {
    await withAxe(browserContext)
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
    await staffSignIn(page, clerk)
    assert.match(page.url(), /\/panel$/)
    assert.include(await page.locator('h1').textContent(), 'Dzień dobry')
    await assertAccessible(assert, page, 'staff-dashboard', consoleErrors)

    await page.goto('/panel/haslo')
    await assertAccessible(assert, page, 'staff-password', consoleErrors)
  })

  test('the resident dashboard after signing in', async ({ browserContext, assert }) => {
    await withAxe(browserContext)
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
    await residentSignIn(page, residentEmail)
    assert.match(page.url(), /\/konto$/)
    assert.equal(await page.locator('h1').textContent(), 'Moje konto w e-BOK')
    await assertAccessible(assert, page, 'resident-dashboard', consoleErrors)
  })

  test('a registration form sent empty: error summary and field errors', async ({ browserContext, assert }) => {
    await withAxe(browserContext)
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
    await page.goto('/konto/rejestracja')
    await page.getByRole('button', { name: 'Załóż konto' }).click()
    await page.waitForLoadState('load')
    const summary = page.locator('.error-summary')
    assert.isTrue(await summary.isVisible())
    assert.equal(await summary.getAttribute('role'), 'alert')
    /* Every summary link points at a field that exists and says it is invalid. */
    const targets = await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))
    assert.isAbove(targets.length, 2)
    for (const href of targets) {
      const field = page.locator(href!)
      assert.equal(await field.count(), 1, `summary link ${href} has no field`)
      assert.equal(await field.getAttribute('aria-invalid'), 'true', `${href} is not marked invalid`)
      const describedBy = (await field.getAttribute('aria-describedby')) ?? ''
      assert.include(describedBy, `${href!.slice(1)}-error`, `${href} is not described by its error message`)
    }
    await assertAccessible(assert, page, 'resident-register-errors', consoleErrors)
  })

  test('a staff sign-in refused with a form error', async ({ browserContext, assert }) => {
    await withAxe(browserContext)
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
    await staffSignIn(page, clerk, 'to nie jest hasło')
    assert.include(await page.locator('.error-summary').textContent(), 'Nieprawidłowy login lub hasło.')
    await assertAccessible(assert, page, 'staff-login-error', consoleErrors)
  })
})
