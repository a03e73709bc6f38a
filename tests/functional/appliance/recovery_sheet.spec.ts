import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { runAce } from '#tests/helpers'

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const PASSWORD = 'Xk9-lI0Oq_rS7tUv2wYz4bC6dE8fG1hJ3'

function sql(file: string, statement: string, params: unknown[]) {
  const database = new Database(file)
  try {
    database.prepare(statement).run(...params)
  } finally {
    database.close()
  }
}

async function modeOf(path: string) {
  const info = await stat(path)
  return info.mode & 0o777
}

async function pdfText(path: string) {
  const { stdout } = await promisify(execFile)('pdftotext', ['-layout', path, '-'])
  return stdout
}

test.group('Appliance / recovery sheet', (group) => {
  let base: string
  let env: Record<string, string>
  group.each.setup(async () => {
    base = await mkdtemp(join(tmpdir(), 'ratusz-sheet-'))
    await mkdir(join(base, 'keys'), { mode: 0o700 })
    env = {
      NODE_ENV: 'test',
      DB_CONNECTION: 'sqlite',
      RATUSZ_DATA: join(base, 'data'),
      RATUSZ_BACKUP_DIR: join(base, 'disk'),
      RATUSZ_BACKUP_PASSWORD_FILE: join(base, 'keys/backup-password'),
      RATUSZ_BACKUP_PARTNER_REPOSITORY: 'rest:http://10.77.0.9:8000/ratusz',
    }
    const migrated = await runAce(['migration:run', '--force'], env)
    if (migrated.exitCode !== 0) throw new Error(migrated.stderr)
    return () => rm(base, { recursive: true, force: true })
  })

  test('the PDF holds the password, both repositories, the office and the restore steps; 0600; the password is printed nowhere else', async ({
    assert,
  }) => {
    await writeFile(env.RATUSZ_BACKUP_PASSWORD_FILE, `${PASSWORD}\n`, { mode: 0o600 })
    const now = new Date().toISOString()
    await sql(
      join(env.RATUSZ_DATA, 'ratusz.sqlite3'),
      `INSERT INTO office_profiles (name, teryt, street, postal_code, city, nip, regon, bank_account, email, phone, created_at, updated_at)
       VALUES ('Urząd Gminy Kartowo', '0201011', 'ul. Sejfowa 1', '12-345', 'Kartowo', '5213017228', '012345675', '61109010140000071219812874', 'urzad@kartowo.localhost', '+48 12 345 67 89', ?, ?)`,
      [now, now]
    )
    const output = join(base, 'out', 'karta.pdf')
    const run = await runAce(['backup:sheet', '--output', output], env)
    assert.equal(run.exitCode, 0, run.stderr)
    assert.include(run.stdout, output)
    assert.include(run.stdout, 'delete the file')
    assert.notInclude(run.stdout + run.stderr, PASSWORD)
    assert.equal(await modeOf(output), 0o600)

    const text = await pdfText(output)
    assert.include(text, PASSWORD)
    assert.include(text, 'Urząd Gminy Kartowo')
    assert.include(text, 'Karta odtworzeniowa')
    assert.include(text, join(base, 'disk', 'restic'))
    assert.include(text, 'rest:http://10.77.0.9:8000/ratusz')
    assert.include(text, 'ratusz restore latest --in-place')
    assert.include(text, 'ratusz backup list')
    assert.match(text, /Kartowo, \d{1,2} [a-ząćęłńóśźż]+ \d{4} r\./)
    // The password is on the sheet once: one password file serves both repositories.
    assert.equal(text.split(PASSWORD).length - 1, 1)
  })

  test('ratusz backup sheet writes to tmp/ in the data directory by default, over a looser file', async ({
    assert,
  }) => {
    await writeFile(env.RATUSZ_BACKUP_PASSWORD_FILE, `${PASSWORD}\n`, { mode: 0o600 })
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        join(PROJECT_ROOT, 'appliance/bin/ratusz'),
        ['backup', 'sheet'],
        {
          env: { ...process.env, ...env, RATUSZ_HOME: PROJECT_ROOT, RATUSZ_AS_ROOT: '1' },
          timeout: 60_000,
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
      )
    )
    assert.equal(run.code, 0, run.stderr)
    const path = run.stdout.match(/written to (\S+\.pdf)/)![1]
    assert.isTrue(path.startsWith(join(env.RATUSZ_DATA, 'tmp') + '/'))
    assert.equal(await modeOf(path), 0o600)
    assert.include(await pdfText(path), PASSWORD)

    await writeFile(path, 'old', { mode: 0o644 })
    const again = await runAce(['backup:sheet', '--output', path], env)
    assert.equal(again.exitCode, 0, again.stderr)
    assert.equal(await modeOf(path), 0o600)
  })

  test('no password file: exit 1 with a clear message and no PDF', async ({ assert }) => {
    const output = join(base, 'karta.pdf')
    const run = await runAce(['backup:sheet', '--output', output], env)
    assert.equal(run.exitCode, 1)
    assert.include(run.stderr, 'backup password file')
    assert.include(run.stderr, env.RATUSZ_BACKUP_PASSWORD_FILE)
    await assert.rejects(() => stat(output))
  })
})
