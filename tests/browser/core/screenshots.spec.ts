/*
 * Pictures of the app with the demo gmina, as a visitor and an administrator
 * see it. Skipped unless SCREENSHOTS=1:
 *
 *   SCREENSHOTS=1 node_modules/.bin/node --import=@poppinss/ts-exec bin/test.ts browser
 *
 * writes every page the browser suite visits to tmp/screenshots/ (full page,
 * 1280 px wide) and refreshes the two committed pictures in docs/screenshots/.
 */
import { mkdir, stat } from 'node:fs/promises'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import totp from '#core/services/totp'
import setupState from '#core/services/setup_state'
import officeProfileService from '#core/services/office_profile_service'
import { DEMO_ADMIN_TOTP } from '#core/services/core_demo_seeder'
import { DEMO_PASSWORD, demoRegistry, type DemoLogin } from '#core/services/demo_registry'
import {
  DOCS_SCREENSHOT_DIR,
  emptyCoreTables,
  screenshot,
  shootingEnabled,
  staffSignInWithTotp,
} from '#tests/browser/support'

const MAX_DOCS_BYTES = 300 * 1024

test.group('Screenshots with the demo gmina', (group) => {
  group.setup(async () => {
    if (!shootingEnabled()) return
    await emptyCoreTables()
    await import('#start/demo')
    const logins: DemoLogin[] = []
    await db.transaction(async (trx) => {
      for (const seeder of demoRegistry.seeders) await seeder.run({ trx, scale: 1, logins })
    })
    setupState.forget()
    officeProfileService.forget()
  })
  group.teardown(async () => {
    if (shootingEnabled()) await emptyCoreTables()
  })

  test('the public home page and the staff dashboard, for docs/screenshots', async ({
    browserContext,
    assert,
  }) => {
    await mkdir(DOCS_SCREENSHOT_DIR, { recursive: true })
    const page = await browserContext.newPage()
    await page.setViewportSize({ width: 1280, height: 800 })

    await page.goto('/')
    assert.include(await page.locator('.brand').textContent(), 'Urząd Gminy Przykładowa')
    await page.screenshot({ path: `${DOCS_SCREENSHOT_DIR}home.png`, fullPage: true })
    await screenshot(page, 'demo-home')
    await page.goto('/kontakt')
    await screenshot(page, 'demo-contact')

    await page.goto('/panel/logowanie')
    await staffSignInWithTotp(
      page,
      'admin',
      () => totp.generate(DEMO_ADMIN_TOTP, Date.now()),
      DEMO_PASSWORD
    )
    assert.include(await page.locator('h1').textContent(), 'Dzień dobry, Anna Nowak')
    await page.screenshot({ path: `${DOCS_SCREENSHOT_DIR}panel.png`, fullPage: true })
    await screenshot(page, 'demo-panel')
    for (const [path, name] of [
      ['/panel/admin/urzad', 'demo-admin-office'],
      ['/panel/admin/pracownicy', 'demo-admin-staff'],
      ['/panel/admin/pracownicy/nowy', 'demo-admin-staff-new'],
      ['/panel/admin/dziennik', 'demo-admin-audit'],
      ['/panel/admin/wiadomosci', 'demo-admin-outbox'],
    ]) {
      await page.goto(path)
      await screenshot(page, name)
    }

    for (const name of ['home.png', 'panel.png']) {
      const { size } = await stat(`${DOCS_SCREENSHOT_DIR}${name}`)
      assert.isBelow(
        size,
        MAX_DOCS_BYTES,
        `docs/screenshots/${name} is ${Math.round(size / 1024)} KB`
      )
    }
  }).skip(!shootingEnabled(), 'set SCREENSHOTS=1 to write tmp/screenshots/ and docs/screenshots/')
})
