import type { ApiResponse } from '@japa/api-client'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import { interestRates } from '#fees/services/interest_rates'
import { auditCount, makeStaff, resetSharedState, withOffice } from '#tests/helpers'
import { addFeeType, addWasteRate, staffPost } from '#tests/fees_fixtures'

/** The field errors a rejected form flashed (field → messages). */
function errorsOf(response: ApiResponse): Record<string, string[]> {
  return response.flashMessage('inputErrorsBag') as Record<string, string[]>
}

async function staff() {
  const treasurer = await makeStaff('skarbnik', ['treasurer'])
  const financeClerk = await makeStaff('ksiegowa', ['clerk'])
  financeClerk.unit = 'FN'
  await financeClerk.save()
  const manager = await makeStaff('sekretarz', ['manager'])
  const admin = await StaffUser.findByOrFail('login', 'informatyk')
  return { treasurer, financeClerk, manager, admin }
}

function setup(group: any) {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })
}

test.group('Fees configuration / access', (group) => {
  setup(group)

  test('every configuration page: the treasurer 200, finance clerk, manager and admin 403', async ({
    client,
    assert,
  }) => {
    const users = await staff()
    const wasteRateId = await addWasteRate()
    const feeTypeId = await addFeeType()
    const interestRow = await db.from('fees_interest_rates').firstOrFail()
    const pages = [
      '/panel/podatki/konfiguracja',
      '/panel/podatki/konfiguracja/stawki',
      '/panel/podatki/konfiguracja/stawki?rok=2027',
      '/panel/podatki/konfiguracja/odsetki',
      `/panel/podatki/konfiguracja/odsetki/${interestRow.id}`,
      '/panel/podatki/konfiguracja/odpady',
      `/panel/podatki/konfiguracja/odpady/${wasteRateId}`,
      '/panel/podatki/konfiguracja/oplaty',
      '/panel/podatki/konfiguracja/oplaty/nowa',
      `/panel/podatki/konfiguracja/oplaty/${feeTypeId}`,
    ]
    const failures: string[] = []
    for (const url of pages) {
      const ok = await client.get(url).signedIn('staff', users.treasurer)
      if (ok.status() !== 200) failures.push(`treasurer ${url}: ${ok.status()}`)
      for (const who of ['financeClerk', 'manager', 'admin'] as const) {
        const response = await client.get(url).signedIn('staff', users[who]).redirects(0)
        if (response.status() !== 403) failures.push(`${who} ${url}: ${response.status()}`)
      }
    }
    assert.deepEqual(failures, [])
  }).timeout(60_000)

  test('posts from a finance clerk are refused and change nothing', async ({ client, assert }) => {
    const { financeClerk } = await staff()
    const posts: [string, Record<string, string>][] = [
      ['/panel/podatki/konfiguracja/stawki', { year: '2027', rate_land_other: '9,99' }],
      ['/panel/podatki/konfiguracja/stawki/kopiuj', { year: '2027' }],
      ['/panel/podatki/konfiguracja/odsetki', { effectiveFrom: '2026-06-04', rate: '99' }],
      ['/panel/podatki/konfiguracja/odsetki/prog', { threshold: '0', thresholdFrom: '2026-01-01' }],
      [
        '/panel/podatki/konfiguracja/odpady',
        {
          validFrom: '2026-01-01',
          method: 'residents',
          rate: '1',
          nonSortingMultiplier: '2',
          scheduleKind: 'monthly',
          scheduleDay: '15',
        },
      ],
      [
        '/panel/podatki/konfiguracja/oplaty',
        {
          code: 'x',
          name: 'Opłata intruza',
          amountRule: 'fixed',
          amount: '1',
          scheduleKind: 'property',
          rounding: 'none',
        },
      ],
    ]
    for (const [url, form] of posts) {
      const response = await staffPost(client, financeClerk, url, form)
      assert.equal(response.status(), 403, url)
    }
    assert.lengthOf(await db.from('fees_tax_rates'), 0)
    assert.lengthOf(await db.from('fees_waste_rates'), 0)
    assert.lengthOf(await db.from('fees_fee_types'), 0)
    assert.isNull(await db.from('fees_interest_rates').where('standard_rate_bp', 9_900).first())
    const audits = await db.from('audit_entries').where('action', 'like', 'fees.%')
    assert.lengthOf(audits, 0)
  }).timeout(60_000)
})

test.group('Fees configuration / resolution rates', (group) => {
  setup(group)

  test('the treasurer saves a year’s rates: money with up to 4 decimals, structures in percent', async ({
    client,
    assert,
  }) => {
    const { treasurer } = await staff()
    const response = await staffPost(client, treasurer, '/panel/podatki/konfiguracja/stawki', {
      year: '2027',
      resolution: 'Uchwała nr XV/120/2026 z dnia 26 listopada 2026 r.',
      rate_land_other: '0,7',
      rate_building_residential: '1,15',
      rate_agri_arable: '216,2525',
      rate_structure: '2',
    })
    response.assertStatus(302)
    response.assertHeader('location', '/panel/podatki/konfiguracja/stawki?rok=2027')
    const rows = await db.from('fees_tax_rates').where('year', 2027).orderBy('category')
    assert.deepEqual(
      rows.map((row) => [row.tax, row.category, row.unit, Number(row.rate_e4)]),
      [
        ['agricultural', 'agri_arable', 'ha_conv', 2_162_525],
        ['property', 'building_residential', 'm2', 11_500],
        ['property', 'land_other', 'm2', 7_000],
        ['property', 'structure', 'value', 200],
      ]
    )
    assert.equal(rows[0].resolution, 'Uchwała nr XV/120/2026 z dnia 26 listopada 2026 r.')
    const entry = await db
      .from('audit_entries')
      .where('action', 'fees.tax_rates_saved')
      .firstOrFail()
    assert.equal(entry.actor_label, 'skarbnik')
    assert.deepInclude(JSON.parse(entry.details).changed, {
      category: 'structure',
      from: null,
      to: 200,
    })

    const page = await client
      .get('/panel/podatki/konfiguracja/stawki?rok=2027')
      .signedIn('staff', treasurer)
    page.assertStatus(200)
    assert.include(page.text(), 'value="216,2525"')
    assert.include(page.text(), 'value="1,15"')
    assert.include(page.text(), 'value="2"')

    /* Emptying a field removes that year's rate. */
    await staffPost(client, treasurer, '/panel/podatki/konfiguracja/stawki', {
      year: '2027',
      rate_land_other: '0,71',
    })
    const after = await db.from('fees_tax_rates').where('year', 2027)
    assert.deepEqual(
      after.map((row) => [row.category, Number(row.rate_e4)]),
      [['land_other', 7_100]]
    )
    assert.equal(await auditCount('fees.tax_rates_saved'), 2)
  })

  test('bad rates are refused in Polish, naming the category, and nothing is saved', async ({
    client,
    assert,
  }) => {
    const { treasurer } = await staff()
    const response = await staffPost(
      client,
      treasurer,
      '/panel/podatki/konfiguracja/stawki',
      {
        year: '2027',
        rate_land_other: 'siedem',
        rate_building_other: '1,23456',
        rate_structure: '2,555',
        rate_forest: '46,50',
      },
      '/panel/podatki/konfiguracja/stawki?rok=2027'
    )
    response.assertStatus(302)
    response.assertHeader('location', '/panel/podatki/konfiguracja/stawki?rok=2027')
    const errors = errorsOf(response)
    assert.match(errors.rate_land_other[0], /^Pole „Grunty pozostałe” musi zawierać liczbę/)
    assert.match(errors.rate_building_other[0], /Budynki pozostałe \(w tym garaże\)/)
    assert.match(errors.rate_structure[0], /^Pole „Budowle \(2% wartości\)” musi zawierać procent/)
    assert.notProperty(errors, 'rate_forest')
    assert.lengthOf(await db.from('fees_tax_rates'), 0)
    assert.equal(await auditCount('fees.tax_rates_saved'), 0)

    const page = await client
      .get('/panel/podatki/konfiguracja/stawki?rok=2027')
      .signedIn('staff', treasurer)
      .withFlashMessages({ inputErrorsBag: errors, rate_land_other: 'siedem' })
    assert.include(page.text(), 'error-summary')
    assert.include(page.text(), 'href="#f-rate_land_other"')
    assert.include(page.text(), 'value="siedem"')
    assert.include(page.text(), 'aria-invalid="true"')
  })

  test('copy from the previous year fills only the categories without a rate', async ({
    client,
    assert,
  }) => {
    const { treasurer } = await staff()
    await staffPost(client, treasurer, '/panel/podatki/konfiguracja/stawki', {
      year: '2026',
      rate_land_other: '0,69',
      rate_forest: '46,5',
    })
    await staffPost(client, treasurer, '/panel/podatki/konfiguracja/stawki', {
      year: '2027',
      rate_land_other: '0,72',
    })
    const response = await staffPost(
      client,
      treasurer,
      '/panel/podatki/konfiguracja/stawki/kopiuj',
      { year: '2027' }
    )
    response.assertHeader('location', '/panel/podatki/konfiguracja/stawki?rok=2027')
    const rows = await db.from('fees_tax_rates').where('year', 2027).orderBy('category')
    assert.deepEqual(
      rows.map((row) => [row.category, Number(row.rate_e4)]),
      [
        ['forest', 465_000],
        ['land_other', 7_200],
      ]
    )
    assert.equal(await auditCount('fees.tax_rates_copied'), 1)

    const none = await staffPost(
      client,
      treasurer,
      '/panel/podatki/konfiguracja/stawki/kopiuj',
      { year: '2030' },
      '/panel/podatki/konfiguracja/stawki?rok=2030'
    )
    assert.equal(errorsOf(none).year[0], 'Na rok 2029 nie ma stawek do skopiowania.')
  })
})

test.group('Fees configuration / interest', (group) => {
  setup(group)

  test('add a rate, refuse a duplicate day, correct a row, set the threshold: all audited', async ({
    client,
    assert,
  }) => {
    const { treasurer } = await staff()
    const add = await staffPost(client, treasurer, '/panel/podatki/konfiguracja/odsetki', {
      effectiveFrom: '04.06.2026',
      rate: '10,25',
      note: 'Obwieszczenie MF',
    })
    add.assertHeader('location', '/panel/podatki/konfiguracja/odsetki')
    const rates = await interestRates.all()
    assert.deepInclude(rates, { from: '2026-06-04', standardBp: 1_025 })
    assert.equal(await auditCount('fees.interest_rate_added', 'skarbnik'), 1)

    const duplicate = await staffPost(
      client,
      treasurer,
      '/panel/podatki/konfiguracja/odsetki',
      { effectiveFrom: '2026-06-04', rate: '10' },
      '/panel/podatki/konfiguracja/odsetki'
    )
    assert.match(errorsOf(duplicate).effectiveFrom[0], /już jest w tabeli/)

    const bad = await staffPost(
      client,
      treasurer,
      '/panel/podatki/konfiguracja/odsetki',
      { effectiveFrom: '31.02.2026', rate: '10,255' },
      '/panel/podatki/konfiguracja/odsetki'
    )
    const errors = errorsOf(bad)
    assert.match(errors.effectiveFrom[0], /^Pole „Obowiązuje od” musi zawierać istniejącą datę/)
    assert.match(errors.rate[0], /^Pole „Stawka” musi zawierać procent/)

    const row = await db.from('fees_interest_rates').where('standard_rate_bp', 1_025).firstOrFail()
    await staffPost(client, treasurer, `/panel/podatki/konfiguracja/odsetki/${row.id}`, {
      effectiveFrom: '2026-06-05',
      rate: '10,5',
    })
    assert.deepInclude(await interestRates.all(), { from: '2026-06-05', standardBp: 1_050 })
    const corrected = await db
      .from('audit_entries')
      .where('action', 'fees.interest_rate_corrected')
      .firstOrFail()
    assert.deepEqual(JSON.parse(corrected.details), {
      from: { effectiveFrom: '2026-06-04', rateBp: 1_025 },
      to: { effectiveFrom: '2026-06-05', rateBp: 1_050 },
    })

    await staffPost(client, treasurer, '/panel/podatki/konfiguracja/odsetki/prog', {
      threshold: '9,30',
      thresholdFrom: '01.01.2027',
    })
    assert.equal(await interestRates.thresholdGrAt('2026-12-31'), 870)
    assert.equal(await interestRates.thresholdGrAt('2027-01-01'), 930)
    assert.equal(await auditCount('fees.interest_threshold_set'), 1)

    const page = await client
      .get('/panel/podatki/konfiguracja/odsetki')
      .signedIn('staff', treasurer)
    assert.include(page.text(), '10,50%')
    assert.include(page.text(), '9,30 zł')
  })
})

test.group('Fees configuration / waste rates and fee types', (group) => {
  setup(group)

  const wasteForm = {
    validFrom: '01.01.2027',
    method: 'water',
    rate: '12,3456',
    compostingDiscount: '0,50',
    nonSortingMultiplier: '2,5',
    scheduleKind: 'quarterly',
    scheduleDay: '20',
    resolution: 'Uchwała nr XVI/130/2026',
  }

  test('waste rates: add, refuse bad input in Polish, correct; audited', async ({
    client,
    assert,
  }) => {
    const { treasurer } = await staff()
    const add = await staffPost(client, treasurer, '/panel/podatki/konfiguracja/odpady', wasteForm)
    add.assertHeader('location', '/panel/podatki/konfiguracja/odpady')
    const row = await db.from('fees_waste_rates').firstOrFail()
    assert.deepInclude(row, {
      valid_from: '2027-01-01',
      method: 'water',
      schedule: 'quarterly:20',
    })
    assert.equal(Number(row.rate_e2), 123_456)
    assert.equal(Number(row.composting_discount_e2), 5_000)
    assert.equal(Number(row.non_sorting_multiplier_pct), 250)
    assert.equal(await auditCount('fees.waste_rate_added'), 1)

    const bad = await staffPost(
      client,
      treasurer,
      '/panel/podatki/konfiguracja/odpady',
      { ...wasteForm, validFrom: '2027-02-15', nonSortingMultiplier: '5', method: 'dogs' },
      '/panel/podatki/konfiguracja/odpady'
    )
    const errors = errorsOf(bad)
    assert.match(
      errors.validFrom[0],
      /^Pole „Obowiązuje od” musi wskazywać pierwszy dzień miesiąca/
    )
    assert.match(
      errors.nonSortingMultiplier[0],
      /^Pole „Mnożnik za brak segregacji” musi zawierać liczbę od 2 do 4/
    )
    assert.match(errors.method[0], /„Metoda ustalania opłaty”/)

    await staffPost(client, treasurer, `/panel/podatki/konfiguracja/odpady/${row.id}`, {
      ...wasteForm,
      rate: '13',
    })
    const corrected = await db.from('fees_waste_rates').where('id', row.id).firstOrFail()
    assert.equal(Number(corrected.rate_e2), 130_000)
    assert.equal(await auditCount('fees.waste_rate_corrected'), 1)

    const page = await client.get('/panel/podatki/konfiguracja/odpady').signedIn('staff', treasurer)
    assert.include(page.text(), '13,00 zł/m³')
    assert.include(page.text(), 'co kwartał do 20. dnia ostatniego miesiąca kwartału')
  })

  test('fee types: create, refuse bad input in Polish, edit; audited with the code', async ({
    client,
    assert,
  }) => {
    const { treasurer } = await staff()
    const form = {
      name: 'Opłata od posiadania psów',
      code: 'psy',
      amountRule: 'per_unit',
      amount: '45,50',
      unitLabel: 'pies',
      scheduleKind: 'once',
      scheduleDate: '31.03',
      rounding: 'none',
      isActive: '1',
    }
    const created = await staffPost(client, treasurer, '/panel/podatki/konfiguracja/oplaty', form)
    created.assertHeader('location', '/panel/podatki/konfiguracja/oplaty')
    const row = await db.from('fees_fee_types').where('code', 'psy').firstOrFail()
    assert.deepInclude(row, { amount_rule: 'per_unit', unit_label: 'pies', schedule: 'once:03-31' })
    assert.equal(Number(row.amount_gr), 4_550)
    const entry = await db
      .from('audit_entries')
      .where('action', 'fees.fee_type_created')
      .firstOrFail()
    assert.equal(JSON.parse(entry.details).after.feeSlug, 'psy')

    const bad = await staffPost(
      client,
      treasurer,
      '/panel/podatki/konfiguracja/oplaty',
      {
        ...form,
        code: 'Psy!',
        amount: '45,555',
        unitLabel: '',
        scheduleKind: 'monthly',
        scheduleDay: '',
      },
      '/panel/podatki/konfiguracja/oplaty/nowa'
    )
    const errors = errorsOf(bad)
    assert.match(errors.code[0], /^Pole „Kod opłaty” może zawierać małe litery/)
    assert.match(errors.amount[0], /^Pole „Kwota” musi zawierać kwotę/)
    assert.match(errors.unitLabel[0], /„Jednostka”/)
    assert.match(errors.scheduleDay[0], /„Dzień miesiąca”/)

    const duplicate = await staffPost(
      client,
      treasurer,
      '/panel/podatki/konfiguracja/oplaty',
      form,
      '/panel/podatki/konfiguracja/oplaty/nowa'
    )
    assert.equal(errorsOf(duplicate).code[0], 'Opłata o tym kodzie już istnieje.')

    await staffPost(client, treasurer, `/panel/podatki/konfiguracja/oplaty/${row.id}`, {
      ...form,
      amountRule: 'fixed',
      amount: '120',
      scheduleKind: 'monthly',
      scheduleDay: '10',
      rounding: 'zloty',
      isActive: '',
    })
    const edited = await db.from('fees_fee_types').where('id', row.id).firstOrFail()
    assert.deepInclude(edited, {
      amount_rule: 'fixed',
      unit_label: null,
      schedule: 'monthly:10',
      rounding: 'zloty',
    })
    assert.isFalse(Boolean(edited.is_active))
    assert.equal(await auditCount('fees.fee_type_updated'), 1)

    const page = await client.get('/panel/podatki/konfiguracja/oplaty').signedIn('staff', treasurer)
    assert.include(page.text(), 'wycofana')
    assert.include(page.text(), 'co miesiąc do 10. dnia miesiąca')
  })
})
