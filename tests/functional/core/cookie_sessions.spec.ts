import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEMO_PASSWORD } from '#core/services/demo_registry'
import { CookieBrowser, freePort, runAce } from '#tests/helpers'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/*
 * The suite's own server keeps sessions in memory; production keeps them in an
 * encrypted cookie plus the auth_sessions registry. This group starts a second
 * server with the production session store on its own demo database (SQLite in
 * a temporary folder) and checks that a cookie copied before logout opens
 * nothing afterwards.
 */
test.group('Cookie sessions with the server-side registry', (group) => {
  let server: ChildProcess | null = null
  let baseUrl = ''
  let dir = ''

  group.setup(async () => {
    if (process.env.DB_CONNECTION === 'pg') return async () => {}
    dir = await mkdtemp(join(tmpdir(), 'ratusz-cookie-'))
    const env = { NODE_ENV: 'test', DB_CONNECTION: 'sqlite', RATUSZ_DATA: dir }
    await runAce(['migration:run', '--force'], env)
    await runAce(['demo:seed'], env)
    const port = await freePort()
    baseUrl = `http://127.0.0.1:${port}`
    server = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), SESSION_DRIVER: 'cookie' },
      stdio: 'ignore',
    })
    for (let i = 0; i < 300; i++) {
      const up = await fetch(`${baseUrl}/up`).catch(() => null)
      if (up?.ok) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return async () => {
      server?.kill('SIGTERM')
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('a cookie copied before logout no longer opens the panel', async ({ assert }) => {
    const browser = new CookieBrowser({}, baseUrl)
    const signedIn = await browser.submit('/panel/logowanie', '/panel/logowanie', {
      login: 'urzednik',
      password: DEMO_PASSWORD,
    })
    assert.equal(signedIn.location, '/panel')
    assert.equal(await browser.status('/panel'), 200)

    const copied = new CookieBrowser({}, baseUrl)
    for (const [name, value] of browser.cookies) copied.cookies.set(name, value)
    assert.equal(await copied.status('/panel'), 200)

    const dashboard = await browser.get('/panel')
    const token = /name='_csrf' value='([^']+)'/.exec(dashboard.text)![1]
    const out = await browser.request('POST', '/panel/wyloguj', { _csrf: token })
    assert.equal(out.status, 302)

    /* The copied cookie still decrypts, but its registry row is gone. */
    const replay = await copied.get('/panel')
    assert.equal(replay.status, 302)
    assert.equal(replay.location, '/panel/logowanie')
  })
    .skip(
      process.env.DB_CONNECTION === 'pg',
      'runs its own SQLite demo database; the session logic is the same on PostgreSQL'
    )
    .timeout(180_000)

  /*
   * Stopping the service while requests wait for the database: clients gone,
   * their handlers still queued for the pooled connection when the pool closes.
   * Their 60-second acquire timers must not keep the process alive (systemd
   * would wait for TimeoutStopSec). Last in the group: it stops the server.
   */
  test('SIGTERM with requests still queued for the database: the process exits within seconds', async ({
    assert,
  }) => {
    const browser = new CookieBrowser({}, baseUrl)
    await browser.submit('/panel/logowanie', '/panel/logowanie', {
      login: 'urzednik',
      password: DEMO_PASSWORD,
    })
    const exited = new Promise<number | null>((resolve) => server!.once('exit', resolve))
    for (let round = 0; round < 3; round++) {
      const controller = new AbortController()
      const requests = Array.from({ length: 60 }, () =>
        fetch(`${baseUrl}/panel`, {
          headers: { cookie: browser.cookieHeader() },
          signal: controller.signal,
        }).catch(() => null)
      )
      await new Promise((resolve) => setTimeout(resolve, 40))
      controller.abort()
      await Promise.all(requests)
    }
    const started = Date.now()
    server!.kill('SIGTERM')
    const code = await Promise.race([
      exited,
      new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000)),
    ])
    if (code === 'still running') server!.kill('SIGKILL')
    server = null
    assert.equal(code, 0)
    assert.isBelow(Date.now() - started, 15_000)
  })
    .skip(process.env.DB_CONNECTION === 'pg', 'uses the SQLite server of this group')
    .timeout(60_000)
})
