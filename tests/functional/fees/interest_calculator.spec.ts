import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { resetSharedState, runAce, withOffice } from '#tests/helpers'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

test.group('Interest calculator (public)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('the issue’s example: 1000,00 zł due 15.03.2024 paid 10.01.2025 → 301 days, 120,00 zł', async ({
    client,
    assert,
  }) => {
    const response = await client
      .get('/kalkulator-odsetek')
      .qs({ amount: '1000,00', due: '15.03.2024', paid: '2025-01-10' })
    response.assertStatus(200)
    const page = text(response.text())
    assert.include(page, 'Dni zwłoki 301')
    assert.include(page, 'Odsetki do zapłaty 120,00 zł')
    assert.include(page, '16.03.2024 10.01.2025 301 14,50% 119,58 zł')
    assert.include(page, 'są należne')
    assert.notInclude(response.text(), 'error-summary')
    /* Off the session stack: no cookie, no CSRF token. */
    assert.isUndefined(response.header('set-cookie'))
    assert.notInclude(response.text(), '_csrf')
  })

  test('the same figures as ./ace fees:interest, across rate changes', async ({
    client,
    assert,
  }) => {
    const cli = await runAce([
      'fees:interest',
      '--amount',
      '2500.00',
      '--due',
      '2022-01-31',
      '--paid',
      '2023-12-01',
      '--json',
    ])
    assert.equal(cli.exitCode, 0, cli.stderr)
    const expected = JSON.parse(cli.stdout)
    const response = await client
      .get('/kalkulator-odsetek')
      .qs({ amount: '2 500,00', due: '2022-01-31', paid: '01.12.2023' })
    const page = text(response.text())
    assert.include(page, `Dni zwłoki ${expected.days}`)
    assert.include(page, `Odsetki do zapłaty ${expected.interest.replace('.', ',')} zł`)
    assert.isAbove(expected.periods.length, 3)
    for (const period of expected.periods)
      assert.include(
        page,
        `${period.days} ${period.rate.replace('.', ',')}% ${period.interest.replace('.', ',')} zł`
      )
  }).timeout(60_000)

  test('below the threshold: not charged, and the page says why', async ({ client, assert }) => {
    const response = await client
      .get('/kalkulator-odsetek')
      .qs({ amount: '100,00', due: '2024-03-15', paid: '2024-04-15' })
    const page = text(response.text())
    assert.include(page, 'Dni zwłoki 31')
    assert.include(page, '0,00 zł (nie pobiera się)')
    assert.include(page, 'nie przekraczają 8,70 zł')
  })

  test('paid on time: 0 days, no interest', async ({ client, assert }) => {
    const response = await client
      .get('/kalkulator-odsetek')
      .qs({ amount: '100,00', due: '2024-03-15', paid: '2024-03-15' })
    const page = text(response.text())
    assert.include(page, 'Dni zwłoki 0')
    assert.include(page, 'Zapłata w terminie')
  })

  test('invalid input: the page again (200) with an error summary naming each field in Polish', async ({
    client,
    assert,
  }) => {
    const response = await client
      .get('/kalkulator-odsetek')
      .qs({ amount: 'tysiąc', due: '30.02.2024', paid: '' })
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'class="error-summary"')
    assert.include(html, 'href="#f-amount"')
    assert.include(html, 'Pole „Kwota zaległości” musi zawierać kwotę w złotych')
    assert.include(html, 'Pole „Termin płatności” musi zawierać istniejącą datę')
    assert.include(html, 'Pole „Data zapłaty” jest wymagane.')
    assert.include(html, 'aria-invalid="true"')
    assert.include(html, 'value="tysiąc"')
    assert.notInclude(html, 'Dni zwłoki')
    assert.isUndefined(response.header('set-cookie'))

    const early = await client
      .get('/kalkulator-odsetek')
      .qs({ amount: '10', due: '2010-01-01', paid: '2011-01-10' })
    assert.include(early.text(), 'Pole „Data zapłaty” musi zawierać datę od 2015-03-05')

    const negative = await client
      .get('/kalkulator-odsetek')
      .qs({ amount: '-10', due: '2024-01-01', paid: '2024-02-01' })
    assert.include(negative.text(), 'Pole „Kwota zaległości” musi zawierać kwotę')
  })

  test('the empty form, and a tile on the home page', async ({ client, assert }) => {
    const response = await client.get('/kalkulator-odsetek')
    response.assertStatus(200)
    assert.include(response.text(), '<h1>Kalkulator odsetek za zwłokę</h1>')
    assert.notInclude(response.text(), 'error-summary')
    const home = await client.get('/')
    assert.include(home.text(), 'href="/kalkulator-odsetek"')
  })
})
