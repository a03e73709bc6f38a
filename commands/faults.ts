import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

interface Outcome {
  acknowledged: number
  present: number
  duplicates: number
  auditVerified: boolean
}

const FAULT_ACTOR = {
  actor: { realm: 'system' as const, id: null, label: 'faults' },
  ip: '127.0.0.1',
}

/**
 * ./ace faults (npm run faults, on a throwaway SQLite database): repeats the experiments of
 * issue 19 and prints, for each, how many bookings were acknowledged, how many of those a
 * fresh connection finds, duplicates, and whether every present booking has its one audit
 * entry on an intact chain. Loopback only; each experiment is bounded.
 */
export default class Faults extends BaseCommand {
  static commandName = 'faults'
  static description = 'Fault experiments of issue 19: acknowledged = present, no duplicates'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Internal: book payments with this key prefix until killed' })
  declare bookUntilKilled?: string

  @flags.number({ description: 'Internal: the taxpayer the child books for' })
  declare taxpayer?: number

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    if (!['sqlite3', 'better-sqlite3'].includes(db.connection().dialect.name)) {
      this.logger.logError('faults: run on a throwaway SQLite database (npm run faults)')
      this.exitCode = 2
      return
    }
    if (this.bookUntilKilled) return this.#bookUntilKilled(this.bookUntilKilled, this.taxpayer!)

    const taxpayerId = await this.#fixture()
    const experiments: [string, string, (() => Promise<Outcome>) | null][] = [
      ['1', 'COMMIT fails (data disk full)', () => this.#commitFails(taxpayerId)],
      [
        '2',
        'failed login while another process holds the write lock',
        () => this.#heldLock(taxpayerId),
      ],
      ['3', 'kill -9 while booking, then every key resubmitted', () => this.#killed(taxpayerId)],
      ['4', 'not covered yet (another item of issue 19)', null],
      ['6', 'not covered yet (another item of issue 19)', null],
      ['11', 'not covered yet (another item of issue 19)', null],
    ]
    let failed = false
    for (const [id, name, experiment] of experiments) {
      const label = `${id.padStart(2)}  ${name}`
      if (!experiment) {
        this.logger.log(label)
        continue
      }
      try {
        const outcome = await experiment()
        const ok =
          outcome.present === outcome.acknowledged &&
          outcome.duplicates === 0 &&
          outcome.auditVerified
        failed ||= !ok
        this.logger.log(
          `${label.padEnd(60)} acknowledged=${outcome.acknowledged} present=${outcome.present} duplicates=${outcome.duplicates} audit verified=${outcome.auditVerified ? 'yes' : 'NO'}${ok ? '' : '  FAIL'}`
        )
      } catch (error) {
        failed = true
        this.logger.log(`${label.padEnd(60)} FAIL: ${(error as Error).message.split('\n')[0]}`)
      }
    }
    this.exitCode = failed ? 1 : 0
  }

  async #fixture(): Promise<number> {
    const { default: officeProfileService } = await import('#core/services/office_profile_service')
    const { taxpayers } = await import('#fees/services/taxpayers')
    await officeProfileService.save({
      name: 'Urząd Gminy Próbna',
      teryt: '0201011',
      street: 'ul. Rynek 1',
      postalCode: '12-345',
      city: 'Próbna',
      nip: '5213017228',
      regon: '012345675',
      bankAccount: '61109010140000071219812874',
      email: 'urzad@probna.localhost',
      phone: '+48 12 345 67 89',
    })
    const taxpayer = await taxpayers.create({
      kind: 'individual',
      name: 'Wężyk Zofia',
      pesel: '44051401359',
      street: 'ul. Polna 7',
      postalCode: '12-345',
      city: 'Próbna',
    })
    return taxpayer.id
  }

  async #book(taxpayerId: number, key: string, amountGr: number) {
    const { bookings } = await import('#fees/services/bookings')
    return bookings.bookPayment({
      taxpayerId,
      amountGr,
      paidOn: '2026-03-10',
      source: 'cash',
      idempotencyKey: key,
      audit: FAULT_ACTOR,
    })
  }

  /* Every booking whose COMMIT fails is refused, never acknowledged; the clerk sends it again later. */
  async #commitFails(taxpayerId: number): Promise<Outcome> {
    const { failCommitsOn, healCommitsOn } = await import('#tests/commit_fault')
    const acknowledged: string[] = []
    const refused: string[] = []
    for (let i = 0; i < 60; i++) {
      if (i === 20) await failCommitsOn('fees_payments')
      if (i === 40) await healCommitsOn('fees_payments')
      const key = `e1:${i}`
      try {
        await this.#book(taxpayerId, key, 100 + i)
        acknowledged.push(key)
      } catch {
        refused.push(key)
      }
    }
    for (const key of refused) {
      await this.#book(taxpayerId, key, 1)
      acknowledged.push(key)
    }
    return this.#measure('e1:', acknowledged)
  }

  async #heldLock(taxpayerId: number): Promise<Outcome> {
    const { holdWriteLock } = await import('#tests/write_lock')
    const { LoginThrottle } = await import('#core/services/login_throttle')
    const { default: auditLog } = await import('#core/services/audit_log')
    const lock = await holdWriteLock('rate_limits')
    try {
      await new LoginThrottle('staff').fail('ksiegowa', '127.0.0.1')
      await auditLog.record({ ...FAULT_ACTOR, action: 'auth.login_failed' })
    } catch {
      /* SQLITE_BUSY after busy_timeout: the attempt is refused, nothing else may suffer. */
    }
    await lock.release()
    const acknowledged: string[] = []
    for (let i = 0; i < 100; i++) {
      await new LoginThrottle('staff').check('ksiegowa', '127.0.0.1')
      await this.#book(taxpayerId, `e2:${i}`, 200 + i)
      acknowledged.push(`e2:${i}`)
    }
    return this.#measure('e2:', acknowledged)
  }

  /* A child process books and reports each acknowledgement; it is killed with SIGKILL mid-run. */
  async #killed(taxpayerId: number): Promise<Outcome> {
    const child = spawn(
      process.execPath,
      ['ace.js', 'faults', '--book-until-killed=e3:', `--taxpayer=${taxpayerId}`],
      { stdio: ['ignore', 'pipe', 'inherit'], env: process.env }
    )
    const acknowledged: string[] = []
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const lines = createInterface({ input: child.stdout! })
    const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000)
    for await (const line of lines) {
      const match = /^ack (\S+)$/.exec(line)
      if (match) acknowledged.push(match[1])
      if (acknowledged.length >= 50) {
        child.kill('SIGKILL')
        break
      }
    }
    clearTimeout(deadline)
    await exited
    /* The clerk resubmits everything, the unacknowledged next few too: each books once. */
    for (let i = 0; i < acknowledged.length + 5; i++)
      await this.#book(taxpayerId, `e3:${i}`, 300 + i)
    return this.#measure('e3:', acknowledged)
  }

  async #bookUntilKilled(prefix: string, taxpayerId: number) {
    for (let i = 0; i < 100_000; i++) {
      await this.#book(taxpayerId, `${prefix}${i}`, 300 + i)
      process.stdout.write(`ack ${prefix}${i}\n`)
    }
  }

  /* Read through a connection of its own, as a restarted process would. */
  async #measure(prefix: string, acknowledged: string[]): Promise<Outcome> {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: auditLog } = await import('#core/services/audit_log')
    const { default: Database } = await import('better-sqlite3')
    const file = (db.connection().getWriteClient().client.config.connection as { filename: string })
      .filename
    const other = new Database(file, { readonly: true })
    try {
      const rows = other
        .prepare(
          `SELECT p.idempotency_key AS key, p.id,
             (SELECT count(*) FROM audit_entries a WHERE a.action = 'fees.payment_booked'
               AND a.subject_type = 'fees_payment' AND a.subject_id = CAST(p.id AS TEXT)) AS entries
           FROM fees_payments p WHERE p.idempotency_key LIKE ?`
        )
        .all(`${prefix}%`) as { key: string; id: number; entries: number }[]
      const byKey = new Map<string, number>()
      for (const row of rows) byKey.set(row.key, (byKey.get(row.key) ?? 0) + 1)
      const wanted = new Set(acknowledged)
      const present = [...wanted].filter((key) => byKey.has(key)).length
      const duplicates =
        [...byKey.values()].reduce((sum, n) => sum + n - 1, 0) +
        rows.reduce((sum, row) => sum + Math.max(0, row.entries - 1), 0)
      const chain = await auditLog.verify()
      const auditVerified = chain.broken === null && rows.every((row) => row.entries === 1)
      return { acknowledged: wanted.size, present, duplicates, auditVerified }
    } finally {
      other.close()
    }
  }
}
