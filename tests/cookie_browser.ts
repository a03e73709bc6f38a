/*
 * No application imports here: the benchmark runner, which does not boot the
 * app, signs in with this too.
 */
/**
 * A small browser for tests that need one real session cookie across requests
 * (the Japa session plugin gives every request a fresh session): keeps the
 * cookies the server sets, reads the CSRF token from the page's form and never
 * follows redirects.
 */
export class CookieBrowser {
  readonly cookies = new Map<string, string>()
  constructor(
    readonly headers: Record<string, string> = {},
    readonly baseUrl = `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT}`
  ) {}

  /** The Cookie header a browser would send now. */
  cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
    const headers: Record<string, string> = { ...this.headers, accept: 'text/html' }
    if (this.cookies.size) headers.cookie = this.cookieHeader()
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded'
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: 'manual',
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a)
      )
      if (expired || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return {
      status: response.status,
      location: response.headers.get('location'),
      headers: response.headers,
      text: await response.text(),
    }
  }

  get(path: string) {
    return this.request('GET', path)
  }

  /** The status code of a GET: 200 signed in, 302 sent to a login page. */
  async status(path: string) {
    const response = await this.get(path)
    return response.status
  }

  /** Opens the form page first for its CSRF token, then posts the form with it. */
  async submit(formPath: string, action: string, fields: Record<string, string>) {
    const page = await this.get(formPath)
    const token = /name='_csrf' value='([^']+)'/.exec(page.text)?.[1]
    if (!token) throw new Error(`No CSRF field on ${formPath} (status ${page.status})`)
    return this.request('POST', action, { ...fields, _csrf: token })
  }
}
