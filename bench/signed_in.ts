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

/** Signs in through a login form and opens the realm's shell; a note says why when it fails. */
async function signIn(
  base: string,
  login: string,
  fields: Record<string, string>,
  shell: string
): Promise<CookieBrowser | string> {
  const browser = new CookieBrowser({}, base)
  const signedIn = await browser.submit(login, login, { ...fields, password: DEMO_PASSWORD })
  const page = await browser.request('GET', shell)
  if (signedIn.status === 302 && page.status === 200) return browser
  return `login ${signedIn.status} → ${signedIn.location}, ${shell} ${page.status} → ${page.location}`
}

export async function signedInScenarios(port: number): Promise<SignedIn> {
  const base = `http://127.0.0.1:${port}`
  const scenarios: BenchScenario[] = []
  const notes: string[] = []

  const resident = await signIn(
    base,
    '/konto/logowanie',
    { email: 'mieszkaniec@przykladowa.localhost' },
    '/konto'
  )
  if (typeof resident === 'string') notes.push(`resident pages skipped — ${resident}`)
  else {
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

  const clerk = await signIn(base, '/panel/logowanie', { login: 'podatki' }, '/panel')
  if (typeof clerk === 'string') notes.push(`staff pages skipped — ${clerk}`)
  else {
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
