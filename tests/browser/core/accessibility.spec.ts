/*
 * axe-core (WCAG 2.0/2.1 A and AA, plus best practices) on every core page, as
 * rendered by the real server with its CSP switched on. With SCREENSHOTS=1 each
 * page checked is also saved as a full-page PNG in tmp/screenshots/.
 */
import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import type { Page } from 'playwright-core'
import { makeResident, makeStaff, withOffice } from '#tests/helpers'
import {
  andWaitForPage,
  axeViolations,
  collectConsoleErrors,
  describeViolations,
  emptyCoreTables,
  residentSignIn,
  screenshot,
  shootingEnabled,
  staffSignIn,
  staffSignInWithTotp,
  unique,
} from '#tests/browser/support'

/**
 * axe on the page as it is now; returns a readable report ('' when clean). The
 * page is saved to tmp/screenshots/<name>.png when it fails or with SCREENSHOTS=1.
 */
async function audit(page: Page, name: string, consoleErrors: string[]): Promise<string> {
  const violations = await axeViolations(page)
  const problems: string[] = []
  /* Template syntax that reached the page: an Edge tag not on a line of its own, say. */
  const text = await page.locator('body').innerText()
  const raw = text.match(/@!?[a-z.]+\(|\{\{|\}\}/gi)
  if (raw) problems.push(`${name}: raw template syntax on the page: ${raw.join(', ')}`)
  if (violations.length)
    problems.push(describeViolations(`${name} (${new URL(page.url()).pathname})`, violations))
  if (consoleErrors.length)
    problems.push(
      `${name}: browser console errors (CSP?):\n  ${consoleErrors.splice(0).join('\n  ')}`
    )
  if (problems.length || shootingEnabled()) await screenshot(page, name)
  return problems.join('\n')
}

function assertClean(assert: Assert, reports: string[]) {
  const failures = reports.filter(Boolean)
  assert.isTrue(failures.length === 0, `\n${failures.join('\n')}`)
}

/* The wizard only exists while there is no office and no administrator: this group empties the tables. */
test.group('Accessibility / setup wizard on an empty database', (group) => {
  group.setup(async () => {
    await emptyCoreTables()
    return () => emptyCoreTables()
  })

  test('the setup wizard, empty and after an empty submit', async ({ browserContext, assert }) => {
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
    await page.goto('/panel')
    assert.match(page.url(), /\/setup$/)
    assert.equal(await page.locator('h1').textContent(), 'Pierwsze uruchomienie Ratusza')
    const reports = [await audit(page, 'setup', consoleErrors)]

    await andWaitForPage(page, () =>
      page.getByRole('button', { name: 'Zapisz i zakończ konfigurację' }).click()
    )
    assert.match(page.url(), /\/setup$/)
    assert.isTrue(await page.locator('.error-summary').isVisible())
    assert.isAbove(await page.locator('.field--error').count(), 3)
    reports.push(await audit(page, 'setup-errors', consoleErrors))
    assertClean(assert, reports)
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
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
    const reports: string[] = []
    for (const entry of pages) {
      const response = await page.goto(entry.url)
      assert.equal(response?.status(), 200, entry.url)
      assert.equal(await page.locator('html').getAttribute('lang'), 'pl', entry.url)
      assert.equal(await page.locator('h1').count(), 1, `${entry.url}: one h1`)
      assert.include(await page.locator('h1').textContent(), entry.h1)
      reports.push(await audit(page, entry.name, consoleErrors))
    }
    assertClean(assert, reports)
  })

  test('the staff dashboard and password page after signing in through the form', async ({
    browserContext,
    assert,
  }) => {
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
    await staffSignIn(page, clerk)
    assert.match(page.url(), /\/panel$/)
    assert.include(await page.locator('h1').textContent(), 'Dzień dobry')
    const reports = [await audit(page, 'staff-dashboard', consoleErrors)]
    await page.goto('/panel/haslo')
    reports.push(await audit(page, 'staff-password', consoleErrors))
    assertClean(assert, reports)
  })

  test('the administration pages of an administrator signed in with TOTP', async ({
    browserContext,
    assert,
  }) => {
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
    await staffSignInWithTotp(page, 'informatyk')
    const reports: string[] = []
    for (const [path, name] of [
      ['/panel/admin/urzad', 'admin-office'],
      ['/panel/admin/pracownicy', 'admin-staff'],
      ['/panel/admin/pracownicy/nowy', 'admin-staff-new'],
      ['/panel/admin/dziennik', 'admin-audit'],
      ['/panel/admin/wiadomosci', 'admin-outbox'],
    ]) {
      const response = await page.goto(path)
      assert.equal(response?.status(), 200, path)
      reports.push(await audit(page, name, consoleErrors))
    }
    assertClean(assert, reports)
  })

  test('the resident dashboard after signing in', async ({ browserContext, assert }) => {
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
    await residentSignIn(page, residentEmail)
    assert.match(page.url(), /\/konto$/)
    assert.equal(await page.locator('h1').textContent(), 'Moje konto w e-BOK')
    assertClean(assert, [await audit(page, 'resident-dashboard', consoleErrors)])
  })

  test('forms showing errors: registration sent empty, a refused staff sign-in', async ({
    browserContext,
    assert,
  }) => {
    const page = await browserContext.newPage()
    const consoleErrors = collectConsoleErrors(page)
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
    const reports = [await audit(page, 'resident-register-errors', consoleErrors)]

    await staffSignIn(page, clerk, 'to nie jest hasło')
    assert.include(
      await page.locator('.error-summary').textContent(),
      'Nieprawidłowy login lub hasło.'
    )
    reports.push(await audit(page, 'staff-login-error', consoleErrors))
    assertClean(assert, reports)
  })
})
