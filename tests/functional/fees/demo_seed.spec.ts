import { test } from '@japa/runner'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { runAce } from '#tests/helpers'

/* Reads the seeded SQLite file of the subprocess directly: the test's own database is another one. */
function query(file: string, sql: string, params: unknown[] = []): any[] {
  const database = new Database(file, { readonly: true })
  try {
    return database.prepare(sql).all(...params)
  } finally {
    database.close()
  }
}

test.group('Fees demo data', () => {
  test('demo:seed adds rates, taxpayers, decisions, payments and arrears for the demo resident', async ({
    assert,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'ratusz-fees-demo-'))
    const env = { NODE_ENV: 'test', DB_CONNECTION: 'sqlite', RATUSZ_DATA: dir, RATUSZ_DEMO: 'true' }
    const file = join(dir, 'ratusz.sqlite3')
    try {
      const migrated = await runAce(['migration:run', '--force'], env)
      assert.equal(migrated.exitCode, 0, migrated.stderr)
      const started = Date.now()
      const seeded = await runAce(['demo:seed', '--json'], env)
      assert.equal(seeded.exitCode, 0, seeded.stderr)
      /* The target is 20 s on an idle machine; the bound leaves room for a busy test host. */
      assert.isBelow(Date.now() - started, 60_000)
      const year = new Date().getFullYear()

      const rates = await query(file, 'select year, category, rate_e4 from fees_tax_rates')
      assert.sameMembers([...new Set(rates.map((row) => row.year))], [year - 1, year])
      const rateOf = (category: string) =>
        rates.find((row) => row.year === year && row.category === category)?.rate_e4
      assert.equal(rateOf('land_business'), 1_3400)
      assert.equal(rateOf('building_business'), 33_1000)
      assert.equal(rateOf('structure'), 200)
      assert.lengthOf(await query(file, 'select id from fees_waste_rates'), 2)
      const declarations = await query(
        file,
        'select count(*) as total from fees_waste_declarations'
      )
      assert.isAbove(declarations[0].total, 200)
      assert.lengthOf(await query(file, "select id from fees_fee_types where code = 'psy'"), 1)

      const kinds = await query(
        file,
        'select kind, count(*) as total from fees_taxpayers group by kind'
      )
      const byKind = Object.fromEntries(kinds.map((row) => [row.kind, row.total]))
      assert.isAtLeast(byKind.individual + byKind.business + byKind.joint, 300)
      assert.isAbove(byKind.business, 20)
      assert.isAbove(byKind.joint, 5)
      const members = await query(file, 'select count(*) as total from fees_taxpayer_members')
      assert.equal(members[0].total, byKind.joint * 2)

      const decisions = await query(
        file,
        "select count(*) as total from fees_assessments where year = ? and status = 'active'",
        [year]
      )
      assert.isAbove(decisions[0].total, 250)
      const payments = await query(file, 'select count(*) as total from fees_payments')
      assert.isAbove(payments[0].total, 500)

      const recomputed = await runAce(['fees:recompute', '--json'], env)
      assert.equal(recomputed.exitCode, 0, recomputed.stderr)
      const summary = JSON.parse(recomputed.stdout.trim().split('\n').pop()!)
      assert.isAtLeast(summary.taxpayers, 250)
      /* "Some" in arrears: more than a few, far fewer than half. */
      assert.isAbove(summary.inArrears, 20)
      assert.isBelow(summary.inArrears, summary.taxpayers / 2)
      assert.isAbove(summary.interestGr, 0)
      assert.isAbove(summary.creditGr, 0)

      const linked = await query(
        file,
        `select t.id, t.name, t.kind from fees_taxpayer_links l
         join residents r on r.id = l.resident_id
         join fees_taxpayers t on t.id = l.taxpayer_id
         where r.email = 'mieszkaniec@przykladowa.localhost'`
      )
      assert.lengthOf(linked, 1)
      assert.equal(linked[0].name, 'Nowak Jan')
      const joint = await query(
        file,
        'select joint_id from fees_taxpayer_members where member_id = ?',
        [linked[0].id]
      )
      assert.lengthOf(joint, 1)
      /* His liabilities: last year's and this year's tax, the dog fee and the waste fee, one installment unpaid last year. */
      const own = await query(
        file,
        'select kind, year from fees_assessments where taxpayer_id = ? order by year, kind',
        [linked[0].id]
      )
      assert.deepEqual(
        own.map((row) => `${row.kind} ${row.year}`),
        [
          `property-individual ${year - 1}`,
          `fee ${year}`,
          `property-individual ${year}`,
          `waste ${year}`,
        ]
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }).timeout(180_000)
})
