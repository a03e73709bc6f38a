/*
 * Appliance benchmark (issue 5 targets), run by bench/run.ts as a child process with the
 * bench's environment (RATUSZ_DATA with the demo and the 20,000-taxpayer fees data set):
 *
 *   node --import=@poppinss/ts-exec bench/appliance.ts
 *
 * 1. nightly backup of an unchanged 1 GB data directory: 1 GiB of random (incompressible)
 *    files is written once into the data directory, a first backupService.run() fills the
 *    repository, the second, unchanged one is timed (the whole nightly run: database
 *    snapshot, restic backup, retention);
 * 2. restore drill of that snapshot: backupService.drill() (restore into a temporary folder,
 *    row counts, a hash of every file compared with the live one);
 * 3. db:switch SQLite → PostgreSQL of the bench's database with the real `ace db:switch pg`,
 *    into a throwaway PostgreSQL cluster started here like scripts/test.sh does.
 * Prints one JSON line. BENCH_APPLIANCE_MB overrides the 1024 MiB.
 */
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chown, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { ratuszIgnitor } from '../bin/ignitor.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const MEGABYTES = Number(process.env.BENCH_APPLIANCE_MB || 1024)
const FILE_MB = 2

const work = await mkdtemp(join(tmpdir(), 'ratusz-bench-appliance-'))
/* The appliance keeps its repository on another disk and a restic cache in /var/cache. */
process.env.RATUSZ_BACKUP_DIR = join(work, 'backup-disk')
process.env.RATUSZ_BACKUP_PASSWORD_FILE = join(work, 'keys', 'backup-password')
process.env.RESTIC_CACHE_DIR = join(work, 'restic-cache')
delete process.env.RATUSZ_BACKUP_PARTNER_REPOSITORY
delete process.env.RATUSZ_ADMIN_EMAIL
await mkdir(process.env.RATUSZ_BACKUP_DIR)

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      command,
      args,
      { env: options.env ?? process.env, maxBuffer: 64 * 2 ** 20, timeout: 600_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    )
  )
}

function freePort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function generateFiles(dir: string) {
  const started = performance.now()
  await mkdir(dir, { recursive: true })
  const files = Math.ceil(MEGABYTES / FILE_MB)
  for (let index = 0; index < files; index++) {
    const folder = join(dir, `sprawa-${String(index % 32).padStart(2, '0')}`)
    if (index < 32) await mkdir(folder, { recursive: true })
    await writeFile(join(folder, `skan-${index}.pdf`), randomBytes(FILE_MB * 2 ** 20))
  }
  return { files, bytes: files * FILE_MB * 2 ** 20, ms: Math.round(performance.now() - started) }
}

async function backupAndDrill() {
  const app = ratuszIgnitor().createApp('console')
  await app.init()
  await app.boot()
  await app.start(async () => {})
  try {
    const { default: backupService } = await import('#appliance/services/backup_service')
    const filesDir = join(backupService.dataDir, 'files', 'bench-appliance')
    const generated = await generateFiles(filesDir)
    try {
      const first = await backupService.run({ tag: 'bench' })
      if (first.result !== 'ok') throw new Error(`first backup ${first.result}: ${first.error}`)
      const started = performance.now()
      const second = await backupService.run({ tag: 'bench' })
      const secondMs = performance.now() - started
      if (second.result !== 'ok') throw new Error(`second backup ${second.result}: ${second.error}`)
      const drill = await backupService.drill()
      return {
        generated,
        first: {
          ms: first.durationMs,
          bytesProcessed: first.bytesProcessed,
          bytesAdded: first.bytesAdded,
          files: first.files,
        },
        unchanged: {
          ms: Math.round(secondMs),
          bytesProcessed: second.bytesProcessed,
          bytesAdded: second.bytesAdded,
          files: second.files,
        },
        drill: {
          ms: drill.durationMs,
          files: drill.files,
          tables: drill.tables.length,
          problems: drill.problems,
        },
      }
    } finally {
      await rm(filesDir, { recursive: true, force: true })
    }
  } finally {
    await app.terminate()
  }
}

/** A throwaway cluster as in scripts/test.sh: initdb in a temp dir, loopback, no fsync. */
async function withPostgres<T>(body: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const versions = existsSync('/usr/lib/postgresql') ? await readdir('/usr/lib/postgresql') : []
  const version = versions.sort((a, b) => Number(a) - Number(b)).at(-1)
  if (!version) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql missing)')
  const bin = `/usr/lib/postgresql/${version}/bin`
  const dir = join(work, 'pg')
  await mkdir(dir)
  const asRoot = process.getuid?.() === 0
  const postgresUser = await run('id', ['-u', 'postgres'])
  const owner = asRoot && postgresUser.code === 0 ? 'postgres' : 'nobody'
  if (asRoot) {
    const ids = await run('id', [owner])
    const uid = Number(/uid=(\d+)/.exec(ids.stdout)?.[1])
    const gid = Number(/gid=(\d+)/.exec(ids.stdout)?.[1])
    await chown(dir, uid, gid)
    await chown(work, uid, gid)
  }
  const asOwner = (command: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', owner, '--', command, ...args]) : run(command, args)
  const port = await freePort()
  const init = await asOwner(`${bin}/initdb`, [
    '-D',
    join(dir, 'data'),
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ])
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr.trim()}`)
  const start = await asOwner(`${bin}/pg_ctl`, [
    '-D',
    join(dir, 'data'),
    '-w',
    '-l',
    join(dir, 'server.log'),
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ])
  if (start.code !== 0) throw new Error(`pg_ctl start failed: ${start.stderr.trim()}`)
  try {
    const created = await run(`${bin}/createdb`, [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      'ratusz_bench',
    ])
    if (created.code !== 0) throw new Error(`createdb failed: ${created.stderr.trim()}`)
    return await body({
      PG_HOST: '127.0.0.1',
      PG_PORT: String(port),
      PG_USER: 'postgres',
      PG_PASSWORD: 'unused',
      PG_DB_NAME: 'ratusz_bench',
    })
  } finally {
    await asOwner(`${bin}/pg_ctl`, ['-D', join(dir, 'data'), '-m', 'immediate', 'stop'])
  }
}

async function switchToPostgres() {
  return withPostgres(async (pg) => {
    // The switch writes DB_CONNECTION=pg into the configuration file: a copy here.
    const envFile = join(work, 'ratusz.env')
    await writeFile(envFile, 'DB_CONNECTION=sqlite\n', { mode: 0o600 })
    const started = performance.now()
    const child = spawn(process.execPath, [join(ROOT, 'ace.js'), 'db:switch', 'pg', '--json'], {
      cwd: ROOT,
      env: { ...process.env, ...pg, DB_CONNECTION: 'sqlite', RATUSZ_ENV_FILE: envFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    const wallMs = Math.round(performance.now() - started)
    if (code !== 0) throw new Error(`db:switch pg exited ${code}: ${stderr.trim() || stdout}`)
    const report = JSON.parse(stdout.split('\n').find((line) => line.startsWith('{'))!) as {
      tables: { name: string; rows: number }[]
      durationMs: number
    }
    const taxpayers = report.tables.find((t) => t.name === 'fees_taxpayers')?.rows ?? 0
    return {
      wallMs,
      switchMs: report.durationMs,
      tables: report.tables.length,
      rows: report.tables.reduce((sum, t) => sum + t.rows, 0),
      taxpayers,
    }
  })
}

try {
  const backup = await backupAndDrill()
  const dbSwitch = await switchToPostgres()
  process.stdout.write(`${JSON.stringify({ ...backup, dbSwitch })}\n`)
} finally {
  await rm(work, { recursive: true, force: true })
}
