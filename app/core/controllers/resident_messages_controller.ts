import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { residentInbox } from '#core/services/resident_inbox'

const notFound = () => new Exception('Message not found', { status: 404, code: 'E_NOT_FOUND' })

function messageId(value: unknown): number {
  const id = Number(value)
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound()
  return id
}

/** The resident's e-BOK inbox: messages from the office (reminders, decisions, answers). */
export default class ResidentMessagesController {
  async index({ view, auth, request }: HttpContext) {
    const resident = auth.use('resident').user!
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const result = await residentInbox.list(resident.id, page)
    return view.render('core/resident/messages', { ...result })
  }

  async show({ view, auth, params }: HttpContext) {
    const resident = auth.use('resident').user!
    /* Another resident's message looks exactly like one that does not exist. */
    const message = await residentInbox.find(resident.id, messageId(params.id))
    if (!message) throw notFound()
    return view.render('core/resident/message', { message })
  }

  async markRead({ auth, params, response, session }: HttpContext) {
    const resident = auth.use('resident').user!
    if (!(await residentInbox.markRead(resident.id, messageId(params.id)))) throw notFound()
    session.flash('notification', {
      type: 'success',
      message: 'Wiadomość oznaczono jako przeczytaną.',
    })
    return response.redirect().toRoute('resident.messages.index')
  }
}
