import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { checkNrb } from '#core/services/identifiers'
import officeProfileService from '#core/services/office_profile_service'
import { virtualAccountNumber } from '#payments/services/transfer_data'
import {
  AssessmentError,
  correctTaxDecision,
  createAssessment,
  issueTaxDecision,
  recordDelivery,
} from '#fees/services/assessments'
import { bookings } from '#fees/services/bookings'
import { ledgerOf } from '#fees/services/ledger_store'
import { accountStatement } from '#fees/services/account_statement'
import { taxpayers } from '#fees/services/taxpayers'
import { makeResident, resetSharedState, withOffice } from '#tests/helpers'
import {
  addTaxObject,
  installmentsOf,
  jointTaxpayerWithDecision,
  payFor,
  seedTaxRates,
  taxpayerWithDecision,
} from '#tests/fees_fixtures'

/*
 * The fixture's taxpayer (SAMPLE_OBJECTS at SAMPLE_RATES, 2026):
 *   property: 1 250 m² × 0.61 = 762.50; 142.5 m² × 1.15 = 163.875 → 163.88; 24 m² × 8.94 = 214.56
 *             → 1 140.94 zł → 1 141 zł
 *   agricultural: 3.4567 ha × 216.25 = 747.51 zł → 748 zł;  forest: 1.2 ha × 46.50 = 55.80 → 56 zł
 *   total 1 945 zł → 487 + 486 + 486 + 486 zł on 16 March (15th is a Sunday), 15 May,
 *   15 September, 16 November (15th is a Sunday).
 */
const TOTAL_2026 = 194_500

async function rowCounts() {
  const count = async (table: string) => {
    const row = await db.from(table).count('* as total').first()
    return Number(row?.total ?? 0)
  }
  return {
    assessments: await count('fees_assessments'),
    lines: await count('fees_assessment_lines'),
    installments: await count('fees_installments'),
  }
}

async function expectError(run: () => Promise<unknown>, field: string) {
  try {
    await run()
  } catch (error) {
    if (!(error instanceof AssessmentError) || error.field !== field) throw error
    return error
  }
  throw new Error(`expected an AssessmentError on ${field}`)
}

/* A garage bought 2026-05-10: 50 m² of building_other, taxed from June. */
async function addSecondGarage(taxpayerId: number) {
  await addTaxObject(taxpayerId, {
    tax: 'property',
    category: 'building_other',
    description: 'Garaż drugi',
    baseE4: 50_0000,
    validFrom: '2026-05-10',
  })
}

async function correct(assessmentId: number, effectiveFrom: string, issuedOn: string) {
  const { assessmentId: newId } = await correctTaxDecision({
    assessmentId,
    effectiveFrom,
    issuedOn,
  })
  return newId
}

test.group('Fees / tax decisions', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a decision from objects and rates: lines, installments, access code, account', async ({
    assert,
  }) => {
    const { taxpayer, assessmentId, accessCode } = await taxpayerWithDecision()
    const decision = await db.from('fees_assessments').where('id', assessmentId).firstOrFail()
    assert.equal(decision.number, 'FN.3120.1.2026')
    assert.equal(decision.kind, 'property-individual')
    assert.equal(decision.status, 'active')
    assert.equal(Number(decision.total_gr), TOTAL_2026)

    const lines = await db
      .from('fees_assessment_lines')
      .where('assessment_id', assessmentId)
      .orderBy('position')
    assert.deepEqual(
      lines.map((line) => [
        line.category,
        Number(line.base_e4),
        Number(line.rate_e4),
        Number(line.amount_gr),
      ]),
      [
        ['land_other', 1_250_0000, 6_100, 76_250],
        ['building_residential', 142_5000, 11_500, 16_388],
        ['building_other', 24_0000, 89_400, 21_456],
        ['agri_arable', 3_4567, 2_162_500, 74_751],
        ['forest', 1_2000, 465_000, 5_580],
      ]
    )
    assert.deepEqual(await installmentsOf(assessmentId), [
      [1, '2026-03-16', 48_700],
      [2, '2026-05-15', 48_600],
      [3, '2026-09-15', 48_600],
      [4, '2026-11-16', 48_600],
    ])

    /* The code printed on the decision links a resident; the stored one is encrypted. */
    assert.match(accessCode, /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/)
    assert.equal(await taxpayers.accessCode(taxpayer.id), accessCode)
    const stored = await db.from('fees_taxpayers').where('id', taxpayer.id).firstOrFail()
    assert.notInclude(String(stored.access_code), accessCode)

    /* Individual account: the office's sort code with the taxpayer's id, valid check digits. */
    const office = await officeProfileService.get()
    assert.equal(taxpayer.accountNumber, virtualAccountNumber(office!.bankAccount, taxpayer.id))
    assert.isTrue(checkNrb(taxpayer.accountNumber).valid)
    assert.equal(taxpayer.accountNumber.slice(2, 10), office!.bankAccount.slice(2, 10))
  })

  test('a second decision for the same year is refused; nothing is written', async ({ assert }) => {
    const { taxpayer } = await taxpayerWithDecision()
    const before = await rowCounts()
    await expectError(
      () => issueTaxDecision({ taxpayerId: taxpayer.id, year: 2026, issuedOn: '2026-03-01' }),
      'year'
    )
    assert.deepEqual(await rowCounts(), before)
    /* Another year is another liability, numbered in its own year. */
    await seedTaxRates(2027)
    const next = await issueTaxDecision({
      taxpayerId: taxpayer.id,
      year: 2027,
      issuedOn: '2027-02-01',
    })
    const row = await db.from('fees_assessments').where('id', next.assessmentId).firstOrFail()
    assert.equal(row.number, 'FN.3120.1.2027')
  })

  test('a decision without objects, or with a missing rate, is refused', async ({ assert }) => {
    const lonely = await taxpayers.create({ kind: 'individual', name: 'Pusty Jan' })
    await seedTaxRates(2026)
    await expectError(
      () => issueTaxDecision({ taxpayerId: lonely.id, year: 2026, issuedOn: '2026-02-20' }),
      'objects'
    )
    await addTaxObject(lonely.id, {
      tax: 'property',
      category: 'building_business',
      description: 'Sklep',
      baseE4: 50_0000,
    })
    await assert.rejects(
      () => issueTaxDecision({ taxpayerId: lonely.id, year: 2026, issuedOn: '2026-02-20' }),
      /Brak stawki na rok 2026/
    )
  })

  test('delivery after the dates moves them to 14 days after delivery, on a working day', async ({
    assert,
  }) => {
    const { assessmentId } = await taxpayerWithDecision()
    /* Delivered 2026-05-21: March and May had passed; +14 days = 2026-06-04, Corpus Christi → 06-05. */
    await recordDelivery(assessmentId, '2026-05-21')
    assert.deepEqual(await installmentsOf(assessmentId), [
      [1, '2026-06-05', 48_700],
      [2, '2026-06-05', 48_600],
      [3, '2026-09-15', 48_600],
      [4, '2026-11-16', 48_600],
    ])
    const row = await db.from('fees_assessments').where('id', assessmentId).firstOrFail()
    assert.equal(row.delivered_on, '2026-05-21')
    /* Recording an earlier delivery puts the statutory dates back. */
    await recordDelivery(assessmentId, '2026-03-02')
    const restored = await installmentsOf(assessmentId)
    assert.deepEqual(
      restored.map((i) => i[1]),
      ['2026-03-16', '2026-05-15', '2026-09-15', '2026-11-16']
    )
    await expectError(() => recordDelivery(assessmentId, '2026-02-19'), 'deliveredOn')
    await expectError(() => recordDelivery(assessmentId, '2026-02-30'), 'deliveredOn')
  })

  test('a decision issued after some dates: they are due 14 days after issue until delivery is known', async ({
    assert,
  }) => {
    /* Issued 2026-06-01: March and May had passed → 2026-06-15 (Monday); delivered 06-05 → 06-19. */
    const { assessmentId } = await taxpayerWithDecision({ issuedOn: '2026-06-01' })
    assert.deepEqual(await installmentsOf(assessmentId), [
      [1, '2026-06-15', 48_700],
      [2, '2026-06-15', 48_600],
      [3, '2026-09-15', 48_600],
      [4, '2026-11-16', 48_600],
    ])
    await recordDelivery(assessmentId, '2026-06-05')
    const delivered = await installmentsOf(assessmentId)
    assert.deepEqual(
      delivered.map((i) => i[1]),
      ['2026-06-19', '2026-06-19', '2026-09-15', '2026-11-16']
    )
  })

  test('a correction keeps earlier installments, recalculates the rest, replaces the old one', async ({
    assert,
  }) => {
    const { taxpayer, assessmentId: oldId } = await taxpayerWithDecision()
    /* A 2025 decision as well, so "the oldest" and "the named one" differ. */
    await seedTaxRates(2025)
    const { assessmentId: id2025 } = await issueTaxDecision({
      taxpayerId: taxpayer.id,
      year: 2025,
      issuedOn: '2025-02-20',
    })
    /*
     * A garage bought 2026-05-10 → taxed June–December (7 months):
     * 50 m² × 8.94 × 7/12 = 260.75 zł. Property 1 140.94 + 260.75 = 1 401.69 → 1 402 zł;
     * new total 1 402 + 748 + 56 = 2 206 zł. From 2026-06-01, issued 2026-06-10:
     * March 487 and May 486 stay (973 zł); 1 233 zł over September and November: 617 + 616 zł.
     */
    await addSecondGarage(taxpayer.id)
    const newId = await correct(oldId, '2026-06-01', '2026-06-10')
    assert.deepEqual(await installmentsOf(newId), [
      [1, '2026-03-16', 48_700],
      [2, '2026-05-15', 48_600],
      [3, '2026-09-15', 61_700],
      [4, '2026-11-16', 61_600],
    ])
    const [oldRow, newRow] = await Promise.all([
      db.from('fees_assessments').where('id', oldId).firstOrFail(),
      db.from('fees_assessments').where('id', newId).firstOrFail(),
    ])
    assert.equal(oldRow.status, 'replaced')
    assert.equal(newRow.status, 'active')
    assert.equal(Number(newRow.replaces_id), oldId)
    assert.equal(Number(newRow.total_gr), 220_600)
    assert.equal(newRow.number, 'FN.3120.2.2026')

    /* From the day of the correction the ledger knows only the new decision for 2026. */
    const now = await ledgerOf(taxpayer.id, '2026-12-31')
    const ids2026 = new Set(
      now.installments.filter((i) => i.assessmentId !== id2025).map((i) => i.assessmentId)
    )
    assert.deepEqual([...ids2026], [newId])
    assert.equal(now.totals.chargedGr, 220_600 + TOTAL_2026)
    /* The day before, the replaced decision was the one in force. */
    const before = await ledgerOf(taxpayer.id, '2026-06-09')
    assert.sameMembers(
      [...new Set(before.installments.map((i) => i.assessmentId))],
      [id2025, oldId]
    )
    assert.equal(before.installments.filter((i) => i.assessmentId === oldId).length, 4)

    /* A transfer naming the replaced decision pays the liability that replaced it, not the older 2025 one. */
    await payFor(taxpayer.id, 10_000, '2026-06-20', { title: `Podatek ${oldRow.number}` })
    const paid = await ledgerOf(taxpayer.id, '2026-06-20')
    const target = paid.allocations.map(
      (a) => paid.installments.find((i) => i.id === a.itemId)!.assessmentId
    )
    assert.deepEqual([...new Set(target)], [newId])

    /* The statement shows the correction in force and the old decision as replaced. */
    const statement = await accountStatement(taxpayer.id, '2026-12-31')
    assert.sameMembers(
      statement!.assessments.map((a) => a.id),
      [newId, id2025]
    )
    assert.deepEqual(
      statement!.replaced.map((r) => r.id),
      [oldId]
    )
    /* The new line's basis shows the part of the year: 50 m² × 8.94 zł × 7/12 = 260.75 zł. */
    const garage = statement!.assessments
      .find((a) => a.id === newId)!
      .lines.find((l) => l.description === 'Garaż drugi')!
    assert.deepEqual(
      [garage.baseE4, garage.rateE4, garage.months, garage.amountGr],
      [50_0000, 89_400, 7, 26_075]
    )
    assert.isTrue(
      statement!.assessments
        .find((a) => a.id === newId)!
        .lines.every((l) => l === garage || l.months === 12)
    )
    const earlier = await accountStatement(taxpayer.id, '2026-06-09')
    assert.sameMembers(
      earlier!.assessments.map((a) => a.id),
      [oldId, id2025]
    )

    /* The replaced decision cannot be corrected again. */
    await expectError(
      () =>
        correctTaxDecision({
          assessmentId: oldId,
          effectiveFrom: '2026-07-01',
          issuedOn: '2026-07-01',
        }),
      'assessmentId'
    )
  })

  test('a correction of a late-delivered decision lines up with the moved dates', async ({
    assert,
  }) => {
    const { taxpayer, assessmentId } = await taxpayerWithDecision()
    await recordDelivery(assessmentId, '2026-05-21')
    await addSecondGarage(taxpayer.id)
    /*
     * From 2026-06-01 (before the moved date 06-05), issued 2026-06-02: nothing is kept, the
     * new 2 206 zł are spread over the same four dates: 553 + 551 + 551 + 551 zł.
     */
    const newId = await correct(assessmentId, '2026-06-01', '2026-06-02')
    assert.deepEqual(await installmentsOf(newId), [
      [1, '2026-06-05', 55_300],
      [2, '2026-06-05', 55_100],
      [3, '2026-09-15', 55_100],
      [4, '2026-11-16', 55_100],
    ])
  })

  test('a correction of a decision issued late, delivery not yet recorded, keeps its dates', async ({
    assert,
  }) => {
    /* Issued 2026-06-01: March and May due 06-15. Corrected from 06-10 (issued 06-05): four dates still. */
    const { taxpayer, assessmentId } = await taxpayerWithDecision({ issuedOn: '2026-06-01' })
    await addSecondGarage(taxpayer.id)
    const newId = await correct(assessmentId, '2026-06-10', '2026-06-05')
    assert.deepEqual(await installmentsOf(newId), [
      [1, '2026-06-15', 55_300],
      [2, '2026-06-15', 55_100],
      [3, '2026-09-15', 55_100],
      [4, '2026-11-16', 55_100],
    ])
  })

  test('delivery of a correction leaves the installments carried over from the old decision', async ({
    assert,
  }) => {
    const { taxpayer, assessmentId } = await taxpayerWithDecision()
    await addSecondGarage(taxpayer.id)
    const newId = await correct(assessmentId, '2026-06-01', '2026-06-10')
    /* Delivered 2026-09-20: March and May were owed under the first decision and keep their dates; September moves to 10-05 (10-04 is a Sunday). */
    await recordDelivery(newId, '2026-09-20')
    assert.deepEqual(await installmentsOf(newId), [
      [1, '2026-03-16', 48_700],
      [2, '2026-05-15', 48_600],
      [3, '2026-10-05', 61_700],
      [4, '2026-11-16', 61_600],
    ])
  })

  test('a write-off stays with the installment a correction carried over', async ({ assert }) => {
    const { taxpayer, assessmentId } = await taxpayerWithDecision()
    const [first] = await db
      .from('fees_installments')
      .where('assessment_id', assessmentId)
      .orderBy('number')
    /* 100 zł of the March installment (487 zł) remitted on 2026-04-01. */
    await bookings.writeOff({
      installmentId: Number(first.id),
      amountGr: 10_000,
      bookedOn: '2026-04-01',
      description: 'Umorzenie części raty',
    })
    await addSecondGarage(taxpayer.id)
    const newId = await correct(assessmentId, '2026-06-01', '2026-06-10')
    const ledger = await ledgerOf(taxpayer.id, '2026-06-30')
    const march = ledger.installments.find((i) => i.assessmentId === newId && i.number === 1)!
    assert.notEqual(march.id, Number(first.id))
    assert.equal(march.writtenOffGr, 10_000)
    assert.equal(march.outstandingGr, 38_700)
    assert.equal(ledger.totals.writtenOffGr, 10_000)
  })

  test('a failure inside the transaction leaves nothing half-written', async ({ assert }) => {
    const { taxpayer } = await taxpayerWithDecision()
    await payFor(taxpayer.id, 100, '2026-03-01', { key: 'taken' })
    const before = await rowCounts()
    await assert.rejects(() =>
      db.transaction(async (trx) => {
        await createAssessment(trx, {
          taxpayerId: taxpayer.id,
          kind: 'fee',
          year: 2026,
          title: 'Opłata targowa',
          totalGr: 5_000,
          lines: [],
          installments: [
            {
              number: 1,
              statutoryDue: '2026-04-15',
              due: '2026-04-15',
              amountGr: 5_000,
              existsFrom: '2026-04-01',
            },
          ],
          issuedOn: '2026-04-01',
        })
        /* The same idempotency key again: a unique-key violation in the same transaction. */
        await trx.table('fees_payments').insert({
          taxpayer_id: taxpayer.id,
          amount_gr: 100,
          paid_on: '2026-04-01',
          source: 'bank',
          idempotency_key: 'taken',
          created_at: new Date(),
        })
      })
    )
    assert.deepEqual(await rowCounts(), before)
  })
})

test.group('Fees / taxpayer register', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a co-owner sees the joint account only while the taxpayer is joint', async ({ assert }) => {
    const joint = await jointTaxpayerWithDecision()
    const resident = await makeResident('malgorzata@example.pl')
    await taxpayers.link(joint.members[0].id, resident.id, 'code', null)
    const visible = async () => {
      const rows = await taxpayers.visibleTo(resident.id)
      return rows.map((t) => t.id)
    }
    assert.sameMembers(await visible(), [joint.members[0].id, joint.taxpayer.id])

    /* The register is corrected: the property belongs to one person now. */
    await taxpayers.update(joint.taxpayer.id, {
      kind: 'individual',
      name: 'Gęślarz Bożydar',
      street: 'ul. Łąkowa 12',
      postalCode: '12-345',
      city: 'Testowo',
    })
    assert.deepEqual(await visible(), [joint.members[0].id])
    assert.deepEqual(await taxpayers.members(joint.taxpayer.id), [])
  })
})
