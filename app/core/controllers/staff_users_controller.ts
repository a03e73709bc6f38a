import type { HttpContext } from '@adonisjs/core/http'
import StaffUser from '#core/models/staff_user'
import { createStaffValidator, updateStaffValidator } from '#core/validators/staff_validators'
import { staffDirectory, LastAdminError } from '#core/services/staff_directory'
import { actorFrom } from '#core/services/audit_log'
import { passwordProblem } from '#core/services/password_policy'
import { STAFF_ROLES, ROLE_LABELS } from '#core/services/roles'

const SORTABLE = { login: 'login', name: 'full_name', last: 'last_login_at' } as const

const roleOptions = STAFF_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))

export default class StaffUsersController {
  async index({ view, bouncer, request }: HttpContext) {
    await bouncer.authorize('manageStaff')
    /* Own keys only: `constructor` or `toString` in the query string are not columns. */
    const requested = String(request.input('sort', ''))
    const sortKey = (
      Object.hasOwn(SORTABLE, requested) ? requested : 'login'
    ) as keyof typeof SORTABLE
    const dir = request.input('dir') === 'desc' ? 'desc' : 'asc'
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const users = await StaffUser.query()
      .orderBy(SORTABLE[sortKey], dir)
      .orderBy('id')
      .paginate(page, 25)
    return view.render('core/admin/staff_index', {
      users,
      sort: sortKey,
      dir,
      page,
      lastPage: users.lastPage,
      query: { sort: sortKey, dir },
    })
  }

  async create({ view, bouncer }: HttpContext) {
    await bouncer.authorize('manageStaff')
    return view.render('core/admin/staff_form', { roleOptions, user: null })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageStaff')
    const data = await ctx.request.validateUsing(createStaffValidator)
    const problem = passwordProblem(data.password, [data.login, data.email])
    if (problem || (await StaffUser.findBy('login', data.login))) {
      ctx.session.flashExcept(['password'])
      ctx.session.flash(
        'inputErrorsBag',
        problem ? { password: [problem] } : { login: ['Ten login jest już zajęty.'] }
      )
      return ctx.response.redirect().toRoute('admin.staff.create')
    }
    const user = await staffDirectory.create(
      { ...data, unit: data.unit ?? null },
      actorFrom(ctx),
      ctx.request.ip()
    )
    ctx.session.flash('notification', {
      type: 'success',
      message: `Utworzono konto ${user.login}. Przekaż hasło startowe osobiście.`,
    })
    return ctx.response.redirect().toRoute('admin.staff.index')
  }

  async edit({ view, bouncer, params }: HttpContext) {
    await bouncer.authorize('manageStaff')
    const user = await StaffUser.findOrFail(params.id)
    return view.render('core/admin/staff_form', { roleOptions, user })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageStaff')
    const user = await StaffUser.findOrFail(ctx.params.id)
    /* Only the listed fields are read: role=admin or password in the form body is ignored. */
    const data = await ctx.request.validateUsing(updateStaffValidator)
    try {
      await staffDirectory.update(
        user,
        {
          fullName: data.fullName,
          email: data.email,
          unit: data.unit ?? null,
          roles: data.roles,
          isActive: data.isActive ?? false,
          resetTotp: data.resetTotp ?? false,
        },
        actorFrom(ctx),
        ctx.request.ip()
      )
    } catch (error) {
      if (!(error instanceof LastAdminError)) throw error
      ctx.session.flash('notification', { type: 'error', message: error.message })
      return ctx.response.redirect().toRoute('admin.staff.edit', { id: user.id })
    }
    ctx.session.flash('notification', {
      type: 'success',
      message: `Zapisano zmiany konta ${user.login}.`,
    })
    return ctx.response.redirect().toRoute('admin.staff.index')
  }
}
