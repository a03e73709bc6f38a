/*
 * Event-loop health of the web process: how late its timers run (the delay every
 * request waits on top of its own work) and how busy the loop is.
 *
 * A timer asks to run every RESOLUTION_MS; how much later than asked it runs is
 * one sample. Samples go into one histogram per wall-clock minute; a ring of the
 * closed minutes makes "the last 5 minutes" five real minutes, not "since start".
 * node:perf_hooks monitorEventLoopDelay measures the same thing natively, but its
 * histogram cannot be merged with another (RecordableHistogram.add() refuses it,
 * Node 24), so minutes could not be added up into windows.
 *
 * Each closed minute also becomes a small record in RATUSZ_DATA/event-loop.json
 * (the last hour), which `ratusz doctor`, a separate process, reads.
 */
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import logger from '@adonisjs/core/services/logger'
import ratuszConfig from '#config/ratusz'

export const RESOLUTION_MS = 20
export const MINUTE_MS = 60_000
/** Closed minutes kept as histograms: enough for the 5-minute window. */
const WINDOW_MINUTES = 5
/** Minute records kept in the file: about an hour. */
const RECORDS_KEPT = 60
export const EVENT_LOOP_FILE = 'event-loop.json'

/** Figures of a stretch of time; delays in milliseconds, rounded to 0.1 ms. */
export interface WindowFigures {
  from: string
  to: string
  /** Minutes that had samples (fewer than asked for just after a start). */
  minutes: number
  samples: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Share of the time the loop was busy (0–1), null when not measured. */
  utilisation: number | null
}

/** One closed minute as written to the file. */
export interface MinuteRecord {
  minute: string
  samples: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  utilisation: number | null
  /** The 5-minute window that ends with this minute, computed from the full histograms. */
  last5Minutes: { minutes: number; p99Ms: number }
}

export interface EventLoopFile {
  pid: number
  resolutionMs: number
  writtenAt: string
  records: MinuteRecord[]
}

/** Busy and idle milliseconds of the loop during a stretch (performance.eventLoopUtilization). */
export interface LoopTime {
  active: number
  idle: number
}

interface ClosedMinute {
  start: number
  histogram: RecordableHistogram
  time: LoopTime | null
}

const ms = (ns: number) => Math.round(ns / 100_000) / 10
const iso = (time: number) => new Date(time).toISOString()
const minuteOf = (time: number) => Math.floor(time / MINUTE_MS) * MINUTE_MS

function figures(
  histogram: RecordableHistogram,
  from: number,
  to: number,
  minutes: number,
  times: (LoopTime | null)[]
): WindowFigures {
  const measured = times.filter((t): t is LoopTime => t !== null)
  const busy = measured.reduce((sum, t) => sum + t.active, 0)
  const total = measured.reduce((sum, t) => sum + t.active + t.idle, 0)
  return {
    from: iso(from),
    to: iso(to),
    minutes,
    samples: histogram.count,
    p50Ms: ms(histogram.percentile(50)),
    p99Ms: ms(histogram.percentile(99)),
    maxMs: ms(histogram.max),
    utilisation: total > 0 ? Math.round((busy / total) * 1000) / 1000 : null,
  }
}

/**
 * The pure part: samples in, per-minute histograms and windows out. Time is
 * always passed in, so tests drive it with hand-made clocks.
 */
export class EventLoopWindows {
  #closed: ClosedMinute[] = []
  #running: RecordableHistogram = createHistogram()
  #runningStart: number | null = null
  #records: MinuteRecord[] = []

  /** `loopTime` gives the loop's busy/idle time since its previous call (one call per closed minute). */
  constructor(private loopTime: () => LoopTime | null = () => null) {}

  /** Records one delay (ns) at `now`; returns the record of a minute this closed, if any. */
  record(delayNs: number, now: number): MinuteRecord | null {
    const closed = this.#roll(now)
    this.#runningStart ??= minuteOf(now)
    this.#running.record(Math.max(1, Math.round(delayNs)))
    return closed
  }

  /** The running minute so far and the windows of closed minutes before it. */
  summary(now: number) {
    this.#roll(now)
    const running =
      this.#runningStart !== null && this.#running.count > 0
        ? figures(this.#running, this.#runningStart, now, 1, [])
        : null
    return {
      currentMinute: running,
      lastMinute: this.window(now, 1),
      last5Minutes: this.window(now, WINDOW_MINUTES),
    }
  }

  /** Closed minutes among the `minutes` whole minutes before the one `now` falls in; null without samples. */
  window(now: number, minutes: number): WindowFigures | null {
    const end = minuteOf(now)
    const start = end - minutes * MINUTE_MS
    const inside = this.#closed.filter((m) => m.start >= start && m.start < end)
    if (!inside.length) return null
    const merged = createHistogram()
    for (const minute of inside) merged.add(minute.histogram)
    return figures(
      merged,
      start,
      end,
      inside.length,
      inside.map((m) => m.time)
    )
  }

  /** Records of the closed minutes, oldest first (at most an hour). */
  get records(): readonly MinuteRecord[] {
    return this.#records
  }

  /** Closes the running minute when `now` is past it. */
  #roll(now: number): MinuteRecord | null {
    if (this.#runningStart === null || minuteOf(now) <= this.#runningStart) return null
    const start = this.#runningStart
    this.#closed.push({ start, histogram: this.#running, time: this.loopTime() })
    this.#closed = this.#closed.filter((m) => m.start > start - WINDOW_MINUTES * MINUTE_MS)
    this.#running = createHistogram()
    this.#runningStart = null

    const end = start + MINUTE_MS
    const own = this.window(end, 1)!
    const window = this.window(end, WINDOW_MINUTES)!
    const record: MinuteRecord = {
      minute: iso(start),
      samples: own.samples,
      p50Ms: own.p50Ms,
      p99Ms: own.p99Ms,
      maxMs: own.maxMs,
      utilisation: own.utilisation,
      last5Minutes: { minutes: window.minutes, p99Ms: window.p99Ms },
    }
    this.#records = [...this.#records, record].slice(-RECORDS_KEPT)
    return record
  }
}

/** Reads the minute records written by the web process; empty when there is no (readable) file. */
export async function readEventLoopRecords(
  dataDir = ratuszConfig.dataDir
): Promise<MinuteRecord[]> {
  try {
    const file = JSON.parse(await readFile(join(dataDir, EVENT_LOOP_FILE), 'utf8')) as EventLoopFile
    return Array.isArray(file.records) ? file.records : []
  } catch {
    return []
  }
}

/**
 * The running monitor of the web process: one unref'd timer that samples, closes
 * minutes and writes the file when a minute closes. Started by start/health.ts
 * in the web server (and the test process), stopped when the app terminates.
 */
class EventLoopMonitor {
  #windows: EventLoopWindows | null = null
  #timer: NodeJS.Timeout | null = null
  #expected = 0
  #writing: Promise<void> = Promise.resolve()
  #writeFailed = false

  get running() {
    return this.#timer !== null
  }

  /** Loop busy/idle time at the start of the running minute. */
  #mark = performance.eventLoopUtilization()

  start() {
    if (this.#timer) return
    this.#mark = performance.eventLoopUtilization()
    this.#windows = new EventLoopWindows(() => {
      const now = performance.eventLoopUtilization()
      const { active, idle } = performance.eventLoopUtilization(now, this.#mark)
      this.#mark = now
      return { active, idle }
    })
    this.#schedule()
  }

  stop() {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    return this.#writing
  }

  /** Figures for /up?deep=1; null when the monitor does not run in this process. */
  summary(now = Date.now()) {
    if (!this.#windows) return null
    const { currentMinute, ...closed } = this.#windows.summary(now)
    const { utilization } = performance.eventLoopUtilization(
      performance.eventLoopUtilization(),
      this.#mark
    )
    return {
      resolutionMs: RESOLUTION_MS,
      currentMinute: currentMinute && {
        ...currentMinute,
        utilisation: Math.round(utilization * 1000) / 1000,
      },
      ...closed,
    }
  }

  #schedule() {
    this.#expected = performance.now() + RESOLUTION_MS
    this.#timer = setTimeout(() => this.#sample(), RESOLUTION_MS).unref()
  }

  #sample() {
    const lateMs = performance.now() - this.#expected
    const closed = this.#windows!.record(Math.max(0, lateMs) * 1e6, Date.now())
    if (closed) this.#write()
    this.#schedule()
  }

  #write() {
    const body: EventLoopFile = {
      pid: process.pid,
      resolutionMs: RESOLUTION_MS,
      writtenAt: new Date().toISOString(),
      records: [...this.#windows!.records],
    }
    const path = join(ratuszConfig.dataDir, EVENT_LOOP_FILE)
    const temporary = `${path}.${process.pid}.tmp`
    this.#writing = this.#writing
      .then(async () => {
        await writeFile(temporary, JSON.stringify(body), { mode: 0o640 })
        await rename(temporary, path)
        this.#writeFailed = false
      })
      .catch((error) => {
        /* Once per outage, not every minute. */
        if (!this.#writeFailed) logger.warn({ err: error, path }, 'cannot write event-loop figures')
        this.#writeFailed = true
      })
  }
}

const eventLoopMonitor = new EventLoopMonitor()
export default eventLoopMonitor
