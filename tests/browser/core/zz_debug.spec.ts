import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { AXE_PATH } from '#tests/browser/support'
const SRC = readFileSync(AXE_PATH, 'utf8')

test.group('debug', () => {
  test('dbg', async ({ browserContext }) => {
    let t = Date.now()
    const lap = (l: string) => { console.log(l, Date.now() - t); t = Date.now() }
    const page = await browserContext.newPage()
    page.on('console', (m) => console.log('console', m.type(), m.text()))
    await page.goto('/')
    lap('goto')
    try { await page.evaluate(SRC); console.log('evaluate string ok', await page.evaluate(() => typeof (window as any).axe)) } catch (e) { console.log('eval failed', String(e).slice(0, 300)) }
    lap('eval')
    const cdp = await browserContext.newCDPSession(page)
    await page.goto('/kontakt')
    const r = await cdp.send('Runtime.evaluate', { expression: SRC })
    console.log('cdp', JSON.stringify(r).slice(0, 200), await page.evaluate(() => typeof (window as any).axe))
    lap('cdp')
    try { await page.addScriptTag({ content: SRC }); console.log('tag', await page.evaluate(() => typeof (window as any).axe)) } catch (e) { console.log('tag failed', String(e).slice(0, 200)) }
  })
})
