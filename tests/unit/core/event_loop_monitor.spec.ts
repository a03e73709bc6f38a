import { test } from '@japa/runner'
import { Pool } from 'tarn'
import { EventLoopWindows, type LoopTime } from '#core/services/event_loop_monitor'
import { PoolWaits, type TarnPool } from '#core/services/pool_waits'

/*
 * Delays are recorded in nanoseconds and reported in milliseconds. The
 * histograms keep 3 significant digits, so figures are compared to 0.1 ms.
 */
const MS = 1_000_000
/** 2026-12-03 10:00:00 UTC; `at(m, s)` is m minutes and s seconds later. */
const T0 = Date.UTC(2026, 11, 3, 10, 0, 0)
const at = (minutes: number, seconds = 0) => T0 + minutes * 60_000 + seconds * 1000

/** Records `count` samples of `delayMs` during minute `minute` (spread over its first 50 seconds). */
function fill(windows: EventLoopWindows, minute: number, count: number, delayMs: number) {
  for (let i = 0; i < count; i++) windows.record(delayMs * MS, at(minute, (i * 50) / count))
}

test.group('Event-loop monitor / one minute', () => {
  test('p50, p99 and max of a minute with 2 slow ticks in 100', ({ assert }) => {
    const windows = new EventLoopWindows()
    /* 98 ticks 2 ms late, 2 ticks 80 ms late: the 99th of 100 sorted delays is 80 ms. */
    fill(windows, 0, 98, 2)
    fill(windows, 0, 2, 80)
    const { lastMinute, last5Minutes, currentMinute } = windows.summary(at(1, 5))
    assert.isNull(currentMinute)
    assert.equal(lastMinute!.samples, 100)
    assert.equal(lastMinute!.minutes, 1)
    assert.closeTo(lastMinute!.p50Ms, 2, 0.1)
    assert.closeTo(lastMinute!.p99Ms, 80, 0.1)
    assert.closeTo(lastMinute!.maxMs, 80, 0.1)
    assert.equal(lastMinute!.from, '2026-12-03T10:00:00.000Z')
    assert.equal(lastMinute!.to, '2026-12-03T10:01:00.000Z')
    assert.deepEqual(last5Minutes, { ...lastMinute!, from: '2026-12-03T09:56:00.000Z' })
  })

  test('one slow tick in 100 stays below p99 but shows in max', ({ assert }) => {
    const windows = new EventLoopWindows()
    fill(windows, 0, 99, 2)
    fill(windows, 0, 1, 80)
    const { lastMinute } = windows.summary(at(1, 5))
    assert.closeTo(lastMinute!.p99Ms, 2, 0.1)
    assert.closeTo(lastMinute!.maxMs, 80, 0.1)
  })

  test('the running minute is reported on its own until it closes', ({ assert }) => {
    const windows = new EventLoopWindows()
    fill(windows, 0, 10, 3)
    const early = windows.summary(at(0, 55))
    assert.isNull(early.lastMinute)
    assert.equal(early.currentMinute!.samples, 10)
    assert.closeTo(early.currentMinute!.p99Ms, 3, 0.1)
    assert.equal(early.currentMinute!.from, '2026-12-03T10:00:00.000Z')
    assert.equal(early.currentMinute!.to, '2026-12-03T10:00:55.000Z')
    /* Asking after the minute ended closes it, even without a new sample. */
    const later = windows.summary(at(1, 1))
    assert.isNull(later.currentMinute)
    assert.equal(later.lastMinute!.samples, 10)
  })
})

test.group('Event-loop monitor / 5-minute window', () => {
  /* 10:00 is a bad minute (every tick 60 ms late); 10:01–10:05 are quiet (1 ms). */
  function badThenQuiet() {
    const times: LoopTime[] = [
      { active: 54_000, idle: 6000 },
      { active: 3000, idle: 57_000 },
      { active: 6000, idle: 54_000 },
      { active: 9000, idle: 51_000 },
      { active: 12_000, idle: 48_000 },
      { active: 30_000, idle: 30_000 },
    ]
    const windows = new EventLoopWindows(() => times.shift() ?? null)
    fill(windows, 0, 100, 60)
    for (let minute = 1; minute <= 5; minute++) fill(windows, minute, 100, 1)
    return windows
  }

  test('covers the five closed minutes before now, not everything since the start', ({
    assert,
  }) => {
    const windows = badThenQuiet()
    /* At 10:05:55, 10:05 still runs: the window is 10:00–10:04, 100 of 500 ticks at 60 ms. */
    const before = windows.summary(at(5, 55)).last5Minutes!
    assert.equal(before.from, '2026-12-03T10:00:00.000Z')
    assert.equal(before.to, '2026-12-03T10:05:00.000Z')
    assert.equal(before.minutes, 5)
    assert.equal(before.samples, 500)
    assert.closeTo(before.p50Ms, 1, 0.1)
    assert.closeTo(before.p99Ms, 60, 0.1)
    /* At 10:06:30 the bad minute has left the window: 10:01–10:05, all quiet. */
    const after = windows.summary(at(6, 30)).last5Minutes!
    assert.equal(after.from, '2026-12-03T10:01:00.000Z')
    assert.equal(after.samples, 500)
    assert.closeTo(after.p99Ms, 1, 0.1)
    assert.closeTo(after.maxMs, 1, 0.1)
  })

  test('loop utilisation is busy time over all time of the minutes in the window', ({ assert }) => {
    const windows = badThenQuiet()
    const { lastMinute, last5Minutes } = windows.summary(at(6, 30))
    /* 10:05: 30 of 60 s busy. 10:01–10:05: 3+6+9+12+30 = 60 of 300 s busy. */
    assert.equal(lastMinute!.utilisation, 0.5)
    assert.equal(last5Minutes!.utilisation, 0.2)
  })

  test('after a gap only the minutes with samples count', ({ assert }) => {
    const windows = badThenQuiet()
    /* Nothing sampled after 10:05: at 10:09:10 the window 10:04–10:08 holds 10:04 and 10:05. */
    const window = windows.summary(at(9, 10)).last5Minutes!
    assert.equal(window.minutes, 2)
    assert.equal(window.samples, 200)
    assert.isNull(windows.summary(at(20, 0)).last5Minutes)
  })

  test('each closed minute gives a record with the p99 of the 5 minutes ending with it', ({
    assert,
  }) => {
    const windows = badThenQuiet()
    /* The first sample of 10:06 closes 10:05 and returns its record. */
    const closed = windows.record(1 * MS, at(6, 1))
    assert.equal(closed!.minute, '2026-12-03T10:05:00.000Z')
    assert.isNull(windows.record(1 * MS, at(6, 2)))

    const records = windows.records
    assert.deepEqual(
      records.map((r) => r.minute.slice(11, 16)),
      ['10:00', '10:01', '10:02', '10:03', '10:04', '10:05']
    )
    assert.closeTo(records[0].p99Ms, 60, 0.1)
    assert.deepInclude(records[0], { samples: 100, utilisation: 0.9 })
    /* 10:04's window is 10:00–10:04 (the bad minute in), 10:05's is 10:01–10:05. */
    assert.equal(records[4].last5Minutes.minutes, 5)
    assert.closeTo(records[4].last5Minutes.p99Ms, 60, 0.1)
    assert.equal(records[5].last5Minutes.minutes, 5)
    assert.closeTo(records[5].last5Minutes.p99Ms, 1, 0.1)
    /* Just after the start, the window holds the minutes there are. */
    assert.equal(records[1].last5Minutes.minutes, 2)
  })

  test('keeps about an hour of minute records', ({ assert }) => {
    const windows = new EventLoopWindows()
    for (let minute = 0; minute <= 70; minute++) windows.record(1 * MS, at(minute, 1))
    assert.lengthOf(windows.records, 60)
    assert.equal(windows.records[0].minute, new Date(at(10)).toISOString())
    assert.equal(windows.records.at(-1)!.minute, new Date(at(69)).toISOString())
  })
})

test.group('Database pool / waits for a connection', () => {
  test('counts the acquires that found every connection busy and the longest wait', async ({
    assert,
  }) => {
    let clock = 1000
    const pool = new Pool({ create: async () => ({}), destroy: () => {}, min: 0, max: 1 })
    const waits = new PoolWaits(() => clock)
    waits.watch(pool as unknown as TarnPool)
    try {
      /* The first query gets the (new) connection without waiting for another query. */
      const first = await pool.acquire().promise
      /* The second asks at 2.000 s while the only connection is busy, and gets it at 2.250 s. */
      clock = 2000
      const pending = pool.acquire().promise
      assert.include(waits.figures(pool as unknown as TarnPool), {
        used: 1,
        free: 0,
        pendingAcquires: 1,
        waitedAcquires: 1,
        longestWaitMs: 0,
      })
      clock = 2250
      pool.release(first)
      const second = await pending
      /* A third at 3.000 s finds the connection free again: no wait. */
      pool.release(second)
      clock = 3000
      const third = await pool.acquire().promise
      assert.include(waits.figures(pool as unknown as TarnPool), {
        min: 0,
        max: 1,
        used: 1,
        free: 0,
        pendingAcquires: 0,
        waitedAcquires: 1,
        longestWaitMs: 250,
        failedAcquires: 0,
      })
      pool.release(third)
    } finally {
      await pool.destroy()
    }
  })
})
