import { test } from '@japa/runner'
import { runAce as ace } from '#tests/helpers'

/* The commands read the rate table from this run's database, migrated by the suite setup. */
test.group('CLI / fees', () => {
  test('fees:interest prints the documented JSON', async ({ assert }) => {
    const result = await ace([
      'fees:interest',
      '--amount',
      '1000.00',
      '--due',
      '2024-03-15',
      '--paid',
      '2025-01-10',
      '--json',
    ])
    assert.equal(result.exitCode, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {
      amount: '1000.00',
      due: '2024-03-15',
      paid: '2025-01-10',
      days: 301,
      interest: '120.00',
      charged: true,
      periods: [
        { from: '2024-03-16', to: '2025-01-10', days: 301, rate: '14.50', interest: '119.58' },
      ],
    })
  }).timeout(60_000)

  test('fees:interest refuses bad input with exit 2 and a message', async ({ assert }) => {
    for (const args of [
      ['--amount', 'tysiąc', '--due', '2024-03-15', '--paid', '2025-01-10'],
      ['--amount', '-10.00', '--due', '2024-03-15', '--paid', '2025-01-10'],
      ['--amount', '10.00', '--due', '2010-03-15', '--paid', '2011-01-10'],
      ['--amount', '10.00', '--due', '2024-02-30', '--paid', '2025-01-10'],
    ]) {
      const result = await ace(['fees:interest', ...args, '--json'])
      assert.equal(result.exitCode, 2, args.join(' '))
      assert.match(result.stderr, /fees:interest: /)
      assert.equal(result.stdout.trim(), '')
    }
  }).timeout(120_000)

  test('fees:schedule prints the installments after the working-day shift', async ({ assert }) => {
    const result = await ace([
      'fees:schedule',
      '--kind',
      'property-individual',
      '--year',
      '2027',
      '--amount',
      '1234.00',
      '--json',
    ])
    assert.equal(result.exitCode, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.stdout), {
      total: '1234.00',
      installments: [
        { number: 1, due: '2027-03-15', amount: '310.00' },
        { number: 2, due: '2027-05-17', amount: '308.00' },
        { number: 3, due: '2027-09-15', amount: '308.00' },
        { number: 4, due: '2027-11-15', amount: '308.00' },
      ],
    })
    const unknown = await ace([
      'fees:schedule',
      '--kind',
      'dog-fee',
      '--year',
      '2027',
      '--amount',
      '10.00',
      '--json',
    ])
    assert.equal(unknown.exitCode, 2)
    assert.include(unknown.stderr, '--kind must be one of')
  }).timeout(60_000)
})
