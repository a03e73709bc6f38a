/*
 * Signed-in scenarios (bench/run.ts adds them after the app is up). The runner signs in once
 * per realm through the real login forms (CSRF token from the form page, cookies kept like a
 * browser) and autocannon reuses the cookies:
 *   - the demo resident: the resident shell /konto and "Moje podatki" /konto/podatki/:id of
 *     the resident's linked taxpayer;
 *   - the demo finance clerk 'podatki' (no TOTP; only administrators must enrol): the staff
 *     shell, the dashboard /panel, and the taxpayer search /panel/podatki?szukaj=….
 * A shell is the yardstick of its realm's pages (bench/gates.ts: ≥ 50 % of its req/s).
 * This file runs in the bench runner, which does not boot the app: it takes the tests'
 * CookieBrowser from its own file (tests/helpers.ts imports the database).
 */
import type { BenchScenario } from './scenarios.js'
import { CookieBrowser } from '../tests/cookie_browser.js'

const DEMO_PASSWORD = 'Przykladowa#2026'

export interface SignedIn {
  scenarios: BenchScenario[]
  notes: string[]
}

function asPage(browser: CookieBrowser) {
  return { cookie: browser.cookieHeader(), accept: 'text/html' }
}

export async function signedInScenarios(port: number): Promise<SignedIn> {
  const base = `http://127.0.0.1:${port}`
  const scenarios: BenchScenario[] = []
  const notes: string[] = []

  const resident = new CookieBrowser({}, base)
  const signedIn = await resident.submit('/konto/logowanie', '/konto/logowanie', {
    email: 'mieszkaniec@przykladowa.localhost',
    password: DEMO_PASSWORD,
  })
  const shell = await resident.request('GET', '/konto')
  if (signedIn.status !== 302 || shell.status !== 200) {
    notes.push(
      `resident pages skipped — login ${signedIn.status} → ${signedIn.location}, /konto ${shell.status} → ${shell.location}`
    )
  } else {
    scenarios.push({
      name: 'resident shell /konto',
      path: '/konto',
      headers: asPage(resident),
      realm: 'resident',
      shell: true,
      groups: ['signed-in'],
      target: { minRatio: 0.03 },
    })
    const list = await resident.request('GET', '/konto/podatki')
    const id =
      /\/konto\/podatki\/(\d+)/.exec(list.text)?.[1] ??
      /\/konto\/podatki\/(\d+)/.exec(list.location ?? '')?.[1]
    const page = id ? await resident.request('GET', `/konto/podatki/${id}`) : null
    if (!id || page?.status !== 200)
      notes.push(
        `fees: resident page skipped — /konto/podatki ${list.status}, taxpayer page ${page ? page.status : 'no link'} ` +
          '(does /konto/podatki/:id exist and is the demo resident linked?)'
      )
    else
      scenarios.push({
        name: 'fees resident /konto/podatki/:id',
        path: `/konto/podatki/${id}`,
        headers: asPage(resident),
        realm: 'resident',
        groups: ['signed-in', 'fees'],
        target: { minRatio: 0.02, maxP99Ms: 50, p99At: 20 },
      })
  }

  const clerk = new CookieBrowser({}, base)
  const staff = await clerk.submit('/panel/logowanie', '/panel/logowanie', {
    login: 'podatki',
    password: DEMO_PASSWORD,
  })
  const dashboard = await clerk.request('GET', '/panel')
  if (staff.status !== 302 || dashboard.status !== 200) {
    notes.push(
      `staff pages skipped — login ${staff.status} → ${staff.location}, /panel ${dashboard.status} → ${dashboard.location}`
    )
  } else {
    scenarios.push({
      name: 'staff shell /panel',
      path: '/panel',
      headers: asPage(clerk),
      realm: 'staff',
      shell: true,
      groups: ['signed-in'],
    })
    const search = await clerk.request('GET', '/panel/podatki?szukaj=kowal')
    if (search.status !== 200)
      notes.push(`fees: staff search page skipped — ${search.status} → ${search.location}`)
    else
      scenarios.push({
        name: 'fees staff search /panel/podatki?szukaj=kowal',
        path: '/panel/podatki?szukaj=kowal',
        headers: asPage(clerk),
        realm: 'staff',
        groups: ['signed-in', 'fees'],
        target: { maxP99Ms: 30, p99At: 20 },
      })
  }
  return { scenarios, notes }
}
