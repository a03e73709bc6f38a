import { test } from '@japa/runner'
import { polishDate } from '#core/services/formatting'

test.group('Formatting / polishDate', () => {
  test('writes the day, the month in the genitive and "r."', ({ assert }) => {
    assert.equal(polishDate('2026-11-24'), '24 listopada 2026 r.')
    assert.equal(polishDate('2026-01-01'), '1 stycznia 2026 r.')
    assert.equal(polishDate('2027-09-15'), '15 września 2027 r.')
    assert.equal(polishDate('2024-02-29'), '29 lutego 2024 r.')
    const months = Array.from(
      { length: 12 },
      (_, index) => polishDate(`2026-${String(index + 1).padStart(2, '0')}-10`).split(' ')[1]
    )
    assert.deepEqual(months, [
      'stycznia',
      'lutego',
      'marca',
      'kwietnia',
      'maja',
      'czerwca',
      'lipca',
      'sierpnia',
      'września',
      'października',
      'listopada',
      'grudnia',
    ])
  })

  test('refuses a day that does not exist or is not YYYY-MM-DD', ({ assert }) => {
    assert.throws(() => polishDate('2025-02-29'), /Invalid date/)
    assert.throws(() => polishDate('24.11.2026'), /Invalid date/)
    assert.throws(() => polishDate('2026-11-24T10:00'), /Invalid date/)
  })
})
