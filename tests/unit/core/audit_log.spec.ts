import { test } from '@japa/runner'
import { AuditLog, GENESIS_HASH, entryHash, type AuditRow } from '#core/services/audit_log'

/**
 * A stand-in for the database holding audit_entries in memory: enough of the
 * query builder for AuditLog.record (inside a transaction) and AuditLog.verify.
 */
class MemoryAuditTable {
  rows: AuditRow[] = []

  client(): any {
    const table = this
    const query = () => {
      let filtered = [...table.rows]
      let limit = Infinity
      const builder: any = {
        select: () => builder,
        where: (column: string, op: string, value: number) => {
          if (column === 'id' && op === '>')
            filtered = filtered.filter((row) => Number(row.id) > value)
          return builder
        },
        orderBy: (column: string, dir = 'asc') => {
          filtered.sort(
            (a: any, b: any) => (dir === 'desc' ? -1 : 1) * (Number(a[column]) - Number(b[column]))
          )
          return builder
        },
        limit: (n: number) => {
          limit = n
          return builder
        },
        first: async () => filtered[0] ?? null,
        then: (resolve: (rows: AuditRow[]) => unknown, reject: (error: unknown) => unknown) =>
          Promise.resolve(filtered.slice(0, limit)).then(resolve, reject),
      }
      return builder
    }
    return {
      dialect: { name: 'sqlite3' },
      from: () => query(),
      table: () => ({
        insert: async (row: Omit<AuditRow, 'id'>) => {
          if (table.rows.some((existing) => existing.prev_hash === row.prev_hash))
            throw new Error('UNIQUE constraint failed: audit_entries.prev_hash')
          const id = table.rows.reduce((max, existing) => Math.max(max, Number(existing.id)), 0) + 1
          table.rows.push({ id, ...row })
        },
      }),
    }
  }
}

const ACTOR = { realm: 'staff' as const, id: 7, label: 'jkowalski' }

async function logWithEntries(count: number) {
  const table = new MemoryAuditTable()
  const log = new AuditLog()
  const actions = [
    'auth.login',
    'staff.created',
    'office.updated',
    'staff.roles_changed',
    'auth.logout',
    'resident.registered',
  ]
  for (let i = 0; i < count; i++) {
    await log.record(
      {
        actor: ACTOR,
        action: actions[i % actions.length],
        subjectType: 'staff_user',
        subjectId: i + 1,
        ip: '192.168.10.15',
        details: { krok: i },
      },
      table.client()
    )
  }
  return { table, log }
}

test.group('Audit log / hash chain', () => {
  test('each entry links to the previous one; the first to the genesis hash', async ({
    assert,
  }) => {
    const { table } = await logWithEntries(4)
    assert.lengthOf(table.rows, 4)
    assert.equal(table.rows[0].prev_hash, GENESIS_HASH)
    for (let i = 1; i < table.rows.length; i++) {
      assert.equal(table.rows[i].prev_hash, table.rows[i - 1].hash)
    }
    for (const row of table.rows) {
      assert.match(row.hash, /^[0-9a-f]{64}$/)
      assert.equal(entryHash(row.prev_hash, row), row.hash)
    }
  })

  test('the hash covers every stored field and the previous hash', async ({ assert }) => {
    const { table } = await logWithEntries(1)
    const row = table.rows[0]
    const base = entryHash(row.prev_hash, row)
    const changes: Array<Partial<AuditRow>> = [
      { occurred_at: '2026-11-23T09:00:00.000Z' },
      { actor_realm: 'resident' },
      { actor_id: 8 },
      { actor_label: 'anowak' },
      { action: 'auth.login_failed' },
      { subject_type: 'resident' },
      { subject_id: '2' },
      { ip: '203.0.113.7' },
      { details: '{"krok":1}' },
    ]
    for (const change of changes) {
      assert.notEqual(entryHash(row.prev_hash, { ...row, ...change }), base, JSON.stringify(change))
    }
    assert.notEqual(entryHash('f'.repeat(64), row), base)
    /* PostgreSQL hands actor_id back as a string for bigint columns: same hash. */
    assert.equal(entryHash(row.prev_hash, { ...row, actor_id: '7' as unknown as number }), base)
  })

  test('verify() reports an intact chain with the number of entries', async ({ assert }) => {
    const { table, log } = await logWithEntries(5)
    assert.deepEqual(await log.verify(table.client()), { checked: 5, broken: null })
    assert.deepEqual(await new AuditLog().verify(new MemoryAuditTable().client()), {
      checked: 0,
      broken: null,
    })
  })

  test('verify() names the changed entry', async ({ assert }) => {
    const { table, log } = await logWithEntries(5)
    table.rows[2].action = 'auth.login'
    const result = await log.verify(table.client())
    assert.equal(result.checked, 2)
    assert.equal(result.broken?.id, 3)
    assert.include(result.broken!.reason, 'changed')
  })

  test('verify() notices a changed entry even when its own hash was recomputed', async ({
    assert,
  }) => {
    const { table, log } = await logWithEntries(5)
    const row = table.rows[1]
    row.details = '{"krok":"podmienione"}'
    row.hash = entryHash(row.prev_hash, row)
    const result = await log.verify(table.client())
    assert.equal(result.broken?.id, 3)
    assert.include(result.broken!.reason, 'removed or reordered')
  })

  test('verify() reports the entry after a deleted one', async ({ assert }) => {
    const { table, log } = await logWithEntries(5)
    table.rows.splice(2, 1)
    const result = await log.verify(table.client())
    assert.equal(result.checked, 2)
    assert.equal(result.broken?.id, 4)
    assert.include(result.broken!.reason, 'removed')
  })

  test('verify() notices the first entry being deleted', async ({ assert }) => {
    const { table, log } = await logWithEntries(3)
    table.rows.shift()
    const result = await log.verify(table.client())
    assert.equal(result.checked, 0)
    assert.equal(result.broken?.id, 2)
  })

  test('verify() walks chains longer than one page of 1000 rows', async ({ assert }) => {
    const table = new MemoryAuditTable()
    let prev = GENESIS_HASH
    for (let id = 1; id <= 2345; id++) {
      const row = {
        occurred_at: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
        actor_realm: 'system',
        actor_id: null,
        actor_label: 'system',
        action: 'scheduler.tick',
        subject_type: null,
        subject_id: null,
        ip: null,
        details: '{}',
      }
      const hash = entryHash(prev, row)
      table.rows.push({ id, ...row, prev_hash: prev, hash })
      prev = hash
    }
    const log = new AuditLog()
    assert.deepEqual(await log.verify(table.client()), { checked: 2345, broken: null })
    table.rows[1700].actor_label = 'ktoś'
    const tampered = await log.verify(table.client())
    assert.equal(tampered.broken?.id, 1701)
  })
})

test.group('Audit log / what is stored', () => {
  test('secrets are scrubbed from details, also when nested', async ({ assert }) => {
    const table = new MemoryAuditTable()
    await new AuditLog().record(
      {
        actor: ACTOR,
        action: 'staff.created',
        details: {
          login: 'anowak',
          password: 'zielona łąka nad Wisłą',
          newPassword: 'inne hasło',
          token: 'abc123',
          resetToken: 'def456',
          totp_secret: 'KRSXG5CTMVRXEZLU',
          code: '123456',
          pesel: '44051401359',
          applicant: {
            name: 'Anna Nowak',
            PESEL: '02270803628',
            address: { city: 'Testowo', otpCode: '654321' },
          },
          roles: ['clerk'],
        },
      },
      table.client()
    )
    const stored = table.rows[0].details
    assert.deepEqual(JSON.parse(stored), {
      login: 'anowak',
      applicant: { name: 'Anna Nowak', address: { city: 'Testowo' } },
      roles: ['clerk'],
    })
    for (const secret of [
      'zielona',
      'inne hasło',
      'abc123',
      'def456',
      'KRSXG5',
      '123456',
      '44051401359',
      '02270803628',
      '654321',
    ]) {
      assert.notInclude(stored, secret)
    }
  })

  test('secrets inside lists of objects are scrubbed as well', async ({ assert }) => {
    const table = new MemoryAuditTable()
    await new AuditLog().record(
      {
        actor: ACTOR,
        action: 'declaration.imported',
        details: {
          count: 2,
          people: [
            { name: 'Jan Kowalski', pesel: '44051401359' },
            { name: 'Anna Nowak', password: 'tajne hasło' },
          ],
          tags: ['a', 'b'],
        },
      },
      table.client()
    )
    const stored = table.rows[0].details
    assert.deepEqual(JSON.parse(stored), {
      count: 2,
      people: [{ name: 'Jan Kowalski' }, { name: 'Anna Nowak' }],
      tags: ['a', 'b'],
    })
    assert.notInclude(stored, '44051401359')
    assert.notInclude(stored, 'tajne')
  })

  test('the actor label is cut to 200 characters and an empty subject is null', async ({
    assert,
  }) => {
    const table = new MemoryAuditTable()
    await new AuditLog().record(
      {
        actor: { realm: 'anonymous', id: null, label: 'x'.repeat(500) },
        action: 'auth.login_failed',
      },
      table.client()
    )
    const row = table.rows[0]
    assert.lengthOf(row.actor_label, 200)
    assert.isNull(row.subject_type)
    assert.isNull(row.subject_id)
    assert.isNull(row.ip)
    assert.equal(row.details, '{}')
    assert.match(row.occurred_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  })
})

test.group('Audit log / details', () => {
  test('dates in details keep their value', async ({ assert }) => {
    const { DateTime } = await import('luxon')
    const { scrubDetails } = await import('#core/services/audit_log')
    const clean = scrubDetails({
      at: new Date('2026-11-23T10:00:00.000Z'),
      due: DateTime.fromISO('2027-03-15T00:00:00.000Z', { zone: 'utc' }),
      nested: { token: 'x', when: new Date('2026-01-01T00:00:00.000Z') },
    })
    assert.deepEqual(clean, {
      at: '2026-11-23T10:00:00.000Z',
      due: '2027-03-15T00:00:00.000Z',
      nested: { when: '2026-01-01T00:00:00.000Z' },
    })
  })
})
