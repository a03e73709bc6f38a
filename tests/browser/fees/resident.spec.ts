/*
 * "Moje podatki i opłaty" as a resident uses it: signs in through the real
 * form, opens the page from the navigation, types the access code printed on
 * the decision and sees the arrears and the interest as of today. axe-core on
 * every new page; with SCREENSHOTS=1 each page is saved in tmp/screenshots/.
 */
import { test } from '@japa/runner'
import type { Locator } from 'playwright-core'
import db from '@adonisjs/lucid/services/db'
import { todayInWarsaw } from '#core/services/calendar'
import { formatMoney } from '#core/services/money'
import { residentInbox } from '#core/services/resident_inbox'
import officeProfileService from '#core/services/office_profile_service'
import { accountStatement } from '#fees/services/account_statement'
import { bookings } from '#fees/services/bookings'
import { makeResident, withOffice } from '#tests/helpers'
import {
  removeFeesTaxpayer,
  taxpayerWithDecision,
  type TaxpayerWithDecision,
} from '#tests/fees_fixtures'
import {
  andWaitForPage,
  emptyCoreTables,
  residentSignIn,
  unique,
  checkedPage,
} from '#tests/browser/support'

async function textOf(locator: Locator) {
  const text = await locator.innerText()
  return text.trim()
}

test.group('Browser / Moje podatki i opłaty', (group) => {
  const email = `${unique('podatnik')}@example.localhost`
  /* Last year's decision: by today every installment is overdue and carries interest. */
  const year = Number(todayInWarsaw().slice(0, 4)) - 1
  let account: TaxpayerWithDecision
  let messageId: number

  group.setup(async () => {
    await emptyCoreTables()
    await withOffice()
    /*
     * SQLite has one connection: taxpayers.create reads the office (for the account
     * number) outside its transaction, so the profile must be cached first.
     */
    await officeProfileService.get()
    const resident = await makeResident(email)
    account = await taxpayerWithDecision({
      year,
      issuedOn: `${year}-02-20`,
      data: { name: 'Wiśniewska Halina', pesel: null, email: null },
    })
    await bookings.bookPayment({
      taxpayerId: account.taxpayer.id,
      amountGr: 25_000,
      paidOn: `${year}-04-02`,
      source: 'bank',
      title: 'Podatek od nieruchomości, rata 1',
      idempotencyKey: `browser-resident-${email}`,
    })
    const message = await residentInbox.send({
      residentId: resident.id,
      subject: `Upomnienie w sprawie podatku za ${year} r.`,
      body: 'Na Twoim koncie podatnika jest zaległość.\nZapłać ją w ciągu 7 dni od doręczenia upomnienia.',
      link: '/konto/podatki',
    })
    messageId = message.id
    return async () => {
      await db.from('resident_messages').where('resident_id', resident.id).delete()
      await removeFeesTaxpayer(account.taxpayer.id)
      await emptyCoreTables()
    }
  })

  test('a resident links the account with the printed code and sees the arrears and interest as of today', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await residentSignIn(page, email)
    assert.match(page.url(), /\/konto$/)
    await checks.audit('fees-resident-dashboard')

    await andWaitForPage(page, () =>
      page.locator('.account-bar').getByRole('link', { name: 'Moje podatki i opłaty' }).click()
    )
    assert.match(page.url(), /\/konto\/podatki$/)
    assert.equal(await page.locator('h1').textContent(), 'Moje podatki i opłaty')
    assert.include(await page.locator('main').innerText(), 'Kod dostępu do e-BOK')
    await checks.audit('fees-resident-empty')

    /* A typo first: the error is on the field and in the summary. */
    await page.getByLabel('Kod dostępu').fill('abcd-efgh')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Połącz konto' }).click())
    assert.isTrue(await page.locator('.error-summary').isVisible())
    assert.equal(await page.getByLabel('Kod dostępu').getAttribute('aria-invalid'), 'true')
    assert.include(await page.locator('#f-kod-error').innerText(), 'XXXX-XXXX-XXXX')
    await checks.audit('fees-resident-link-error')

    /* Then the code as people copy it: lower case, spaces. */
    await page.getByLabel('Kod dostępu').fill(account.accessCode.toLowerCase().replace(/-/g, ' '))
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Połącz konto' }).click())
    assert.match(page.url(), new RegExp(`/konto/podatki/${account.taxpayer.id}$`))
    assert.include(await page.locator('.banner').innerText(), 'Połączono konto podatnika')
    assert.equal(await page.locator('h1').textContent(), 'Wiśniewska Halina')

    const today = todayInWarsaw()
    const statement = (await accountStatement(account.taxpayer.id, today))!
    assert.isAbove(statement.totals.arrearsGr, 0)
    assert.isAbove(statement.totals.interestGr, 0)
    const figure = async (name: string) => textOf(page.locator(`[data-total="${name}"]`))
    assert.equal(await figure('arrears'), formatMoney(statement.totals.arrearsGr))
    assert.equal(await figure('interest'), formatMoney(statement.totals.interestGr))
    assert.equal(await figure('to-pay-now'), formatMoney(statement.totals.toPayNowGr))
    assert.equal(await page.locator('[data-statement]').getAttribute('data-as-of'), today)
    assert.isTrue(await page.getByRole('img', { name: 'Kod QR do przelewu' }).isVisible())
    assert.isTrue(await page.getByRole('heading', { name: 'Jak zapłacić' }).isVisible())
    await checks.audit('fees-resident-account')

    /* The same account on another day, through the date form. */
    await page.getByRole('textbox', { name: 'Stan konta na dzień' }).fill(`${year}-12-31`)
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Pokaż' }).click())
    assert.include(page.url(), `na-dzien=${year}-12-31`)
    const then = (await accountStatement(account.taxpayer.id, `${year}-12-31`))!
    assert.equal(await figure('interest'), formatMoney(then.totals.interestGr))
    await checks.audit('fees-resident-account-as-of')

    const invalid = await page.goto(`/konto/podatki/${account.taxpayer.id}?na-dzien=${year}-02-30`)
    assert.equal(invalid?.status(), 422)
    /* The browser logs every non-2xx document; this one is expected. */
    assert.deepEqual(
      checks.consoleErrors.splice(0).filter((line) => !line.includes('status of 422')),
      []
    )
    assert.isTrue(await page.locator('.error-summary').isVisible())
    await checks.audit('fees-resident-account-date-error')

    await page.goto('/konto/podatki')
    assert.include(await page.locator('table[data-accounts]').innerText(), 'Wiśniewska Halina')
    await checks.audit('fees-resident-list')
    checks.done(assert)
  })

  test('the inbox lists the message, opens it and marks it read', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await residentSignIn(page, email)
    const inboxLink = page.locator('.account-bar').getByRole('link', { name: /^Wiadomości/ })
    assert.equal(await textOf(inboxLink), 'Wiadomości (1 nieprzeczytana)')
    await andWaitForPage(page, () => inboxLink.click())
    assert.match(page.url(), /\/konto\/wiadomosci$/)
    await checks.audit('resident-messages')

    await andWaitForPage(page, () =>
      page.getByRole('link', { name: `Upomnienie w sprawie podatku za ${year} r.` }).click()
    )
    assert.match(page.url(), new RegExp(`/konto/wiadomosci/${messageId}$`))
    assert.include(await page.locator('main').innerText(), 'Zapłać ją w ciągu 7 dni')
    await checks.audit('resident-message')

    await andWaitForPage(page, () =>
      page.getByRole('button', { name: 'Oznacz jako przeczytaną' }).click()
    )
    assert.match(page.url(), /\/konto\/wiadomosci$/)
    assert.equal(await textOf(inboxLink), 'Wiadomości')
    await checks.audit('resident-messages-read')
    checks.done(assert)
  })

  test('after five wrong codes the form says linking is paused (429) in plain Polish', async ({
    browserContext,
    assert,
  }) => {
    const guesser = `${unique('zgadywacz')}@example.localhost`
    await makeResident(guesser)
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await residentSignIn(page, guesser)
    await page.goto('/konto/podatki')
    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.getByLabel('Kod dostępu').fill(`2222-3333-444${attempt + 1}`)
      await andWaitForPage(page, () => page.getByRole('button', { name: 'Połącz konto' }).click())
    }
    assert.include(
      await textOf(page.locator('.error-summary')),
      'Wpisano zbyt wiele błędnych kodów dostępu.'
    )
    assert.deepEqual(
      checks.consoleErrors.splice(0).filter((line) => !line.includes('status of 429')),
      []
    )
    await checks.audit('fees-resident-link-throttled')
    checks.done(assert)
  })
})
