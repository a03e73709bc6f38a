import { rm } from 'node:fs/promises'
import { assert } from '@japa/assert'
import { randomUUID } from 'node:crypto'
import { apiClient, ApiRequest } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { browserClient } from '@japa/browser-client'
import { chromium } from 'playwright-core'

/*
 * Signs a request in as a staff member or resident without the login form:
 * the guard's session key plus a real row in the server-side session registry,
 * exactly what a completed login leaves behind.
 */
ApiRequest.macro(
  'signedIn',
  function (this: ApiRequest, realm: 'staff' | 'resident', user: { id: number }) {
    const id = `test-${realm}-${randomUUID()}`
    this.setup(async () => {
      const { default: db } = await import('@adonisjs/lucid/services/db')
      const now = Date.now()
      await db.table('auth_sessions').insert({
        id,
        realm,
        account_id: user.id,
        ip: '127.0.0.1',
        user_agent: 'japa',
        created_ms: now,
        last_seen_ms: now,
      })
    })
    return this.withGuard(realm)
      .loginAs(user as any)
      .withSession({ [`${realm}_sid`]: id })
  }
)

declare module '@japa/api-client' {
  interface ApiRequest {
    signedIn(realm: 'staff' | 'resident', user: { id: number }): this
  }
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const plugins: Config['plugins'] = [
  assert(),
  pluginAdonisJS(app),
  apiClient(),
  sessionApiClient(app),
  shieldApiClient(),
  authApiClient(app),
  browserClient({
    runInSuites: ['browser'],
    launcher: (options) =>
      chromium.launch({
        ...options,
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: CHROMIUM_FLAGS,
      }),
  }),
]

/* Japa's own summary is not a plain line CI can read; this prints one last. */
function plainSummary(runner: any) {
  const { aggregates } = runner.getSummary()
  process.stdout.write(`\ntests: ${aggregates.passed} passed, ${aggregates.failed} failed\n`)
}

export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [],
  teardown: [
    async () => {
      const { default: ratuszConfig } = await import('#config/ratusz')
      if (ratuszConfig.dataDir.includes('/tmp/test-data-'))
        await rm(ratuszConfig.dataDir, { recursive: true, force: true })
    },
    (runner) => plainSummary(runner),
  ],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional'].includes(suite.name)) {
    suite.setup(() => testUtils.db().migrate())
    suite.setup(() => testUtils.httpServer().start())
  }
}
