import { test } from '@japa/runner'
import { commitCheck } from '#appliance/services/doctor'

const NOW = Date.parse('2026-12-03T12:00:00.000Z')
const EPISODE = {
  firstAt: '2026-12-03T10:00:00.000Z',
  lastAt: '2026-12-03T10:00:15.000Z',
  count: 2224,
  reason: 'SQLITE_FULL',
  message: 'database commit failed (SQLITE_FULL): database or disk is full',
}

test.group('Doctor / database writes', () => {
  test('nothing recorded is OK', ({ assert }) => {
    assert.equal(commitCheck(null, NOW).status, 'ok')
  })

  test('failures with no commit since FAIL and name the cause', ({ assert }) => {
    const check = commitCheck({ ...EPISODE, recoveredAt: null }, NOW)
    assert.equal(check.status, 'fail')
    assert.equal(
      check.detail,
      '2224 commit(s) failed from 2026-12-03T10:00:00.000Z to 2026-12-03T10:00:15.000Z (SQLITE_FULL): database commit failed (SQLITE_FULL): database or disk is full; none has succeeded since'
    )
    assert.include(check.pl!.hint!, 'zwolnij miejsce na dysku z danymi')
  })

  test('a recovered episode warns for seven days, then is OK', ({ assert }) => {
    const recovered = { ...EPISODE, recoveredAt: '2026-12-03T10:00:16.000Z' }
    assert.equal(commitCheck(recovered, NOW).status, 'warn')
    /* 7 days after 10:00:16 is 2026-12-10T10:00:16: one second before still warns, after is OK. */
    assert.equal(commitCheck(recovered, Date.parse('2026-12-10T10:00:15.000Z')).status, 'warn')
    assert.equal(commitCheck(recovered, Date.parse('2026-12-10T10:00:16.000Z')).status, 'ok')
  })
})
