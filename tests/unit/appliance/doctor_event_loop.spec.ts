import { test } from '@japa/runner'
import { eventLoopCheck } from '#appliance/services/doctor'
import type { MinuteRecord } from '#core/services/event_loop_monitor'

/** 2026-12-03 10:00 UTC plus `minutes`. */
const at = (minutes: number, seconds = 0) =>
  Date.UTC(2026, 11, 3, 10, 0, 0) + minutes * 60_000 + seconds * 1000

/** A closed minute as the web server writes it; `window` is the p99 of the 5 minutes ending with it. */
function minute(start: number, p99Ms: number, window: number, maxMs = p99Ms * 2): MinuteRecord {
  return {
    minute: new Date(at(start)).toISOString(),
    samples: 3000,
    p50Ms: 0.4,
    p99Ms,
    maxMs,
    utilisation: 0.1,
    last5Minutes: { minutes: 5, p99Ms: window },
  }
}

test.group('Doctor / event-loop delay', () => {
  test('WARN naming the figure, the 50 ms limit and what to do when the 5-minute p99 is above it', ({
    assert,
  }) => {
    const records = [
      minute(0, 3, 3),
      minute(1, 12.5, 6),
      minute(2, 180, 120.5, 420),
      minute(3, 95, 101.2),
      minute(4, 64, 73.4),
    ]
    const check = eventLoopCheck(records, at(5, 20))
    assert.equal(check.id, 'event-loop')
    assert.equal(check.status, 'warn')
    assert.equal(
      check.detail,
      'p99 73.4 ms over the last 5 min (limit 50 ms); worst minute 10:02 UTC: p99 180.0 ms, max 420.0 ms'
    )
    assert.include(check.hint!, 'Event-loop delay p99 is above 50 ms')
    assert.include(check.hint!, 'queue worker')
    assert.include(check.pl!.hint!, 'przekracza 50 ms')
  })

  test('OK at or below 50 ms, even when one minute alone was worse', ({ assert }) => {
    const records = [minute(2, 70, 20), minute(3, 9, 31), minute(4, 8, 50)]
    const check = eventLoopCheck(records, at(5, 20))
    assert.equal(check.status, 'ok')
    assert.equal(
      check.detail,
      'p99 50.0 ms over the last 5 min (limit 50 ms); worst minute 10:02 UTC: p99 70.0 ms, max 140.0 ms'
    )
    assert.isNull(check.hint)
  })

  test('only the newest window decides: an old bad hour does not warn', ({ assert }) => {
    /* 10:00–10:04 were bad, but at 10:11 only minutes that ended after 10:06 count: 10:06–10:10. */
    const bad = [0, 1, 2, 3, 4].map((m) => minute(m, 200, 200))
    const good = [6, 7, 8, 9, 10].map((m) => minute(m, 4, 4))
    const check = eventLoopCheck([...bad, ...good], at(11, 0))
    assert.equal(check.status, 'ok')
    assert.include(check.detail, 'p99 4.0 ms over the last 5 min')
    assert.include(check.detail, 'worst minute 10:06 UTC')
  })

  test('WARN that figures are missing when the newest minute ended more than 5 minutes ago', ({
    assert,
  }) => {
    const records = [minute(0, 5, 5), minute(1, 5, 5)]
    /* 10:01 ended at 10:02: still counted at 10:06:59, not at 10:07:00. */
    assert.equal(eventLoopCheck(records, at(6, 59)).status, 'ok')
    const stale = eventLoopCheck(records, at(7, 0))
    assert.equal(stale.status, 'warn')
    assert.include(stale.detail, 'no figures from the last 5 minutes')
    assert.include(stale.hint!, 'systemctl status ratusz-web')
    assert.equal(eventLoopCheck([], at(7, 0)).detail, stale.detail)
  })
})
