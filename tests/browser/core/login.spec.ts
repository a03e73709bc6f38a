/*
 * Signing in and out as people do it: typing into the real forms, pressing
 * Enter, clicking buttons; plus keyboard-only use and the language switch.
 */
import { test } from '@japa/runner'
import type { Page } from 'playwright-core'
import { PASSWORD, makeResident, makeStaff, withOffice } from '#tests/helpers'
import {
  andWaitForPage,
  emptyCoreTables,
  residentSignIn,
  screenshot,
  shootingEnabled,
  staffSignInWithTotp,
  unique,
} from '#tests/browser/support'

/** What has focus, as a short readable string ("body", "a.skip-link", "main#main"…). */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el) return 'none'
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`
  })
}

test.group('Sign-in in a real browser', (group) => {
  const clerk = unique('kowalski')
  const residentEmail = `${unique('nowak')}@example.localhost`

  group.setup(async () => {
    await emptyCoreTables()
    /* withOffice() also creates the administrator "informatyk" with TOTP. */
    await withOffice()
    await makeStaff(clerk, ['clerk'])
    await makeResident(residentEmail)
    return () => emptyCoreTables()
  })

  test('a clerk types login and password, presses Enter, reaches the dashboard and signs out', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/panel/logowanie')
    await page.getByLabel('Login', { exact: true }).pressSequentially(clerk)
    await page.getByLabel('Hasło', { exact: true }).pressSequentially(PASSWORD)
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/panel$/)
    assert.include(await page.locator('h1').textContent(), 'Dzień dobry')
    assert.include(await page.locator('h1').textContent(), `Test ${clerk}`)
    assert.include(await page.title(), 'Pulpit')
    /* A clerk has no administration menu. */
    assert.equal(await page.getByRole('heading', { name: 'Administracja' }).count(), 0)

    await page.getByRole('button', { name: 'Wyloguj' }).click()
    await page.waitForURL(/\/panel\/logowanie$/)
    assert.include(await page.locator('.banner').textContent(), 'Wylogowano.')
    /* The session is really gone: the panel sends us back to the form. */
    await page.goto('/panel')
    assert.match(page.url(), /\/panel\/logowanie$/)
  })

  test('an administrator with TOTP: password form, then the code page', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/panel/logowanie')
    await staffSignInWithTotp(page, 'informatyk')
    assert.include(await page.locator('h1').textContent(), 'Dzień dobry, Test informatyk')
    assert.isTrue(await page.getByRole('heading', { name: 'Administracja' }).isVisible())
    assert.isTrue(await page.getByRole('link', { name: 'Pracownicy i role' }).isVisible())
    assert.equal(
      await page.locator('.card', { hasText: 'Weryfikacja dwuetapowa' }).locator('p').textContent(),
      'Włączona'
    )
  })

  test('a wrong password shows the error summary in Polish and keeps focus sensible', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/panel/logowanie')
    await page.getByLabel('Login', { exact: true }).fill(clerk)
    await page.getByLabel('Hasło', { exact: true }).fill('zupełnie nie to hasło')
    await andWaitForPage(page, () => page.getByLabel('Hasło', { exact: true }).press('Enter'))
    assert.match(page.url(), /\/panel\/logowanie$/)
    const summary = page.locator('.error-summary')
    assert.isTrue(await summary.isVisible())
    assert.equal(await summary.getAttribute('role'), 'alert')
    assert.equal(await summary.locator('h2').textContent(), 'Popraw błędy w formularzu')
    assert.equal(await summary.locator('li').innerText(), 'Nieprawidłowy login lub hasło.')
    /* The login is kept, the password is not. */
    assert.equal(await page.getByLabel('Login', { exact: true }).inputValue(), clerk)
    assert.equal(await page.getByLabel('Hasło', { exact: true }).inputValue(), '')
    /* No script moves focus around: it is at the start of the page, not on some button or footer link. */
    assert.oneOf(await focused(page), ['body.staff', 'div.error-summary'])
    /* The first Tab lands on the skip link, as on any page. */
    await page.keyboard.press('Tab')
    assert.equal(await focused(page), 'a.skip-link')
    if (shootingEnabled()) await screenshot(page, 'staff-login-error-focus')
  })

  test('a resident signs in at /konto/logowanie and sees the e-BOK account', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/')
    await page
      .getByRole('navigation', { name: 'Menu główne' })
      .getByRole('link', { name: 'e-BOK' })
      .click()
    /* Not signed in: the account link leads to the sign-in form. */
    await page.waitForURL(/\/konto\/logowanie$/)
    await residentSignIn(page, residentEmail)
    assert.match(page.url(), /\/konto$/)
    assert.equal(await page.locator('h1').textContent(), 'Moje konto w e-BOK')
    assert.include(await page.locator('.account-bar').textContent(), 'Jan Mieszkaniec')
    await page.getByRole('button', { name: 'Wyloguj' }).click()
    await page.waitForURL(/\/konto\/logowanie$/)
    assert.include(await page.locator('.banner').textContent(), 'Wylogowano.')
  })
})

test.group('Keyboard and language', (group) => {
  group.setup(async () => {
    await emptyCoreTables()
    await withOffice()
    return () => emptyCoreTables()
  })

  test('the first Tab focuses the visible skip link; Enter moves focus to the main content', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/')
    await page.keyboard.press('Tab')
    const skip = page.locator('a.skip-link')
    assert.equal(await focused(page), 'a.skip-link')
    assert.equal(await skip.textContent(), 'Przejdź do treści')
    /* Off-screen until focused, then on screen with the yellow focus colour. */
    const box = await skip.boundingBox()
    assert.isNotNull(box)
    assert.isAtLeast(box!.x, 0)
    assert.isAtLeast(box!.y, 0)
    assert.equal(
      await skip.evaluate((el) => getComputedStyle(el).backgroundColor),
      'rgb(255, 221, 0)'
    )
    if (shootingEnabled()) await screenshot(page, 'home-skip-link-focus')

    await page.keyboard.press('Enter')
    /* Following a fragment link is asynchronous in Chromium: wait for it, a bounded wait. */
    await page.waitForURL(/#main$/, { timeout: 5000 })
    await page.waitForFunction(() => document.activeElement?.id === 'main', null, { timeout: 5000 })
    assert.match(page.url(), /#main$/)
    assert.equal(await focused(page), 'main#main.container.main')
    /* The next Tab continues inside the content, past the header navigation. */
    await page.keyboard.press('Tab')
    assert.isTrue(
      await page.evaluate(() => document.querySelector('main')!.contains(document.activeElement))
    )
  })

  test('keyboard focus on form fields and buttons is clearly visible', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/konto/logowanie')
    await page.getByLabel('Adres e-mail').focus()
    const input = await page.getByLabel('Adres e-mail').evaluate((el) => {
      const style = getComputedStyle(el)
      return {
        outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
        shadow: style.boxShadow,
      }
    })
    assert.equal(input.outline, 'solid 3px rgb(255, 221, 0)')
    assert.notEqual(input.shadow, 'none')
    await page.getByLabel('Hasło', { exact: true }).focus()
    await page.keyboard.press('Tab')
    const button = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      return { text: el.textContent, outline: getComputedStyle(el).outlineStyle }
    })
    assert.deepEqual(button, { text: 'Zaloguj się', outline: 'solid' })
    if (shootingEnabled()) await screenshot(page, 'resident-login-button-focus')
  })

  /* Public pages vary by the language cookie, so the switch never shows a cached copy in the other language. */
  test('the English switch in the footer translates the home page, and Polski switches back', async ({
    visit,
    assert,
  }) => {
    const page = await visit('/')
    assert.equal(await page.locator('h1').textContent(), 'Załatw sprawę w urzędzie przez internet')
    assert.include(await page.title(), 'Załatw sprawę w urzędzie przez internet')

    await andWaitForPage(page, () =>
      page.getByRole('contentinfo').getByRole('link', { name: 'English' }).click()
    )
    assert.equal(new URL(page.url()).pathname, '/')
    assert.equal(await page.locator('html').getAttribute('lang'), 'en')
    assert.equal(await page.locator('h1').textContent(), 'Deal with the municipal office online')
    assert.include(await page.title(), 'Deal with the municipal office online')
    assert.equal(await page.locator('a.skip-link').textContent(), 'Skip to main content')
    if (shootingEnabled()) await screenshot(page, 'home-en')

    await andWaitForPage(page, () =>
      page.getByRole('contentinfo').getByRole('link', { name: 'Polski' }).click()
    )
    assert.equal(await page.locator('html').getAttribute('lang'), 'pl')
    assert.equal(await page.locator('h1').textContent(), 'Załatw sprawę w urzędzie przez internet')
    assert.include(await page.title(), 'Załatw sprawę w urzędzie przez internet')
  })

  test('the language switch remembers the choice and returns to the page it was used on', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const page = await visit('/kontakt')
    await andWaitForPage(page, () =>
      page.getByRole('contentinfo').getByRole('link', { name: 'English' }).click()
    )
    assert.equal(new URL(page.url()).pathname, '/kontakt')
    const cookies = await browserContext.cookies()
    const cookie = cookies.find((c) => c.name === 'ratusz_lang')
    assert.equal(cookie?.value, 'en')
    /* Revalidated with the server (see the known bug above): the page is in English. */
    await page.reload()
    assert.equal(await page.locator('html').getAttribute('lang'), 'en')
    assert.equal(await page.locator('h1').textContent(), 'Contact')
    assert.equal(
      await page.getByRole('navigation', { name: 'You are here' }).getByRole('link').textContent(),
      'Home'
    )

    await andWaitForPage(page, () =>
      page.getByRole('contentinfo').getByRole('link', { name: 'Polski' }).click()
    )
    assert.equal(new URL(page.url()).pathname, '/kontakt')
    await page.reload()
    assert.equal(await page.locator('h1').textContent(), 'Kontakt')
  })
})
