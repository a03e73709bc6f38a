/*
 * The residents' interest calculator (keyboard only, axe, no JavaScript needed)
 * and the treasurer's configuration pages with the taxpayer's waste-fee and
 * other-fee pages. With SCREENSHOTS=1 each page is saved in tmp/screenshots/.
 */
import { test } from '@japa/runner'
import type { Page } from 'playwright-core'
import db from '@adonisjs/lucid/services/db'
import officeProfileService from '#core/services/office_profile_service'
import { taxpayers } from '#fees/services/taxpayers'
import { makeStaff, withOffice } from '#tests/helpers'
import { addFeeType, addWasteRate, removeFeesTaxpayer } from '#tests/fees_fixtures'
import {
  andWaitForPage,
  emptyCoreTables,
  staffSignInWithTotp,
  unique,
  checkedPage,
} from '#tests/browser/support'

/** Presses Tab until the field with this id has the focus (as a keyboard user would). */
async function tabTo(page: Page, id: string) {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((wanted) => document.activeElement?.id === wanted, id)) return
  }
  throw new Error(`#${id} never received the focus`)
}

test.group('Browser / interest calculator', (group) => {
  group.setup(async () => {
    await emptyCoreTables()
    await withOffice()
    return () => emptyCoreTables()
  })

  test('a resident fills the form with the keyboard only and reads the result', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await page.goto('/')
    await andWaitForPage(page, () => page.getByRole('link', { name: 'Kalkulator odsetek' }).click())
    assert.match(page.url(), /\/kalkulator-odsetek$/)
    await checks.audit('fees-calculator')

    await tabTo(page, 'f-amount')
    await page.keyboard.type('1000,00')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-due')
    await page.keyboard.type('15.03.2024')
    await page.keyboard.press('Tab')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-paid')
    await page.keyboard.type('10.01.2025')
    await andWaitForPage(page, () => page.keyboard.press('Enter'))

    const result = await page.locator('.result').innerText()
    assert.match(result, /Dni zwłoki\s+301/)
    assert.match(result, /Odsetki do zapłaty\s+120,00 zł/)
    assert.include(result, '14,50%')
    assert.include(result, '119,58 zł')
    assert.equal(await page.getByLabel('Kwota zaległości').inputValue(), '1000,00')
    await checks.audit('fees-calculator-result')

    await page.goto('/kalkulator-odsetek?amount=abc&due=2024-02-30&paid=')
    const summary = page.locator('.error-summary')
    assert.include(await summary.innerText(), 'Pole „Kwota zaległości” musi zawierać kwotę')
    assert.include(await summary.innerText(), 'Pole „Data zapłaty” jest wymagane.')
    /* The summary's links lead to the fields. */
    await summary.getByRole('link', { name: /Termin płatności/ }).click()
    await page.waitForURL(/#f-due$/)
    await checks.audit('fees-calculator-errors')
    checks.done(assert)
  }).timeout(120_000)
})

test.group('Browser / fees configuration and a taxpayer’s waste and other fees', (group) => {
  const treasurer = unique('skarbnik')
  /* A TOTP code works once: the last test signs in as another treasurer within the same 30 s. */
  const secondTreasurer = unique('skarbnik')
  const feeCode = `psy-${process.pid}`
  let taxpayerId = 0
  let wasteRateId = 0
  let feeTypeId = 0

  group.setup(async () => {
    await emptyCoreTables()
    await withOffice()
    /* SQLite has one connection: cache the office before taxpayers.create reads it. */
    await officeProfileService.get()
    await makeStaff(treasurer, ['treasurer'], { totp: true })
    await makeStaff(secondTreasurer, ['treasurer'], { totp: true })
    wasteRateId = await addWasteRate()
    feeTypeId = await addFeeType({ code: feeCode })
    const taxpayer = await taxpayers.create({
      kind: 'individual',
      name: 'Wróblewska Halina',
      street: 'ul. Polna 3',
      postalCode: '12-345',
      city: 'Testowo',
    })
    taxpayerId = taxpayer.id
    return async () => {
      await removeFeesTaxpayer(taxpayerId)
      await db.from('fees_fee_types').where('id', feeTypeId).delete()
      await db.from('fees_waste_rates').where('id', wasteRateId).delete()
      await emptyCoreTables()
    }
  })

  test('every configuration page passes axe, empty and with errors', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await staffSignInWithTotp(page, treasurer)
    const interest = await db.from('fees_interest_rates').orderBy('id', 'desc').firstOrFail()
    const visits: [string, string, string][] = [
      ['fees-config', '/panel/podatki/konfiguracja', 'Konfiguracja podatków i opłat'],
      [
        'fees-config-rates',
        '/panel/podatki/konfiguracja/stawki?rok=2027',
        'Stawki podatków na rok 2027',
      ],
      ['fees-config-interest', '/panel/podatki/konfiguracja/odsetki', 'Odsetki za zwłokę'],
      [
        'fees-config-interest-edit',
        `/panel/podatki/konfiguracja/odsetki/${interest.id}`,
        'Popraw stawkę',
      ],
      [
        'fees-config-waste',
        '/panel/podatki/konfiguracja/odpady',
        'Opłata za gospodarowanie odpadami',
      ],
      [
        'fees-config-waste-edit',
        `/panel/podatki/konfiguracja/odpady/${wasteRateId}`,
        'Popraw stawkę',
      ],
      ['fees-config-fees', '/panel/podatki/konfiguracja/oplaty', 'Inne opłaty'],
      ['fees-config-fee-new', '/panel/podatki/konfiguracja/oplaty/nowa', 'Nowa opłata'],
      [
        'fees-config-fee-edit',
        `/panel/podatki/konfiguracja/oplaty/${feeTypeId}`,
        'Opłata od posiadania psów',
      ],
    ]
    for (const [name, url, h1] of visits) {
      const response = await page.goto(url)
      assert.equal(response?.status(), 200, url)
      assert.equal(await page.locator('h1').count(), 1, url)
      assert.include(await page.locator('h1').innerText(), h1)
      await checks.audit(name)
    }

    await page.goto('/panel/podatki/konfiguracja/stawki?rok=2027')
    assert.equal(
      await page.getByRole('link', { name: 'Stawki podatków' }).getAttribute('aria-current'),
      'page'
    )
    await page.getByLabel('Grunty pozostałe').fill('siedem')
    await andWaitForPage(page, () =>
      page.getByRole('button', { name: 'Zapisz stawki na rok 2027' }).click()
    )
    assert.include(
      await page.locator('.error-summary').innerText(),
      'Pole „Grunty pozostałe” musi zawierać liczbę'
    )
    await checks.audit('fees-config-rates-errors')

    await page.goto('/panel/podatki/konfiguracja/odsetki')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Dodaj stawkę' }).click())
    assert.include(
      await page.locator('.error-summary').innerText(),
      'Pole „Obowiązuje od” jest wymagane.'
    )
    await checks.audit('fees-config-interest-errors')

    await page.goto('/panel/podatki/konfiguracja/odpady')
    await page.getByLabel('Mnożnik za brak segregacji').fill('5')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Dodaj stawkę' }).click())
    assert.include(await page.locator('.error-summary').innerText(), 'Mnożnik za brak segregacji')
    await checks.audit('fees-config-waste-errors')

    await page.goto('/panel/podatki/konfiguracja/oplaty/nowa')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Zapisz' }).click())
    assert.include(
      await page.locator('.error-summary').innerText(),
      'Pole „Nazwa opłaty” jest wymagane.'
    )
    await checks.audit('fees-config-fee-errors')
    checks.done(assert)
  }).timeout(180_000)

  test('a declaration and a fee filed on the taxpayer’s pages', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await staffSignInWithTotp(page, secondTreasurer)

    await page.goto(`/panel/podatki/${taxpayerId}/odpady`)
    await checks.audit('fees-waste-empty')
    await page.getByLabel('Od miesiąca').fill('2026-03')
    await page.getByLabel('Liczba mieszkańców').fill('4')
    await page.getByLabel('Właściciel kompostuje bioodpady w kompostowniku przydomowym').check()
    await page.getByLabel('Data złożenia deklaracji').fill('2026-03-02')
    await andWaitForPage(page, () =>
      page.getByRole('button', { name: 'Przyjmij deklarację i przelicz opłatę' }).click()
    )
    assert.include(await page.locator('.banner').innerText(), 'Przyjęto deklarację od 2026-03')
    /* 4 × (31,00 − 2,00) zł = 116,00 zł a month, March to December */
    assert.include(await page.locator('main').innerText(), '1 160,00 zł')
    await checks.audit('fees-waste-filed')

    await page.getByLabel('Liczba mieszkańców').fill('')
    await andWaitForPage(page, () =>
      page.getByRole('button', { name: 'Przyjmij deklarację i przelicz opłatę' }).click()
    )
    assert.include(
      await page.locator('.error-summary').innerText(),
      'Pole „Liczba mieszkańców” jest wymagane'
    )
    await checks.audit('fees-waste-errors')

    await page.goto(`/panel/podatki/${taxpayerId}/oplaty`)
    await checks.audit('fees-charges-empty')
    await page.getByLabel('Rodzaj opłaty').selectOption(String(feeTypeId))
    await page.getByLabel('Rok', { exact: true }).fill('2027')
    await page.getByLabel('Liczba jednostek').fill('2')
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Nalicz opłatę' }).click())
    assert.include(await page.locator('.banner').innerText(), 'Naliczono opłatę')
    assert.include(await page.locator('table').first().innerText(), '91,00 zł')
    await checks.audit('fees-charges-assessed')
    checks.done(assert)
  }).timeout(180_000)
})
