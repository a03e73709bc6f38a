import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { backgroundTasks, taskFilePath, type BackgroundTask } from '#core/services/background_tasks'
import { visibleTask } from '#core/services/background_task_access'

/* Seconds between refreshes of a running task's page (meta refresh, no JavaScript). */
const REFRESH_SECONDS = 2

const notFound = () => new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })

function view(task: BackgroundTask) {
  const kind = backgroundTasks.kindOf(task)
  const finished = task.status === 'done'
  return {
    ...task,
    title: kind?.title(task.params as any) ?? task.kind,
    percent: task.total > 0 ? Math.min(100, Math.floor((task.done * 100) / task.total)) : null,
    facts: finished ? (kind?.facts?.(task) ?? []) : [],
    links: finished ? (kind?.links?.(task) ?? []) : [],
  }
}

/** The staff member's tasks: the list, one task with its progress, the result download. */
export default class BackgroundTasksController {
  async index({ auth, view: views, bouncer }: HttpContext) {
    const user = auth.use('staff').user!
    const tasks = []
    for (const task of await backgroundTasks.recent(user.id, { limit: 30 })) {
      const kind = backgroundTasks.kindOf(task)
      if (kind && (await bouncer.allows(kind.ability as any))) tasks.push(view(task))
    }
    const running = tasks.some((task) => task.status === 'queued' || task.status === 'running')
    return views.render('core/staff/tasks_index', {
      tasks,
      refresh: running ? REFRESH_SECONDS : null,
    })
  }

  async show(ctx: HttpContext) {
    const task = await visibleTask(ctx, ctx.params.id)
    const running = task.status === 'queued' || task.status === 'running'
    ctx.response.header('cache-control', 'no-store')
    return ctx.view.render('core/staff/task', {
      task: view(task),
      refresh: running ? REFRESH_SECONDS : null,
      hasResult: task.status === 'done' && taskFilePath(task.resultPath) !== null,
    })
  }

  async download(ctx: HttpContext) {
    const task = await visibleTask(ctx, ctx.params.id)
    const path = task.status === 'done' ? taskFilePath(task.resultPath) : null
    if (!path || !task.resultName) throw notFound()
    const { response } = ctx
    response.header('content-type', task.resultType ?? 'application/octet-stream')
    response.header('x-content-type-options', 'nosniff')
    response.header('cache-control', 'no-store')
    response.attachment(path, task.resultName)
  }
}
