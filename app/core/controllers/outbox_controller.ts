import type { HttpContext } from '@adonisjs/core/http'
import OutboxMessage from '#core/models/outbox_message'
import outbox from '#core/services/outbox'

const STATUSES = ['pending', 'sending', 'sent', 'failed', 'captured'] as const

export default class OutboxController {
  async index({ view, bouncer, request }: HttpContext) {
    await bouncer.authorize('viewOutbox')
    const status = STATUSES.find((value) => value === request.input('status')) ?? ''
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const query = OutboxMessage.query().orderBy('id', 'desc')
    if (status) query.where('status', status)
    const messages = await query.paginate(page, 50)
    return view.render('core/admin/outbox_index', {
      messages: messages.all(),
      total: messages.total,
      page,
      lastPage: messages.lastPage,
      status,
      statuses: STATUSES,
      query: status ? { status } : {},
    })
  }

  async show({ view, bouncer, params }: HttpContext) {
    await bouncer.authorize('viewOutbox')
    const message = await OutboxMessage.findOrFail(params.id)
    /* Links that sign somebody in (verification, password reset) are readable only while nothing is really sent. */
    const hidden = outbox.mode !== 'capture' && message.relatedType === 'account_token'
    return view.render('core/admin/outbox_show', { message, hidden })
  }
}
