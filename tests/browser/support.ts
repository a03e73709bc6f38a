/*
 * Helpers for the browser suite. The browser talks to the real HTTP server, so
 * the per-test global transaction cannot be used: each group commits the rows
 * it needs and empties the core tables again when it is done.
 */
import { mkdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import db from '@adonisjs/lucid/services/db'
import type { BrowserContext, Page } from 'playwright-core'
import type { Assert } from '@japa/assert'
import { PASSWORD, currentCode, resetSharedState } from '#tests/helpers'

const ROOT = new URL('../../', import.meta.url)
export const AXE_PATH = fileURLToPath(new URL('node_modules/axe-core/axe.min.js', ROOT))
export const SCREENSHOT_DIR = fileURLToPath(new URL('tmp/screenshots/', ROOT))
export const DOCS_SCREENSHOT_DIR = fileURLToPath(new URL('docs/screenshots/', ROOT))

/* audit_entries is append-only (the database refuses deletes), so it is left alone. */
const CORE_TABLES = [
  'staff_users',
  'residents',
  'office_profiles',
  'account_tokens',
  'sessions',
  'rate_limits',
  'outbox_messages',
  'localities',
]

/** Empties the core tables (committed) and the in-memory caches the server keeps. */
export async function emptyCoreTables() {
  for (const table of CORE_TABLES) await db.from(table).delete()
  await resetSharedState()
}

/** A run-unique suffix so logins and e-mails never collide between groups. */
let counter = 0
export function unique(prefix: string) {
  counter += 1
  return `${prefix}${process.pid}x${counter}`
}

/**
 * Runs an action that submits a form or follows a link and waits until the
 * page it leads to has loaded, even when that page has the same address.
 */
export async function andWaitForPage(page: Page, action: () => Promise<unknown>) {
  const navigated = page.waitForEvent('framenavigated', {
    predicate: (frame) => frame === page.mainFrame(),
  })
  await action()
  await navigated
  await page.waitForLoadState('load')
}

export async function staffSignIn(page: Page, login: string, password = PASSWORD) {
  await page.goto('/panel/logowanie')
  await page.getByLabel('Login', { exact: true }).fill(login)
  await page.getByLabel('Hasło', { exact: true }).fill(password)
  await andWaitForPage(page, () => page.getByLabel('Hasło', { exact: true }).press('Enter'))
}

/** Password step, then the code page (by default a code for the test suite's TOTP secret). */
export async function staffSignInWithTotp(
  page: Page,
  login: string,
  code: () => string = () => currentCode(),
  password = PASSWORD
) {
  await staffSignIn(page, login, password)
  await page.waitForURL('**/panel/logowanie/kod')
  await page.getByLabel('Kod z aplikacji uwierzytelniającej').fill(code())
  await page.getByRole('button', { name: 'Potwierdź' }).click()
  await page.waitForURL(/\/panel$/)
}

export async function residentSignIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/konto/logowanie')
  await page.getByLabel('Adres e-mail').fill(email)
  await page.getByLabel('Hasło', { exact: true }).fill(password)
  await andWaitForPage(page, () => page.getByRole('button', { name: 'Zaloguj się' }).click())
}

/** axe-core's source, read once. */
let axeSource: string | undefined
async function loadAxe(page: Page) {
  if (await page.evaluate(() => 'axe' in window)) return
  axeSource ??= await readFile(AXE_PATH, 'utf8')
  /*
   * Evaluated by the browser's DevTools protocol, which the page's CSP does not
   * govern: the app's CSP (no inline scripts) stays on, unlike addScriptTag
   * with bypassCSP, so a page that needs an inline script still fails.
   */
  await page.evaluate(axeSource)
}

interface AxeNode {
  target: string[]
  failureSummary?: string
}
interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: AxeNode[]
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await loadAxe(page)
  const result = await page.evaluate(async (tags) => {
    const axe = (window as any).axe
    const run = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    })
    return run.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => ({ target: n.target, failureSummary: n.failureSummary })),
    }))
  }, AXE_TAGS)
  return result as AxeViolation[]
}

/** One line per violation and node: readable in a failed assertion. */
export function describeViolations(where: string, violations: AxeViolation[]) {
  if (violations.length === 0) return `${where}: no violations`
  const lines = violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `  [${v.impact}] ${v.id} (${v.help}) at ${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`
    )
  )
  return `${where}: ${violations.length} axe violation(s)\n${lines.join('\n')}`
}

/**
 * SCREENSHOTS=1 saves full-page PNGs of the pages the suite visits in
 * tmp/screenshots/ and refreshes docs/screenshots/ (see screenshots.spec.ts).
 * Without it only pages that fail a check are saved.
 */
export function shootingEnabled() {
  return process.env.SCREENSHOTS === '1'
}

/** Full-page PNG in tmp/screenshots (not committed), for a person to look at. */
export async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true })
}

/** Console errors, including CSP violations the browser reports there. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

/**
 * Everything a page owes as it is now: axe clean, no raw template syntax left by
 * a misplaced Edge tag, no browser console errors. Returns '' when clean; saves
 * a screenshot when not (or with SCREENSHOTS=1).
 */
export async function auditPage(
  page: Page,
  name: string,
  consoleErrors: string[]
): Promise<string> {
  const problems: string[] = []
  const text = await page.locator('body').innerText()
  const raw = text.match(/@!?[a-z.]+\(|\{\{|\}\}/gi)
  if (raw) problems.push(`${name}: raw template syntax on the page: ${raw.join(', ')}`)
  const violations = await axeViolations(page)
  if (violations.length)
    problems.push(describeViolations(`${name} (${new URL(page.url()).pathname})`, violations))
  if (consoleErrors.length)
    problems.push(`${name}: browser console errors:\n  ${consoleErrors.splice(0).join('\n  ')}`)
  if (problems.length || shootingEnabled()) await screenshot(page, name)
  return problems.join('\n')
}

/**
 * A new page and its checks: `audit(name)` after each screen worth checking,
 * `done(assert)` at the end fails once with every screen's problems listed.
 */
export async function checkedPage(context: BrowserContext) {
  const page = await context.newPage()
  const consoleErrors = collectConsoleErrors(page)
  const reports: string[] = []
  return {
    page,
    /** What the page logged since the last audit; a test may take out an error it expects. */
    consoleErrors,
    async audit(name: string) {
      reports.push(await auditPage(page, name, consoleErrors))
    },
    done(assert: Assert) {
      assertClean(assert, reports)
    },
  }
}

/** Fails once with every page's problems listed. */
export function assertClean(assert: Assert, reports: string[]) {
  const failures = reports.filter(Boolean)
  assert.isTrue(failures.length === 0, `\n${failures.join('\n')}`)
}
