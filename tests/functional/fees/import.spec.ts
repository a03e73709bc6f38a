import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeStaff, resetSharedState, withOffice } from '#tests/helpers'
import { financeClerk } from '#tests/fees_fixtures'
import ratuszConfig from '#config/ratusz'
import { importFeesFile } from '#fees/services/fees_import'

const FIXTURES = 'tests/fixtures/fees'

async function upload(
  client: any,
  user: any,
  file: string,
  fields: Record<string, string> = {}
): Promise<any> {
  let request = client
    .post('/panel/podatki/import')
    .field('rodzaj', fields.rodzaj ?? 'taxpayers')
    .file('plik', file)
  if (fields.pominBledne) request = request.field('pominBledne', fields.pominBledne)
  return request.withCsrfToken().signedIn('staff', user).redirects(0)
}

/**
 * Follows the upload to its task page (the sync queue of the tests has run the
 * task by then) and returns the import its report link leads to.
 */
async function importIdFrom(client: any, user: any, response: any): Promise<number> {
  response.assertStatus(302)
  const location = response.header('location')
  if (!/^\/panel\/zadania\/\d+$/.test(location)) throw new Error(`unexpected redirect ${location}`)
  const page = await client.get(location).signedIn('staff', user)
  page.assertStatus(200)
  const match = /href="\/panel\/podatki\/import\/(\d+)"/.exec(page.text())
  if (!match) throw new Error(`no report on the task page: ${page.text()}`)
  return Number(match[1])
}

/** Uploads a file and returns the import the task made of it. */
async function imported(...args: Parameters<typeof upload>) {
  return importIdFrom(args[0], args[1], await upload(...args))
}

/** Uploaded files still kept for import tasks (each task removes its own). */
async function uploadsLeft() {
  return readdir(join(ratuszConfig.dataDir, 'uploads')).catch(() => [])
}

async function countOf(table: string) {
  const row = await db.from(table).count('* as total').firstOrFail()
  return Number(row.total)
}

async function storedReport(id: number) {
  const row = await db.from('fees_imports').where('id', id).firstOrFail()
  return { row, report: JSON.parse(row.report) }
}

/** Uploads a file and reads back the report the import stored. */
async function uploadedReport(...args: Parameters<typeof upload>) {
  return storedReport(await imported(...args))
}

/** A scratch folder for a doctored copy of a fixture, removed however the test ends. */
async function inTempDir(run: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'ratusz-import-'))
  try {
    await run(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

test.group('Fees / CSV import', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a valid file imports taxpayers with their objects and shows the report', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    const id = await imported(client, clerk, `${FIXTURES}/podatnicy.csv`)
    const rows = await db.from('fees_taxpayers').whereNotNull('external_id').orderBy('external_id')
    assert.deepEqual(
      rows.map((row) => [row.external_id, row.kind, row.name, row.postal_code]),
      [
        ['F-0001', 'business', 'Piekarnia "Złoty Kłos" sp. z o.o.', '12-347'],
        ['P-0001', 'individual', 'Wiśniewska Zofia', '12-345'],
        ['P-0002', 'individual', 'Łęcki Paweł', '12-345'],
      ]
    )
    const zofia = rows.find((row) => row.external_id === 'P-0001')
    assert.lengthOf(zofia.account_number, 26)
    const objects = await db
      .from('fees_tax_objects')
      .where('taxpayer_id', zofia.id)
      .orderBy('id')
      .select('category', 'base_e4', 'valid_from')
    assert.deepEqual(
      objects.map((row) => [row.category, Number(row.base_e4), row.valid_from]),
      [
        ['land_other', 1250_0000, '2015-04-01'],
        ['building_residential', 132_4500, '2015-04-01'],
        ['agri_arable', 3_2150, '2015-04-01'],
      ]
    )
    const pawel = await db
      .from('fees_tax_objects')
      .join('fees_taxpayers', 'fees_taxpayers.id', 'fees_tax_objects.taxpayer_id')
      .where('external_id', 'P-0002')
      .firstOrFail()
    assert.equal(pawel.location, 'ul. Lipowa 3\n(wejście od podwórza)')
    assert.equal(pawel.description, 'Dom; część mieszkalna')

    const { row, report } = await storedReport(id)
    assert.equal(row.encoding, 'UTF-8')
    assert.deepEqual([row.rows_total, row.rows_imported, row.rows_rejected], [6, 6, 0])
    assert.equal(report.created, 3)
    const page = await client.get(`/panel/podatki/import/${id}`).signedIn('staff', clerk)
    page.assertStatus(200)
    page.assertTextIncludes('Zaimportowano wszystkie wiersze (6)')
    const list = await client.get('/panel/podatki/import').signedIn('staff', clerk)
    list.assertStatus(200)
    list.assertTextIncludes('podatnicy.csv')
  })

  test('a Windows-1250 file gives the same Polish names', async ({ client, assert }) => {
    const clerk = await financeClerk('podatki')
    const id = await imported(client, clerk, `${FIXTURES}/podatnicy-cp1250.csv`)
    const { row } = await storedReport(id)
    assert.equal(row.encoding, 'Windows-1250')
    const names = await db.from('fees_taxpayers').whereNotNull('external_id').orderBy('name')
    assert.deepEqual(
      names.map((taxpayer) => taxpayer.name),
      ['Piekarnia "Złoty Kłos" sp. z o.o.', 'Wiśniewska Zofia', 'Łęcki Paweł']
    )
  })

  test('a file with errors writes nothing; the report names line and field', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    const id = await imported(client, clerk, `${FIXTURES}/podatnicy-bledy.csv`)
    const count = await db.from('fees_taxpayers').count('* as total').firstOrFail()
    assert.equal(Number(count.total), 0)
    assert.equal(await countOf('fees_tax_objects'), 0)
    const { row, report } = await storedReport(id)
    assert.isFalse(report.written)
    assert.deepEqual([row.rows_total, row.rows_imported, row.rows_rejected], [3, 0, 2])
    assert.deepEqual(
      report.issues.map((issue: any) => `${issue.line} ${issue.field}`),
      ['2 pesel', '3 postal_code', '3 category', '3 base', '3 valid_from']
    )
    const page = await client.get(`/panel/podatki/import/${id}`).signedIn('staff', clerk)
    page.assertStatus(200)
    page.assertTextIncludes('Nic nie zostało zapisane')
    page.assertTextIncludes('postal_code')
    page.assertTextIncludes('Numer PESEL jest nieprawidłowy')
  })

  test('with "skip invalid rows" only the valid rows are imported', async ({ client, assert }) => {
    const clerk = await financeClerk('podatki')
    const id = await imported(client, clerk, `${FIXTURES}/podatnicy-bledy.csv`, {
      pominBledne: '1',
    })
    const names = await db.from('fees_taxpayers').select('external_id')
    assert.deepEqual(
      names.map((row) => row.external_id),
      ['E-0003']
    )
    const { row, report } = await storedReport(id)
    assert.isTrue(report.written)
    assert.deepEqual([row.rows_imported, row.rows_rejected], [1, 2])
    const page = await client.get(`/panel/podatki/import/${id}`).signedIn('staff', clerk)
    page.assertTextIncludes('błędne wiersze (2) pominięto')
  })

  test('importing the same file again duplicates nothing; a changed base updates the object', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    await imported(client, clerk, `${FIXTURES}/podatnicy.csv`)
    const again = await imported(client, clerk, `${FIXTURES}/podatnicy.csv`)
    const { report: second } = await storedReport(again)
    assert.deepEqual([second.created, second.updated, second.unchanged], [0, 0, 3])
    assert.equal(await countOf('fees_taxpayers'), 3)
    assert.equal(await countOf('fees_tax_objects'), 6)

    await inTempDir(async (dir) => {
      const original = await readFile(`${FIXTURES}/podatnicy.csv`, 'utf8')
      const changed = original.replace(
        'Dom jednorodzinny;Dębowa Wola 12;132,45',
        'Dom jednorodzinny;Dębowa Wola 12;140,00'
      )
      await writeFile(join(dir, 'podatnicy.csv'), changed)
      const { report: third } = await uploadedReport(client, clerk, join(dir, 'podatnicy.csv'))
      assert.deepEqual([third.created, third.updated, third.unchanged], [0, 1, 2])
    })
    const house = await db
      .from('fees_tax_objects')
      .where('category', 'building_residential')
      .where('description', 'Dom jednorodzinny')
    assert.lengthOf(house, 1)
    assert.equal(Number(house[0].base_e4), 140_0000)
  })

  test('joint owners: the co-owners and their joint property; re-importing changes nothing', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    const id = await imported(client, clerk, `${FIXTURES}/wspolwlasnosc.csv`)
    const { report } = await storedReport(id)
    assert.deepEqual([report.written, report.created, report.issues.length], [true, 3, 0])
    const joint = await db.from('fees_taxpayers').where('external_id', 'W-0101').firstOrFail()
    assert.equal(joint.kind, 'joint')
    const members = await db
      .from('fees_taxpayer_members as m')
      .join('fees_taxpayers as t', 't.id', 'm.member_id')
      .where('m.joint_id', joint.id)
      .orderBy('t.external_id')
      .select('t.external_id')
    assert.deepEqual(
      members.map((row) => row.external_id),
      ['P-0101', 'P-0102']
    )
    assert.equal(
      await db
        .from('fees_tax_objects')
        .where('taxpayer_id', joint.id)
        .count('* as n')
        .firstOrFail()
        .then((row) => Number(row.n)),
      2
    )

    const again = await uploadedReport(client, clerk, `${FIXTURES}/wspolwlasnosc.csv`)
    assert.deepEqual(
      [again.report.created, again.report.updated, again.report.unchanged],
      [0, 0, 3]
    )
    assert.equal(await countOf('fees_taxpayer_members'), 2)
  })

  test('a joint taxpayer whose co-owner is in neither the file nor the register: nothing is written', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    await inTempDir(async (dir) => {
      const original = await readFile(`${FIXTURES}/wspolwlasnosc.csv`, 'utf8')
      const text = original.replace('P-0101,P-0102', 'P-0101,P-0999')
      await writeFile(join(dir, 'wspolwlasnosc.csv'), text)
      const { report } = await uploadedReport(client, clerk, join(dir, 'wspolwlasnosc.csv'))
      assert.isFalse(report.written)
      assert.deepEqual(
        report.issues.map((issue: any) => `${issue.line} ${issue.field}`),
        ['4 members', '5 members']
      )
      assert.match(report.issues[0].message, /„P-0999” nie ma w pliku ani w ewidencji/)
      assert.equal(await countOf('fees_taxpayers'), 0)
    })
  })

  test('payments and opening balances book once, by the document number', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    await imported(client, clerk, `${FIXTURES}/podatnicy.csv`)
    const first = await uploadedReport(client, clerk, `${FIXTURES}/wplaty.csv`, {
      rodzaj: 'payments',
    })
    assert.equal(first.report.created, 2)
    const again = await uploadedReport(client, clerk, `${FIXTURES}/wplaty.csv`, {
      rodzaj: 'payments',
    })
    assert.deepEqual([again.report.created, again.report.unchanged], [0, 2])
    const payments = await db.from('fees_payments').orderBy('paid_on')
    assert.deepEqual(
      payments.map((row) => [Number(row.amount_gr), row.paid_on, row.source]),
      [
        [120_000, '2025-12-31', 'import'],
        [35_050, '2026-03-15', 'import'],
      ]
    )
  })

  test('payments for an unknown taxpayer: nothing booked, the line is reported', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    const { report } = await uploadedReport(client, clerk, `${FIXTURES}/wplaty.csv`, {
      rodzaj: 'payments',
    })
    assert.isFalse(report.written)
    assert.deepEqual(
      report.issues.map((issue: any) => `${issue.line} ${issue.field}`),
      ['2 external_id', '3 external_id']
    )
    assert.equal(await countOf('fees_payments'), 0)
  })

  test('a file that is not CSV is refused; an oversized one gets 413', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    await inTempDir(async (dir) => {
      await writeFile(
        join(dir, 'podatnicy.csv'),
        Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj', 'latin1')
      )
      const disguised = await upload(client, clerk, join(dir, 'podatnicy.csv'))
      disguised.assertStatus(302)
      assert.notMatch(disguised.header('location'), /import\/\d+/)
      await writeFile(join(dir, 'dane.pdf'), '%PDF-1.7\n')
      const pdf = await upload(client, clerk, join(dir, 'dane.pdf'))
      pdf.assertStatus(302)
      await writeFile(join(dir, 'duzy.csv'), Buffer.alloc(5 * 1024 * 1024 + 10, 'a;b\n'))
      const big = await upload(client, clerk, join(dir, 'duzy.csv'))
      big.assertStatus(413)
    })
    assert.equal(await countOf('fees_imports'), 0)
  })

  test('a manager may read reports but not import; the IT admin sees nothing', async ({
    client,
  }) => {
    const manager = await makeStaff('kierownik', ['manager'])
    const admin = await makeStaff('informatyk2', ['admin'])
    const refused = await upload(client, manager, `${FIXTURES}/podatnicy.csv`)
    refused.assertStatus(403)
    const readable = await client.get('/panel/podatki/import').signedIn('staff', manager)
    readable.assertStatus(200)
    const secret = await client.get('/panel/podatki/import').signedIn('staff', admin)
    secret.assertStatus(403)
  })
  test('the task page shows the figures, links the report and offers it as CSV; the upload is gone', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    const response = await upload(client, clerk, `${FIXTURES}/podatnicy-bledy.csv`, {
      pominBledne: '1',
    })
    const taskPath = response.header('location')
    const id = await importIdFrom(client, clerk, response)
    const { report } = await storedReport(id)
    const page = await client.get(taskPath).signedIn('staff', clerk)
    const text = page.text()
    assert.include(text, 'Import pliku podatnicy-bledy.csv')
    assert.include(text, 'Zapisano poprawne wiersze.')
    assert.include(text, `<dt>Odrzucone wiersze</dt><dd>${report.rowsRejected}</dd>`)
    const csv = await client.get(`${taskPath}/pobierz`).signedIn('staff', clerk)
    csv.assertStatus(200)
    assert.match(csv.header('content-disposition') ?? '', new RegExp(`raport-importu-${id}\\.csv`))
    const lines = csv
      .text()
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n')
    assert.equal(lines[0], 'wiersz;pole;komunikat')
    assert.lengthOf(lines, report.issues.length + 1)
    assert.deepEqual(await uploadsLeft(), [])
  })

  test('an empty file or a wrong header is refused at once, naming the file field', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    await inTempDir(async (dir) => {
      for (const [name, content, expected] of [
        ['pusty.csv', '', 'Wybrany plik CSV jest pusty.'],
        ['puste-wiersze.csv', '\r\n  \r\n', 'Wybrany plik CSV jest pusty.'],
        [
          'naglowek.csv',
          'ident;rodzaj;nazwa\nA-1;osoba;Nowak Jan\n',
          'Nagłówek pliku CSV jest błędny',
        ],
      ]) {
        await writeFile(join(dir, name), content)
        const response = await upload(client, clerk, join(dir, name))
        response.assertStatus(302)
        assert.notMatch(response.header('location'), /zadania/)
        const errors = response.flashMessages().inputErrorsBag
        assert.include(errors?.plik?.[0] ?? '', expected, name)
      }
    })
    assert.equal(await countOf('background_tasks'), 0)
    assert.equal(await countOf('fees_imports'), 0)
    assert.deepEqual(await uploadsLeft(), [])
  })

  test('a kind named like a built-in object key is refused on its field, not a 500', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    await inTempDir(async (dir) => {
      await writeFile(join(dir, 'wplaty.csv'), 'external_id;kind;name\nA-1;osoba;Nowak Jan\n')
      for (const rodzaj of ['constructor', '__proto__', 'toString']) {
        const response = await upload(client, clerk, join(dir, 'wplaty.csv'), { rodzaj })
        response.assertStatus(302)
        const errors = response.flashMessages().inputErrorsBag
        assert.equal(errors?.rodzaj?.[0], 'Wybierz, co zawiera plik.', rodzaj)
      }
    })
    assert.equal(await countOf('background_tasks'), 0)
  })

  test('a file that fails in the task (unclosed quote) says why and is removed too', async ({
    client,
    assert,
  }) => {
    const clerk = await financeClerk('podatki')
    await inTempDir(async (dir) => {
      await writeFile(
        join(dir, 'cudzyslow.csv'),
        'external_id;kind;name\nA-1;osoba;Nowak Jan\nA-2;osoba;"Kowalska Anna\n'
      )
      const response = await upload(client, clerk, join(dir, 'cudzyslow.csv'))
      response.assertStatus(302)
      const page = await client.get(response.header('location')).signedIn('staff', clerk)
      assert.include(page.text(), 'data-task-status="failed"')
      assert.include(page.text(), 'Niezamknięty cudzysłów w wierszu 3.')
    })
    assert.equal(await countOf('fees_taxpayers'), 0)
    assert.deepEqual(await uploadsLeft(), [])
  })

  test('rows are written 500 to a transaction, with progress after each batch', async ({
    assert,
  }) => {
    const lines = ['external_id;kind;name']
    for (let n = 1; n <= 1200; n++) lines.push(`M-${n};osoba;Mieszkaniec ${n}`)
    const progress: [number, number][] = []
    const { report } = await importFeesFile({
      kind: 'taxpayers',
      bytes: Buffer.from(lines.join('\n')),
      fileName: 'duzy.csv',
      skipInvalid: false,
      staffId: null,
      onProgress: async (done, total) => {
        progress.push([done, total])
      },
    })
    assert.deepEqual(progress, [
      [0, 1200],
      [500, 1200],
      [1000, 1200],
      [1200, 1200],
    ])
    assert.deepEqual([report.rowsImported, report.created, report.issues.length], [1200, 1200, 0])
    assert.equal(await countOf('fees_taxpayers'), 1200)
  }).timeout(60_000)
})
