/*
 * HTTP scenarios of the fees module that need a signed-in session (bench/run.ts adds them
 * after the app is up). The runner signs in once through the real login forms (CSRF token
 * from the form page, cookies kept like a browser) and autocannon reuses the cookies:
 *   - the resident's "Moje podatki" page /konto/podatki/:id of the demo resident's taxpayer;
 *   - the clerk's taxpayer search /panel/podatki?szukaj=… as the demo finance clerk
 *     ('podatki' has no TOTP; only administrators must enrol).
 * This file runs in the bench runner, which does not boot the app: it takes the tests'
 * CookieBrowser from its own file (tests/helpers.ts imports the database).
 */
import type { BenchScenario } from './scenarios.js'
import { CookieBrowser } from '../tests/cookie_browser.js'

const DEMO_PASSWORD = 'Przykladowa#2026'

export interface FeesHttp {
  scenarios: BenchScenario[]
  notes: string[]
}

export async function feesHttpScenarios(port: number): Promise<FeesHttp> {
  const base = `http://127.0.0.1:${port}`
  const scenarios: BenchScenario[] = []
  const notes: string[] = []

  const resident = new CookieBrowser({}, base)
  const signedIn = await resident.submit('/konto/logowanie', '/konto/logowanie', {
    email: 'mieszkaniec@przykladowa.localhost',
    password: DEMO_PASSWORD,
  })
  const list = await resident.request('GET', '/konto/podatki')
  const id =
    /\/konto\/podatki\/(\d+)/.exec(list.text)?.[1] ??
    /\/konto\/podatki\/(\d+)/.exec(list.location ?? '')?.[1]
  const page = id ? await resident.request('GET', `/konto/podatki/${id}`) : null
  if (signedIn.status !== 302 || !id || page?.status !== 200) {
    notes.push(
      `fees: resident page skipped — login ${signedIn.status} → ${signedIn.location}, /konto/podatki ${list.status}, ` +
        `taxpayer page ${page ? page.status : 'no link'} (does /konto/podatki/:id exist and is the demo resident linked?)`
    )
  } else {
    scenarios.push({
      name: 'fees resident /konto/podatki/:id',
      path: `/konto/podatki/${id}`,
      headers: { cookie: resident.cookieHeader(), accept: 'text/html' },
      connections: 20,
      target: { maxP99Ms: 50 },
    })
  }

  const clerk = new CookieBrowser({}, base)
  const staff = await clerk.submit('/panel/logowanie', '/panel/logowanie', {
    login: 'podatki',
    password: DEMO_PASSWORD,
  })
  const search = await clerk.request('GET', '/panel/podatki?szukaj=kowal')
  if (staff.status !== 302 || search.status !== 200) {
    notes.push(
      `fees: staff search page skipped — login ${staff.status} → ${staff.location}, search ${search.status} → ${search.location}`
    )
  } else {
    scenarios.push({
      name: 'fees staff search /panel/podatki?szukaj=kowal',
      path: '/panel/podatki?szukaj=kowal',
      headers: { cookie: clerk.cookieHeader(), accept: 'text/html' },
      connections: 20,
      target: { maxP99Ms: 30 },
    })
  }
  return { scenarios, notes }
}
