import { test } from '@japa/runner'
import { makeStaff, withOffice } from '#tests/helpers'
import { emptyCoreTables, staffSignIn, withAxe, axeViolations } from '#tests/browser/support'

test.group('debug', (group) => {
  group.setup(async () => { await emptyCoreTables(); await withOffice(); await makeStaff('dbgclerk', ['clerk']) })
  test('dbg', async ({ browserContext }) => {
    let t = Date.now()
    const lap = (l: string) => { console.log(l, Date.now() - t); t = Date.now() }
    const page = await browserContext.newPage()
    lap('newPage')
    page.on('response', (r) => console.log('resp', r.status(), r.url()))
    await page.goto('/')
    lap('goto home')
    await staffSignIn(page, 'dbgclerk')
    lap('signin')
    console.log(page.url(), (await page.content()).slice(0, 3000))
    await withAxe(browserContext)
    await page.goto('/')
    lap('goto home with axe')
    await axeViolations(page)
    lap('axe')
    await page.screenshot({ path: 'tmp/x.png', fullPage: true })
    lap('shot')
  })
})
