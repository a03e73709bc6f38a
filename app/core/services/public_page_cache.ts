/**
 * Rendered anonymous pages (home, contact, statements) kept in memory per
 * language. They depend only on the office profile and the module list, so
 * saving the profile clears the cache.
 */
class PublicPageCache {
  readonly #pages = new Map<string, string>()

  /** `fresh` renders again and keeps the new copy (a reload with `Cache-Control: no-cache`). */
  async remember(key: string, render: () => Promise<string>, fresh = false): Promise<string> {
    const hit = fresh ? undefined : this.#pages.get(key)
    if (hit !== undefined) return hit
    const html = await render()
    this.#pages.set(key, html)
    return html
  }

  clear() {
    this.#pages.clear()
  }
}

const publicPageCache = new PublicPageCache()
export default publicPageCache
