import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import StaffUser from '#core/models/staff_user'
import { makeStaff, resetSharedState, withOffice } from '#tests/helpers'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import backupService, { STATUS_FILE } from '#appliance/services/backup_service'

test.group('Appliance / admin pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetSharedState())

  test('the administrator sees the backup page in Polish, with captions', async ({ client }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const response = await client.get('/panel/admin/kopie').signedIn('staff', admin)
    response.assertStatus(200)
    response.assertTextIncludes('<h1>Kopie zapasowe</h1>')
    response.assertTextIncludes('<caption>Ostatnie wykonania kopii')
    response.assertTextIncludes('<caption>Migawki w repozytorium')
    // No repository in the test data directory: said plainly, not an error page.
    response.assertTextIncludes('Repozytorium kopii jest niedostępne')
  }).timeout(30_000)

  test('the diagnostics page lists every check with a Polish state', async ({ client }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const response = await client.get('/panel/admin/diagnostyka').signedIn('staff', admin)
    response.assertStatus(200)
    response.assertTextIncludes('<th scope="row">Ostatnia kopia zapasowa</th>')
    response.assertTextIncludes('<th scope="row">Baza danych i migracje</th>')
    response.assertTextIncludes('<strong>Błąd</strong>')
  }).timeout(30_000)

  test('a clerk is refused both pages', async ({ client }) => {
    await withOffice()
    const clerk = await makeStaff('urzednik1', ['clerk'])
    for (const path of ['/panel/admin/kopie', '/panel/admin/diagnostyka']) {
      const response = await client.get(path).signedIn('staff', clerk).redirects(0)
      response.assertStatus(403)
    }
  }).timeout(30_000)

  test('snapshots show their size and duration; the last restic check and its error are shown', async ({
    client,
    assert,
  }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const settings = backupService.settings
    const source = await mkdtemp(join(tmpdir(), 'ratusz-admin-backup-'))
    const statusFile = join(backupService.dataDir, STATUS_FILE)
    try {
      await mkdir(settings.dir, { recursive: true })
      await mkdir(join(settings.passwordFile, '..'), { recursive: true, mode: 0o700 })
      await writeFile(settings.passwordFile, 'haslo-testowe-do-repozytorium\n', { mode: 0o600 })
      const restic = backupService.primary()
      await restic.init()
      await writeFile(join(source, 'decyzja.txt'), 'Decyzja 1/2026')
      const summary = await restic.backup([source], { tags: ['ratusz'] })
      const startedAt = new Date().toISOString()
      await writeFile(
        statusFile,
        JSON.stringify({
          runs: [
            {
              startedAt,
              finishedAt: startedAt,
              durationMs: 4200,
              result: 'ok',
              tag: null,
              snapshot: summary.snapshot_id,
              bytesAdded: 2_500_000,
              bytesProcessed: 12_340_000,
              files: 3,
              error: null,
              partner: null,
            },
          ],
          lastSuccessAt: startedAt,
          lastCheck: {
            at: startedAt,
            ok: false,
            error: 'pack 1a2b3c4d: not referenced in any index',
          },
          partnerError: null,
        })
      )
      const response = await client.get('/panel/admin/kopie').signedIn('staff', admin)
      response.assertStatus(200)
      const html = response.text()
      assert.notInclude(html, 'Repozytorium kopii jest niedostępne')
      assert.include(html, '<th scope="col">Rozmiar danych</th>')
      assert.include(html, '<th scope="col">Czas trwania</th>')
      const row = html.slice(html.indexOf(`<code>${summary.snapshot_id.slice(0, 8)}</code>`))
      assert.isAbove(html.indexOf(`<code>${summary.snapshot_id.slice(0, 8)}</code>`), 0)
      assert.match(row.slice(0, 600), /12,3 MB[\s\S]*2,5 MB[\s\S]*<td>3<\/td>[\s\S]*4,2 s/)
      assert.include(
        html,
        '<strong>wykryto błąd</strong>: pack 1a2b3c4d: not referenced in any index'
      )
    } finally {
      await rm(statusFile, { force: true })
      await rm(settings.dir, { recursive: true, force: true })
      await rm(join(settings.passwordFile, '..'), { recursive: true, force: true })
      await rm(source, { recursive: true, force: true })
    }
  }).timeout(60_000)

  test('the diagnostics page gives details and hints in Polish', async ({ client, assert }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const response = await client.get('/panel/admin/diagnostyka').signedIn('staff', admin)
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'nie wykonano jeszcze żadnej udanej kopii')
    assert.include(html, 'Wykonaj: ratusz backup run')
    assert.include(html, 'dysk kopii jest niedostępny')
    assert.include(html, 'Podłącz i zamontuj dysk kopii')
    assert.include(html, 'wykonane migracje:')
    for (const english of [
      'no backup has succeeded yet',
      'The backup disk is not available',
      'Run: ',
      'migrations applied',
    ])
      assert.notInclude(html, english)
  }).timeout(30_000)
})
