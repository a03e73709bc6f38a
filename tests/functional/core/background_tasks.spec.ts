import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { makeStaff, resetSharedState, withOffice } from '#tests/helpers'
import { staffPost, taxpayerWithDecision } from '#tests/fees_fixtures'

/** A task row as the worker leaves it midway or after a failure. */
async function taskRow(ownerId: number, values: Record<string, unknown>) {
  const now = new Date()
  const [row] = await db
    .table('background_tasks')
    .insert({
      kind: 'fees.arrears',
      owner_id: ownerId,
      params: JSON.stringify({
        asOf: '2026-11-24',
        minDaysOverdue: 0,
        minTotalGr: 0,
        sort: 'total',
      }),
      created_at: now,
      updated_at: now,
      ...values,
    })
    .returning('id')
  return Number(typeof row === 'object' ? row.id : row)
}

test.group('Background tasks / the task page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a running task shows its progress and refreshes itself; a failed one says why', async ({
    client,
    assert,
  }) => {
    const treasurer = await makeStaff('skarbnik', ['treasurer'])
    const running = await taskRow(treasurer.id, {
      status: 'running',
      started_at: new Date(),
      progress_done: 4000,
      progress_total: 20000,
      progress_message: 'Przeliczono konta podatników: 4000 z 20000.',
    })
    const page = await client.get(`/panel/zadania/${running}`).signedIn('staff', treasurer)
    page.assertStatus(200)
    assert.include(page.text(), '<meta http-equiv="refresh" content="2">')
    assert.include(page.text(), 'Przeliczono konta podatników: 4000 z 20000.')
    assert.include(page.text(), 'Postęp: 4000 z 20000 (20%)')
    assert.match(page.text(), /<progress id="task-progress" max="20000" value="4000">/)
    assert.notInclude(page.text(), '/pobierz')
    const early = await client.get(`/panel/zadania/${running}/pobierz`).signedIn('staff', treasurer)
    early.assertStatus(404)

    const list = await client.get('/panel/zadania').signedIn('staff', treasurer)
    assert.include(list.text(), `data-task-id="${running}" data-task-status="running"`)
    assert.include(list.text(), 'w toku (20%)')

    const failed = await taskRow(treasurer.id, {
      status: 'failed',
      finished_at: new Date(),
      error: 'Zadanie przerwał nieoczekiwany błąd.',
    })
    const failedPage = await client.get(`/panel/zadania/${failed}`).signedIn('staff', treasurer)
    assert.include(failedPage.text(), 'Zadanie nie zostało wykonane')
    assert.include(failedPage.text(), 'Zadanie przerwał nieoczekiwany błąd.')
    assert.notInclude(failedPage.text(), 'http-equiv="refresh"')
  })

  test('the clerk starts the arrears list, downloads the CSV and finds the figures worked out by hand', async ({
    client,
    assert,
  }) => {
    const treasurer = await makeStaff('skarbnik', ['treasurer'])
    /* 869.57 m² of a house at 1.15 zł = 1 000.01, rounded to 1 000 zł: four installments of 250 zł, nothing paid. */
    const { taxpayer } = await taxpayerWithDecision({
      objects: [
        {
          tax: 'property',
          category: 'building_residential',
          description: 'Dom mieszkalny',
          baseE4: 8_695_700,
        },
      ],
    })
    const started = await staffPost(client, treasurer, '/panel/podatki/zaleglosci', {
      'na-dzien': '2026-11-24',
      'dni': '0',
    })
    const taskPath = started.header('location') ?? ''
    const csv = await client.get(`${taskPath}/pobierz`).signedIn('staff', treasurer)
    csv.assertStatus(200)
    const line = csv
      .text()
      .split('\r\n')
      .find((row) => row.startsWith(`${taxpayer.id};`))
    /*
     * Due 16.03 (15.03 is a Sunday), 15.05, 15.09 and 16.11.2026 (15.11 is a Sunday); 10.5 % a year
     * from 5.03.2026, 365-day year, to 24.11.2026, per installment: 250 × 0.105 × 253 / 365 = 18.20
     * → 18 zł; × 193 days = 13.88 → 14 zł; × 70 days = 5.03 and × 8 days = 0.58 are not charged
     * (at most 8.70 zł). Interest 32 zł, total 1 032 zł, 253 days after the oldest due date.
     */
    assert.isDefined(line)
    assert.deepEqual(line!.split(';').slice(4), [
      '1000,00',
      '32,00',
      '0,00',
      '1032,00',
      '2026-03-16',
      '253',
    ])
  })
})
