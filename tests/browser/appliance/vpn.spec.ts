/*
 * The administrator's VPN page in a real browser: axe (WCAG 2.1 AA) on the list, a
 * failed form and the one-time configuration page; the QR code is an image with a
 * name, the file arrives as a download and only once.
 */
import { test } from '@japa/runner'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import vpnService, { generateKeyPair, publicKeyOf } from '#appliance/services/vpn'
import { makeStaff, withOffice } from '#tests/helpers'
import {
  andWaitForPage,
  emptyCoreTables,
  staffSignInWithTotp,
  unique,
  checkedPage,
} from '#tests/browser/support'

async function emptyVpnTables() {
  await db.from('appliance_vpn_peers').delete()
  await db.from('appliance_vpn_settings').delete()
}

test.group('Appliance / VPN page in the browser', (group) => {
  const clerk = unique('zdalna')

  group.setup(async () => {
    await emptyVpnTables()
    await emptyCoreTables()
    await withOffice()
    await makeStaff(clerk, ['clerk'])
    const { serverKeyFile } = vpnService.options
    await mkdir(dirname(serverKeyFile), { recursive: true })
    await writeFile(serverKeyFile, `${generateKeyPair().publicKey}\n`)
    return async () => {
      await emptyVpnTables()
      await emptyCoreTables()
    }
  })

  test('add a device, scan or download once, revoke', async ({ browserContext, assert }) => {
    const checks = await checkedPage(browserContext)
    const page = checks.page
    await staffSignInWithTotp(page, 'informatyk')
    await page.goto('/panel/admin/vpn')
    assert.equal(await page.locator('h1').textContent(), 'VPN dla pracowników')
    await checks.audit('admin-vpn')

    // Nothing chosen: the error summary names the field and links to it.
    await andWaitForPage(page, () =>
      page.getByRole('button', { name: 'Dodaj i pokaż konfigurację' }).click()
    )
    assert.isTrue(await page.locator('.error-summary').isVisible())
    /* The browser logs the 422 of a refused form as a console error: expected here, nothing else is. */
    const refused = checks.consoleErrors.findIndex((e) => e.includes('status of 422'))
    assert.isAtLeast(refused, 0)
    checks.consoleErrors.splice(refused, 1)
    assert.equal(
      await page.getByRole('link', { name: /^Podaj nazwę urządzenia/ }).getAttribute('href'),
      '#f-deviceName'
    )
    await checks.audit('admin-vpn-errors')

    await page.getByLabel('Pracownik').selectOption(clerk)
    await page.getByLabel('Nazwa urządzenia').fill('laptop domowy')
    await andWaitForPage(page, () =>
      page.getByRole('button', { name: 'Dodaj i pokaż konfigurację' }).click()
    )
    assert.equal(await page.locator('h1').textContent(), 'Konfiguracja VPN: laptop domowy')
    const qr = page.getByRole('img', {
      name: /Kod QR z konfiguracją VPN urządzenia „laptop domowy”/,
    })
    assert.isTrue(await qr.isVisible())
    await checks.audit('admin-vpn-created')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Pobierz plik konfiguracji' }).click(),
    ])
    assert.match(
      download.suggestedFilename(),
      new RegExp(`^ratusz-vpn-${clerk}-laptop-domowy\\.conf$`)
    )
    const text = await readFile((await download.path())!, 'utf8')
    const privateKey = /^PrivateKey = (\S+)$/m.exec(text)?.[1] ?? ''
    const [peer] = await vpnService.peers()
    assert.equal(publicKeyOf(privateKey), peer.publicKey)

    // The same button again: refused, the list says when it was downloaded.
    const again = await page.request.post(`/panel/admin/vpn/urzadzenia/${peer.id}/plik`, {
      form: { privateKey, _csrf: await page.locator('input[name=_csrf]').first().inputValue() },
    })
    assert.equal(again.status(), 410)

    await page.goto('/panel/admin/vpn')
    const row = page.getByRole('row', { name: new RegExp(clerk) })
    assert.include(await row.textContent(), 'Aktywne')
    await andWaitForPage(page, () => row.getByRole('button', { name: /Odwołaj/ }).click())
    assert.include(
      await page.getByRole('row', { name: new RegExp(clerk) }).textContent(),
      'Odwołane'
    )
    assert.include(
      await page.locator('.banner').first().textContent(),
      'Odwołano urządzenie „laptop domowy”'
    )
    await checks.audit('admin-vpn-revoked')
    checks.done(assert)
  }).timeout(120_000)
})
