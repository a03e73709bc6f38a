import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'
import app from '@adonisjs/core/services/app'

/* Folders of public/ served as files; every other URL skips the file system lookup. */
const ASSET_PREFIX = /^\/(css|img|js|fonts)\//

/**
 * The stock static middleware looks for a file on disk for every request,
 * /up and the anonymous pages included. Only asset paths are worth a look.
 */
export default class StaticAssetsMiddleware {
  #inner: StaticMiddleware | null = null

  async handle(ctx: HttpContext, next: NextFn) {
    if (!ASSET_PREFIX.test(ctx.request.url())) return next()
    this.#inner ??= await app.container.make(StaticMiddleware)
    return this.#inner.handle(ctx, next)
  }
}
