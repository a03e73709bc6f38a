/*
 * Reminders as the finance clerk runs them: the form, a refused date, the
 * preview, issuing, the batch page with the list for posting and "posted".
 * axe-core on every page; with SCREENSHOTS=1 each page is saved in tmp/screenshots/.
 */
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import officeProfileService from '#core/services/office_profile_service'
import { makeStaff, withOffice } from '#tests/helpers'
import {
  removeFeesTaxpayer,
  taxpayerWithDecision,
  type TaxpayerWithDecision,
} from '#tests/fees_fixtures'
import {
  andWaitForPage,
  emptyCoreTables,
  staffSignIn,
  unique,
  checkedPage,
} from '#tests/browser/support'

test.group('Browser / reminders (upomnienia)', (group) => {
  const login = unique('ksiegowa')
  let account: TaxpayerWithDecision

  group.setup(async () => {
    await emptyCoreTables()
    await withOffice()
    await officeProfileService.get()
    const clerk = await makeStaff(login, ['clerk'])
    clerk.unit = 'FN'
    await clerk.save()
    account = await taxpayerWithDecision({
      data: { name: 'Źródlana-Wężyk Zofia', pesel: null },
    })
    return async () => {
      await removeFeesTaxpayer(account.taxpayer.id)
      await db.from('background_tasks').where('kind', 'like', 'fees.reminders%').delete()
      await emptyCoreTables()
    }
  })

  test('form, preview, issue, the list for posting and "posted"', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await staffSignIn(page, login)
    await page.goto('/panel/podatki/upomnienia')
    assert.equal(await page.locator('h1').textContent(), 'Upomnienia')
    await checks.audit('fees-reminders-form')

    await page.getByLabel('Stan zaległości na dzień').fill('2026-06-20')
    await page.getByLabel('Więcej niż tyle dni po terminie').fill('dużo')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Przygotuj listę' }).click())
    assert.isTrue(await page.locator('.error-summary').isVisible())
    assert.equal(
      await page.getByLabel('Więcej niż tyle dni po terminie').getAttribute('aria-invalid'),
      'true'
    )
    await checks.audit('fees-reminders-errors')

    await page.getByLabel('Więcej niż tyle dni po terminie').fill('30')
    /* Preview and issue run as background tasks (at once with the tests' sync queue). */
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Przygotuj listę' }).click())
    assert.match(new URL(page.url()).pathname, /^\/panel\/zadania\/\d+$/)
    assert.include(await page.locator('main').innerText(), 'zakończone')
    await checks.audit('fees-reminders-preview-task')
    await andWaitForPage(page, () =>
      page.getByRole('link', { name: 'Pokaż listę na ekranie i wystaw upomnienia' }).click()
    )
    assert.include(await page.locator('main').innerText(), 'Źródlana-Wężyk Zofia')
    await checks.audit('fees-reminders-preview')

    await andWaitForPage(page, () =>
      page.getByRole('button', { name: /^Wystaw upomnienia/ }).click()
    )
    assert.match(new URL(page.url()).pathname, /^\/panel\/zadania\/\d+$/)
    assert.include(await page.locator('main').innerText(), 'Wystawione upomnienia')
    await checks.audit('fees-reminders-issue-task')
    await andWaitForPage(page, () =>
      page.getByRole('link', { name: /^Partia 20260620-30/ }).click()
    )
    assert.match(page.url(), /\/panel\/podatki\/upomnienia\/partie\/20260620-30$/)
    const main = await page.locator('main').innerText()
    assert.include(main, 'FN.3122.')
    assert.include(main, 'ul. Źródlana 7, 12-345 Testowo')
    await checks.audit('fees-reminders-batch')

    await andWaitForPage(page, () =>
      page.getByRole('button', { name: /^Oznacz jako nadane/ }).click()
    )
    assert.include(await page.locator('main').innerText(), 'Oznaczono jako nadane: 1.')
    const reminder = await db
      .from('fees_reminders')
      .where('taxpayer_id', account.taxpayer.id)
      .firstOrFail()
    assert.equal(reminder.status, 'posted')
    await checks.audit('fees-reminders-posted')
    checks.done(assert)
  }).timeout(120_000)
})
