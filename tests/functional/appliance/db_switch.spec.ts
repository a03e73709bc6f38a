import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { chown, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { runAce } from '#tests/helpers'

function sh(command: string, args: string[], cwd: string) {
  return new Promise<void>((resolve, reject) =>
    execFile(command, args, { cwd, timeout: 60_000 }, (error, _out, stderr) =>
      error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr}`)) : resolve()
    )
  )
}

function freePort() {
  return new Promise<number>((resolve) => {
    const probe = createServer()
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

/**
 * An empty PostgreSQL database for the switch: a fresh database on the suite's cluster
 * when the suite runs on PostgreSQL, otherwise a throwaway cluster (as scripts/test.sh).
 */
async function emptyPostgres(): Promise<{
  env: Record<string, string>
  stop: () => Promise<void>
}> {
  const name = `ratusz_switch_${process.pid}`
  if (process.env.DB_CONNECTION === 'pg' && process.env.PG_HOST) {
    const admin = {
      host: process.env.PG_HOST,
      port: Number(process.env.PG_PORT),
      user: process.env.PG_USER,
      password: process.env.PG_PASSWORD,
      database: process.env.PG_DB_NAME,
    }
    const client = new pg.Client(admin)
    await client.connect()
    await client.query(`DROP DATABASE IF EXISTS ${name}`)
    await client.query(`CREATE DATABASE ${name}`)
    await client.end()
    return {
      env: {
        PG_HOST: admin.host!,
        PG_PORT: String(admin.port),
        PG_USER: admin.user!,
        PG_PASSWORD: admin.password ?? '',
        PG_DB_NAME: name,
      },
      stop: async () => {
        const c = new pg.Client(admin)
        await c.connect()
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await c.end()
      },
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'ratusz-switch-pg-'))
  const bin = '/usr/lib/postgresql/15/bin'
  const asRoot = process.getuid?.() === 0
  const owner = asRoot ? 'postgres' : ''
  if (asRoot) {
    const { execFileSync } = await import('node:child_process')
    const uid = Number(execFileSync('id', ['-u', owner]).toString())
    const gid = Number(execFileSync('id', ['-g', owner]).toString())
    await chown(dir, uid, gid)
  }
  const as = (command: string, args: string[]) =>
    asRoot ? sh('runuser', ['-u', owner, '--', command, ...args], dir) : sh(command, args, dir)
  const port = await freePort()
  await as(`${bin}/initdb`, [
    '-D',
    `${dir}/data`,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ])
  await as(`${bin}/pg_ctl`, [
    '-D',
    `${dir}/data`,
    '-w',
    '-l',
    `${dir}/server.log`,
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ])
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' })
  await client.connect()
  await client.query(`CREATE DATABASE ${name}`)
  await client.end()
  return {
    env: {
      PG_HOST: '127.0.0.1',
      PG_PORT: String(port),
      PG_USER: 'postgres',
      PG_PASSWORD: 'unused',
      PG_DB_NAME: name,
    },
    stop: async () => {
      await as(`${bin}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'immediate', 'stop']).catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
}

function lastJson(stdout: string) {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"from"'))
  if (!line) throw new Error(`no report in:\n${stdout}`)
  return JSON.parse(line) as {
    from: string
    to: string
    tables: { name: string; rows: number; checksum: string }[]
  }
}

test.group('Appliance / db:switch', () => {
  test('round trip SQLite -> PostgreSQL -> SQLite keeps every table equal', async ({ assert }) => {
    const base = await mkdtemp(join(tmpdir(), 'ratusz-switch-'))
    const postgres = await emptyPostgres()
    try {
      const envFile = join(base, 'ratusz.env')
      await writeFile(envFile, 'APP_KEY=x\nDB_CONNECTION=sqlite\n', { mode: 0o600 })
      const env = {
        ...postgres.env,
        NODE_ENV: 'test',
        RATUSZ_DATA: join(base, 'data'),
        RATUSZ_ENV_FILE: envFile,
      }
      const migrated = await runAce(['migration:run', '--force'], {
        ...env,
        DB_CONNECTION: 'sqlite',
      })
      assert.equal(migrated.exitCode, 0, migrated.stderr)
      const seeded = await runAce(['demo:seed', '--json'], { ...env, DB_CONNECTION: 'sqlite' })
      assert.equal(seeded.exitCode, 0, seeded.stderr)

      const toPg = await runAce(['db:switch', 'pg', '--json'], { ...env, DB_CONNECTION: 'sqlite' })
      assert.equal(toPg.exitCode, 0, toPg.stderr)
      const there = lastJson(toPg.stdout)
      assert.equal(there.to, 'pg')
      assert.include(await readFile(envFile, 'utf8'), 'DB_CONNECTION=pg\n')
      const staff = there.tables.find((t) => t.name === 'staff_users')
      assert.isAbove(staff?.rows ?? 0, 0)
      assert.isAbove(
        there.tables.reduce((sum, t) => sum + t.rows, 0),
        100
      )

      // Sequences continue after the copied ids.
      const client = new pg.Client({
        host: postgres.env.PG_HOST,
        port: Number(postgres.env.PG_PORT),
        user: postgres.env.PG_USER,
        password: postgres.env.PG_PASSWORD,
        database: postgres.env.PG_DB_NAME,
      })
      await client.connect()
      const seq = await client.query(
        "SELECT (SELECT MAX(id) FROM staff_users) AS max, nextval(pg_get_serial_sequence('staff_users', 'id')) AS next"
      )
      await client.end()
      assert.equal(Number(seq.rows[0].next), Number(seq.rows[0].max) + 1)

      // A second switch into the now filled PostgreSQL database is refused.
      const again = await runAce(['db:switch', 'pg'], { ...env, DB_CONNECTION: 'sqlite' })
      assert.equal(again.exitCode, 1)
      assert.match(
        again.stderr,
        /The target database \(pg\) is not empty: table \w+ has \d+ row\(s\)/
      )

      // Back to an empty SQLite file.
      await rename(join(base, 'data', 'ratusz.sqlite3'), join(base, 'original.sqlite3'))
      await rm(join(base, 'data', 'ratusz.sqlite3-wal'), { force: true })
      await rm(join(base, 'data', 'ratusz.sqlite3-shm'), { force: true })
      const back = await runAce(['db:switch', 'sqlite', '--json'], { ...env, DB_CONNECTION: 'pg' })
      assert.equal(back.exitCode, 0, back.stderr)
      const home = lastJson(back.stdout)
      assert.equal(home.to, 'sqlite')
      assert.include(await readFile(envFile, 'utf8'), 'DB_CONNECTION=sqlite\n')
      const checksums = (r: typeof home) =>
        Object.fromEntries(r.tables.map((t) => [t.name, `${t.rows}:${t.checksum}`]))
      assert.deepEqual(checksums(home), checksums(there))

      const verify = await runAce(['audit:verify'], { ...env, DB_CONNECTION: 'sqlite' })
      assert.equal(verify.exitCode, 0, verify.stderr)
    } finally {
      await postgres.stop()
      await rm(base, { recursive: true, force: true })
    }
  }).timeout(180_000)

  test('bad usage exits 2', async ({ assert }) => {
    const run = await runAce(['db:switch', 'mysql'])
    assert.equal(run.exitCode, 2)
    assert.include(run.stderr, 'db:switch pg or db:switch sqlite')
  }).timeout(60_000)
})
