import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { errors as bouncerErrors } from '@adonisjs/bouncer'
import { errors as shieldErrors } from '@adonisjs/shield'
import { CommitFailedError, isDatabaseBusy } from '#core/services/durable_commit'

export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction && !app.inTest

  protected renderStatusPages = app.inProduction || app.inTest

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (error, { view, response }) => {
      response.status(403)
      return view.render('core/errors/forbidden', { error })
    },
    '404': (error, { view, response }) => {
      response.status(404)
      return view.render('core/errors/not_found', { error })
    },
    '413': (error, { view, response }) => {
      response.status(413)
      return view.render('core/errors/too_large', { error })
    },
    '500..599': (error, { view, response }) => {
      response.status(500)
      return view.render('core/errors/server_error', { error })
    },
  }

  async handle(error: unknown, ctx: HttpContext) {
    /*
     * Bouncer handles its own error with a bare English "Access denied" (GET) or a
     * redirect back with a flash no page shows (POST): render the Polish 403 page instead.
     */
    if (
      error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE &&
      this.renderStatusPages &&
      ctx.request.accepts(['html', 'json']) !== 'json'
    ) {
      ctx.response.status(403)
      return ctx.response.send(await ctx.view.render('core/errors/forbidden', { error }))
    }
    /* A stale or forged form: nothing was done; say so in Polish on the page the form came from. */
    if (error instanceof shieldErrors.E_BAD_CSRF_TOKEN && 'session' in ctx && ctx.session) {
      ctx.session.flashExcept(['_csrf', 'password', 'password_confirmation', 'current_password'])
      ctx.session.flash('notification', {
        type: 'error',
        message:
          'Formularz wygasł albo został wysłany z innej strony. Nic nie zostało zapisane — wypełnij go i wyślij ponownie.',
      })
      return ctx.response.redirect().back()
    }
    /* The database refused the COMMIT: say plainly that nothing was saved, never a success. */
    if (error instanceof CommitFailedError) {
      ctx.response.status(503)
      ctx.response.header('Retry-After', '60')
      if (ctx.request.accepts(['html', 'json']) === 'json')
        return ctx.response.send({
          type: 'about:blank',
          title: 'Nic nie zostało zapisane',
          status: 503,
          detail: 'Baza danych nie przyjęła zapisu. Spróbuj ponownie za kilka minut.',
        })
      return ctx.response.send(await ctx.view.render('core/errors/not_saved', { error }))
    }
    /* Another process held the write lock past the busy timeout: the statement did not run. */
    if (isDatabaseBusy(error)) {
      ctx.response.status(503)
      ctx.response.header('Retry-After', '5')
      return ctx.response.send(await ctx.view.render('core/errors/busy', { error }))
    }
    return super.handle(error, ctx)
  }

  async report(error: unknown, ctx: HttpContext) {
    /* One English line that names the cause: the driver's code and message. */
    if (error instanceof CommitFailedError) {
      ctx.logger.error(
        {
          err: error.cause,
          reason: error.reason,
          url: ctx.request.url(),
          method: ctx.request.method(),
        },
        `${error.message}; nothing of this request was saved`
      )
      return
    }
    return super.report(error, ctx)
  }
}
