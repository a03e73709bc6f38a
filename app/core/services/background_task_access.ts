import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { backgroundTasks, type BackgroundTask } from '#core/services/background_tasks'

const notFound = () => new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })

/**
 * The task a signed-in staff member may see: their own, and only while they
 * still hold the ability its kind names (tax data stays with the finance
 * office even for a task started before a role was taken away). Anything else
 * is a 404, so task numbers reveal nothing.
 */
export async function visibleTask(
  { auth, bouncer }: HttpContext,
  id: unknown
): Promise<BackgroundTask> {
  const task = await backgroundTasks.find(Number(id))
  const user = auth.use('staff').user
  const kind = task ? backgroundTasks.kindOf(task) : null
  if (!task || !kind || !user || task.ownerId !== user.id) throw notFound()
  if (!(await bouncer.allows(kind.ability as any))) throw notFound()
  return task
}
