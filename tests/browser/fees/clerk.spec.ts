/*
 * The tax clerk's pages as a treasurer uses them: signs in through the real
 * form with the TOTP code, finds a taxpayer, opens the account card, books a
 * cash payment and sees the arrears drop. axe-core on every new page; with
 * SCREENSHOTS=1 each page is saved in tmp/screenshots/.
 */
import { test } from '@japa/runner'
import type { Page } from 'playwright-core'
import db from '@adonisjs/lucid/services/db'
import { todayInWarsaw } from '#core/services/calendar'
import { parseMoney } from '#core/services/money'
import officeProfileService from '#core/services/office_profile_service'
import { makeStaff, withOffice } from '#tests/helpers'
import {
  removeFeesTaxpayer,
  seedTaxRates,
  taxpayerWithDecision,
  type TaxpayerWithDecision,
} from '#tests/fees_fixtures'
import {
  andWaitForPage,
  emptyCoreTables,
  staffSignInWithTotp,
  unique,
  checkedPage,
} from '#tests/browser/support'

async function arrearsOnCard(page: Page) {
  const text = await page.locator('[data-total="arrears"]').innerText()
  return parseMoney(text.trim())
}

test.group('Browser / tax clerk: register and account card', (group) => {
  const treasurer = unique('skarbnik')
  /* A TOTP code works once: the second test signs in as another treasurer within the same 30 s. */
  const secondTreasurer = unique('skarbnik')
  const year = Number(todayInWarsaw().slice(0, 4)) - 1
  let account: TaxpayerWithDecision

  group.setup(async () => {
    await emptyCoreTables()
    await withOffice()
    /* SQLite has one connection: cache the office before taxpayers.create reads it. */
    await officeProfileService.get()
    await makeStaff(treasurer, ['treasurer'], { totp: true })
    await makeStaff(secondTreasurer, ['treasurer'], { totp: true })
    account = await taxpayerWithDecision({
      year,
      issuedOn: `${year}-02-20`,
      data: { name: 'Pszczółkowska Bożena', pesel: null, email: 'b.pszczolkowska@example.pl' },
    })
    await seedTaxRates(year + 1)
    return async () => {
      await removeFeesTaxpayer(account.taxpayer.id)
      await emptyCoreTables()
    }
  })

  test('a treasurer finds the taxpayer, opens the card, books a cash payment and sees the arrears drop', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await page.goto('/panel/logowanie')
    await staffSignInWithTotp(page, treasurer)

    await andWaitForPage(page, () =>
      page
        .getByRole('navigation', { name: 'Menu panelu' })
        .getByRole('link', { name: 'Ewidencja podatników' })
        .click()
    )
    assert.match(page.url(), /\/panel\/podatki$/)
    await checks.audit('fees-clerk-register')

    await page.getByLabel('Szukaj podatnika').fill('pszczół')
    await andWaitForPage(page, () =>
      page.getByRole('button', { name: 'Szukaj', exact: true }).click()
    )
    await checks.audit('fees-clerk-search')
    await andWaitForPage(page, () =>
      page.getByRole('link', { name: 'Pszczółkowska Bożena' }).click()
    )
    assert.match(page.url(), new RegExp(`/panel/podatki/${account.taxpayer.id}$`))
    assert.include(await page.locator('h1').innerText(), 'Karta kontowa: Pszczółkowska Bożena')
    await checks.audit('fees-clerk-card')
    const before = await arrearsOnCard(page)
    assert.isAbove(before, 10_000)

    await andWaitForPage(page, () => page.getByRole('link', { name: 'Przyjmij wpłatę' }).click())
    await checks.audit('fees-clerk-payment-form')
    await page.getByLabel('Kwota', { exact: true }).fill('100,00')
    /* A double click sends the form twice with the same token: one payment is booked. */
    await andWaitForPage(page, () =>
      page.getByRole('button', { name: 'Zaksięguj wpłatę' }).dblclick()
    )
    await page.waitForURL(new RegExp(`/panel/podatki/${account.taxpayer.id}$`))
    assert.include(await page.locator('.banner').innerText(), 'Zaksięgowano wpłatę.')
    const after = await arrearsOnCard(page)
    assert.isBelow(after, before)
    assert.include(await page.locator('#statement-payments + *').innerText(), '100,00 zł')
    await checks.audit('fees-clerk-card-after-payment')

    const payments = await db.from('fees_payments').where('taxpayer_id', account.taxpayer.id)
    assert.lengthOf(payments, 1)
    checks.done(assert)
  }).timeout(120_000)

  test('every other clerk page passes axe: forms empty and with errors, objects, decisions, bookings', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await page.goto('/panel/logowanie')
    await staffSignInWithTotp(page, secondTreasurer)
    const id = account.taxpayer.id
    const object = await db.from('fees_tax_objects').where('taxpayer_id', id).firstOrFail()
    const installment = await db
      .from('fees_installments')
      .where('assessment_id', account.assessmentId)
      .orderBy('number', 'desc')
      .firstOrFail()

    const visits: [string, string][] = [
      ['fees-clerk-new-individual', '/panel/podatki/nowy'],
      ['fees-clerk-new-business', '/panel/podatki/nowy?rodzaj=business'],
      ['fees-clerk-new-joint', '/panel/podatki/nowy?rodzaj=joint&szukajOsoby=Pszcz'],
      ['fees-clerk-edit', `/panel/podatki/${id}/edycja`],
      ['fees-clerk-object-new', `/panel/podatki/${id}/przedmioty/nowy`],
      ['fees-clerk-object-edit', `/panel/podatki/przedmioty/${object.id}`],
      ['fees-clerk-decision-preview', `/panel/podatki/${id}/wymiar?rok=${year + 1}`],
      ['fees-clerk-decision', `/panel/podatki/decyzje/${account.assessmentId}`],
      ['fees-clerk-write-off', `/panel/podatki/raty/${installment.id}/odpis`],
      ['fees-clerk-refund', `/panel/podatki/${id}/zwrot`],
      ['fees-clerk-card-as-of', `/panel/podatki/${id}?na-dzien=${year}-06-01`],
      ['fees-reports-arrears', `/panel/podatki/zaleglosci?na-dzien=${year}-12-31`],
      ['fees-reports-daily', `/panel/podatki/zestawienie-dzienne?dzien=${year}-02-20`],
    ]
    for (const [name, url] of visits) {
      await page.goto(url)
      assert.equal(await page.locator('h1').count(), 1, url)
      await checks.audit(name)
    }

    /* The arrears list: the form starts a background task (run at once by the tests' sync queue). */
    await page.goto(`/panel/podatki/zaleglosci?na-dzien=${year}-12-31`)
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Przygotuj listę' }).click())
    assert.match(new URL(page.url()).pathname, /^\/panel\/zadania\/\d+$/)
    assert.include(await page.locator('h1').innerText(), `Zaległości na dzień 31.12.${year}`)
    assert.include(await page.locator('main').innerText(), 'zakończone')
    await checks.audit('fees-reports-arrears-task')
    await andWaitForPage(page, () =>
      page.getByRole('link', { name: 'Pokaż listę na ekranie' }).click()
    )
    assert.include(await page.locator('caption').first().innerText(), 'Podatnicy z zaległościami')
    await checks.audit('fees-reports-arrears-list')
    await page.goto('/panel/zadania')
    await checks.audit('core-tasks')
    await page.goto('/panel/podatki/zaleglosci')
    await page.getByLabel('Co najmniej dni po terminie').fill('x')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Przygotuj listę' }).click())
    assert.include(
      await page.locator('.error-summary').innerText(),
      'Liczba dni zwłoki musi być liczbą całkowitą od 0.'
    )
    await checks.audit('fees-reports-arrears-errors')

    /* An empty submit: the error summary first, each message at its field. */
    await page.goto('/panel/podatki/nowy')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Zapisz' }).click())
    assert.include(await page.locator('.error-summary').innerText(), 'Pole „PESEL” jest wymagane.')
    await checks.audit('fees-clerk-new-errors')

    await page.goto(`/panel/podatki/${id}/przedmioty/nowy`)
    await page.getByLabel('Podstawa opodatkowania').fill('sto')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Zapisz' }).click())
    assert.include(
      await page.locator('.error-summary').innerText(),
      'Pole „Podstawa opodatkowania” musi zawierać liczbę'
    )
    await checks.audit('fees-clerk-object-errors')

    await page.goto(`/panel/podatki/${id}/wplata`)
    await page.getByLabel('Kwota', { exact: true }).fill('-5')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Zaksięguj wpłatę' }).click())
    assert.include(
      await page.locator('.error-summary').innerText(),
      'Pole „Kwota” musi zawierać kwotę większą od zera'
    )
    await checks.audit('fees-clerk-payment-errors')
    checks.done(assert)
  }).timeout(120_000)
})
