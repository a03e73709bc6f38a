/*
 * The CSV import as a finance clerk uses it: the form, an empty submit, a file with
 * errors (nothing written, the report lists line and field), the same file with the
 * invalid rows skipped. axe-core on every page; with SCREENSHOTS=1 each page is saved.
 */
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { makeStaff, withOffice } from '#tests/helpers'
import {
  andWaitForPage,
  emptyCoreTables,
  staffSignIn,
  unique,
  checkedPage,
} from '#tests/browser/support'

async function removeImported() {
  const imported = db.from('fees_taxpayers').where('external_id', 'like', 'E-%').select('id')
  await db.from('fees_tax_objects').whereIn('taxpayer_id', imported).delete()
  await db.from('fees_taxpayers').where('external_id', 'like', 'E-%').delete()
  await db.from('fees_imports').delete()
  await db.from('background_tasks').where('kind', 'fees.import').delete()
}

test.group('Browser / fees CSV import', (group) => {
  const clerk = unique('podatki')

  group.setup(async () => {
    await emptyCoreTables()
    await removeImported()
    await withOffice()
    const user = await makeStaff(clerk, ['clerk'])
    user.unit = 'FN'
    await user.save()
    return async () => {
      await removeImported()
      await emptyCoreTables()
    }
  })

  test('form, empty submit, a file with errors and the same file with invalid rows skipped', async ({
    browserContext,
    assert,
  }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await staffSignIn(page, clerk)
    await page.goto('/panel/podatki/import')
    assert.equal(await page.locator('h1').innerText(), 'Import danych z poprzedniego systemu')
    await checks.audit('fees-import-form')

    await andWaitForPage(page, () => page.getByRole('button', { name: 'Importuj' }).click())
    assert.include(await page.locator('.error-summary').innerText(), 'Wybierz plik CSV')
    await checks.audit('fees-import-form-error')

    await page.getByLabel('Plik CSV').setInputFiles('tests/fixtures/fees/podatnicy-bledy.csv')
    /* The import runs as a background task (at once with the tests' sync queue): its page links the report. */
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Importuj' }).click())
    assert.match(new URL(page.url()).pathname, /^\/panel\/zadania\/\d+$/)
    assert.include(await page.locator('main').innerText(), 'zakończone')
    await checks.audit('fees-import-task')
    await andWaitForPage(page, () =>
      page.getByRole('link', { name: 'Pokaż raport importu wiersz po wierszu' }).click()
    )
    assert.match(page.url(), /\/panel\/podatki\/import\/\d+$/)
    const errors = page.getByRole('table', { name: /Błędy/ })
    assert.include(await errors.innerText(), 'postal_code')
    assert.include(await page.locator('.banner').innerText(), 'Nic nie zostało zapisane')
    await checks.audit('fees-import-report-errors')

    await page.goto('/panel/podatki/import')
    await page.getByLabel('Plik CSV').setInputFiles('tests/fixtures/fees/podatnicy-bledy.csv')
    await page.getByLabel(/Zaimportuj poprawne wiersze/).check()
    await andWaitForPage(page, () => page.getByRole('button', { name: 'Importuj' }).click())
    await andWaitForPage(page, () =>
      page.getByRole('link', { name: 'Pokaż raport importu wiersz po wierszu' }).click()
    )
    assert.include(await page.locator('.banner').innerText(), 'pominięto')
    await checks.audit('fees-import-report-skipped')
    const imported = await db.from('fees_taxpayers').where('external_id', 'like', 'E-%')
    assert.deepEqual(
      imported.map((row) => row.external_id),
      ['E-0003']
    )

    await page.goto('/panel/podatki/import')
    assert.equal(
      await page
        .getByRole('table', { name: /Ostatnie importy/ })
        .locator('tbody tr')
        .count(),
      2
    )
    await checks.audit('fees-import-list')
    checks.done(assert)
  }).timeout(120_000)
})
