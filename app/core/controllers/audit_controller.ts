import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import auditLog from '#core/services/audit_log'
import { parseIsoDate } from '#core/services/calendar'

export default class AuditController {
  async index({ view, bouncer, request }: HttpContext) {
    await bouncer.authorize('viewAudit')
    const filters = {
      action: String(request.input('action', '') ?? '')
        .trim()
        .slice(0, 80),
      actor: String(request.input('actor', '') ?? '')
        .trim()
        .slice(0, 100),
      subject: String(request.input('subject', '') ?? '')
        .trim()
        .slice(0, 60),
      from: parseIsoDate(request.input('from')) ?? '',
      to: parseIsoDate(request.input('to')) ?? '',
    }
    const dir = request.input('dir') === 'asc' ? 'asc' : 'desc'
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const query = db.from('audit_entries')
    if (filters.action) query.where('action', 'like', `${filters.action}%`)
    if (filters.actor) query.where('actor_label', 'like', `%${filters.actor}%`)
    if (filters.subject)
      query.where((q) =>
        q.where('subject_type', filters.subject).orWhere('subject_id', filters.subject)
      )
    if (filters.from) query.where('occurred_at', '>=', `${filters.from}T00:00:00`)
    if (filters.to) query.where('occurred_at', '<=', `${filters.to}T23:59:59.999Z`)
    const entries = await query.orderBy('id', dir).paginate(page, 50)
    const verification = request.input('verify') === '1' ? await auditLog.verify() : null
    const actionRows = await db.from('audit_entries').distinct('action').orderBy('action')
    const actions = actionRows.map((row) => row.action)
    const queryParams = Object.fromEntries(
      Object.entries({ ...filters, dir }).filter(([, value]) => value)
    )
    return view.render('core/admin/audit', {
      entries: entries.all(),
      total: entries.total,
      page,
      lastPage: entries.lastPage,
      filters,
      actions,
      dir,
      sort: 'id',
      query: queryParams,
      verification,
    })
  }
}
