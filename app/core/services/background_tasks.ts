/*
 * Background tasks: long work a staff member starts from a page (reports over
 * every taxpayer, exports, imports, batches) runs in the queue worker, never
 * inside a request. The request writes a row and queues a job; the worker runs
 * the task's kind, writes its progress to the row in steps and its result file
 * to the data directory; the task page (/panel/zadania/:id) reads the row.
 *
 * Modules register their kinds in start/tasks.ts; the core imports nothing
 * from a module. A kind names the bouncer ability a viewer needs, so tax data
 * in a task stays visible only to those who may see it.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, normalize, sep } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import ratuszConfig from '#config/ratusz'

export type TaskStatus = 'queued' | 'running' | 'done' | 'failed'

export interface TaskLink {
  href: string
  label: string
}

export interface TaskFact {
  label: string
  value: string
}

/** What a kind's run() gets: its parameters and the means to report. */
export interface TaskRun<Params> {
  id: number
  ownerId: number
  params: Params
  /** Progress in steps (written at most every few hundred milliseconds, always at the end). */
  progress(done: number, total: number, message: string): Promise<void>
  /** The file the task page offers for download. */
  saveResult(name: string, contentType: string, content: string | Buffer): Promise<void>
  /** Another file of this task (for example rows a page reads back); returns its path. */
  saveFile(name: string, content: string | Buffer): Promise<string>
  /** Small figures for the task page and the module's own pages (stored as JSON). */
  summary: Record<string, unknown>
}

export interface BackgroundTaskKind<Params = any> {
  /** Stable id, "module.what", e.g. "fees.arrears". */
  kind: string
  /** The bouncer ability a viewer needs besides being the owner, e.g. "viewTaxes". */
  ability: string
  /** Polish title of a task of this kind, e.g. "Zaległości na dzień 24.11.2026". */
  title(params: Params): string
  run(task: TaskRun<Params>): Promise<void>
  /** Lines the finished task's page shows. */
  facts?(task: BackgroundTask): TaskFact[]
  /** Where the finished task leads (the list on screen, the batch, the report). */
  links?(task: BackgroundTask): TaskLink[]
}

/** A failure the user can act on: its message (Polish) is shown on the task page. */
export class TaskFailure extends Error {}

export interface BackgroundTask {
  id: number
  kind: string
  ownerId: number
  params: Record<string, any>
  status: TaskStatus
  done: number
  total: number
  message: string
  resultPath: string | null
  resultName: string | null
  resultType: string | null
  summary: Record<string, any>
  error: string | null
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
  updatedAt: Date
}

const TASKS_DIR = 'tasks'
/* Progress writes are cheap but not free: one per this many milliseconds is plenty for a page that refreshes every two seconds. */
const PROGRESS_EVERY_MS = 250

function toTask(row: any): BackgroundTask {
  const date = (value: unknown) =>
    value === null || value === undefined ? null : new Date(value as any)
  return {
    id: Number(row.id),
    kind: row.kind,
    ownerId: Number(row.owner_id),
    params: JSON.parse(row.params),
    status: row.status,
    done: Number(row.progress_done),
    total: Number(row.progress_total),
    message: row.progress_message,
    resultPath: row.result_path,
    resultName: row.result_name,
    resultType: row.result_type,
    summary: row.summary ? JSON.parse(row.summary) : {},
    error: row.error,
    createdAt: date(row.created_at)!,
    startedAt: date(row.started_at),
    finishedAt: date(row.finished_at),
    updatedAt: date(row.updated_at)!,
  }
}

/** The absolute path of a file of a task, or null when the stored path leaves the tasks folder. */
export function taskFilePath(relative: string | null): string | null {
  if (!relative) return null
  const clean = normalize(relative)
  if (!clean.startsWith(TASKS_DIR + sep) || clean.includes('..')) return null
  return join(ratuszConfig.dataDir, clean)
}

class BackgroundTasks {
  readonly kinds = new Map<string, BackgroundTaskKind>()

  register<Params>(definition: BackgroundTaskKind<Params>) {
    this.kinds.set(definition.kind, definition as BackgroundTaskKind)
  }

  kindOf(task: BackgroundTask): BackgroundTaskKind | null {
    return this.kinds.get(task.kind) ?? null
  }

  /** Writes the task and queues its job; the worker picks it up (in tests the sync queue runs it at once). */
  async start(kind: string, ownerId: number, params: Record<string, unknown>): Promise<number> {
    if (!this.kinds.has(kind)) throw new Error(`Unknown background task kind "${kind}"`)
    const now = new Date()
    const [inserted] = await db
      .table('background_tasks')
      .insert({
        kind,
        owner_id: ownerId,
        params: JSON.stringify(params),
        status: 'queued',
        progress_message: 'Czeka w kolejce na wykonanie.',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
    const id = Number(typeof inserted === 'object' ? inserted.id : inserted)
    const { default: RunBackgroundTaskJob } = await import('#core/jobs/run_background_task_job')
    await RunBackgroundTaskJob.dispatch({ taskId: id }).run()
    return id
  }

  async find(id: number): Promise<BackgroundTask | null> {
    if (!Number.isSafeInteger(id) || id <= 0) return null
    const row = await db.from('background_tasks').where('id', id).first()
    return row ? toTask(row) : null
  }

  /** The owner's recent tasks, newest first (optionally of some kinds only). */
  async recent(ownerId: number, options: { kinds?: string[]; limit?: number } = {}) {
    const query = db
      .from('background_tasks')
      .where('owner_id', ownerId)
      .orderBy('id', 'desc')
      .limit(options.limit ?? 20)
    if (options.kinds) query.whereIn('kind', options.kinds)
    const rows = await query
    return rows.map(toTask)
  }

  /** Runs a queued task to its end (called by the queue job); a task already taken is left alone. */
  async run(id: number): Promise<void> {
    const claimed = await db.from('background_tasks').where({ id, status: 'queued' }).update({
      status: 'running',
      started_at: new Date(),
      updated_at: new Date(),
      progress_message: 'Rozpoczęto.',
    })
    if (Number(Array.isArray(claimed) ? claimed.length : claimed) === 0) return
    const task = (await this.find(id))!
    const kind = this.kindOf(task)
    let lastWrite = 0
    const update = (values: Record<string, unknown>) =>
      db
        .from('background_tasks')
        .where('id', id)
        .update({ ...values, updated_at: new Date() })
    const run: TaskRun<any> = {
      id,
      ownerId: task.ownerId,
      params: task.params,
      summary: {},
      progress: async (done, total, message) => {
        const now = Date.now()
        if (now - lastWrite < PROGRESS_EVERY_MS && done < total) return
        lastWrite = now
        await update({
          progress_done: done,
          progress_total: total,
          progress_message: message.slice(0, 200),
        })
      },
      saveFile: async (name, content) => {
        const relative = join(TASKS_DIR, String(id), name.replace(/[^\w.-]/g, '_'))
        const absolute = join(ratuszConfig.dataDir, relative)
        await mkdir(dirname(absolute), { recursive: true, mode: 0o750 })
        await writeFile(absolute, content, { mode: 0o640 })
        return relative
      },
      saveResult: async (name, contentType, content) => {
        const relative = await run.saveFile(name, content)
        await update({ result_path: relative, result_name: name, result_type: contentType })
      },
    }
    try {
      if (!kind) throw new Error(`Unknown background task kind "${task.kind}"`)
      await kind.run(run)
      await update({
        status: 'done',
        finished_at: new Date(),
        summary: JSON.stringify(run.summary),
        progress_message: 'Zakończono.',
      })
    } catch (error) {
      if (!(error instanceof TaskFailure))
        logger.error({ err: error, taskId: id, kind: task.kind }, 'background task failed')
      await update({
        status: 'failed',
        finished_at: new Date(),
        summary: JSON.stringify(run.summary),
        error:
          error instanceof TaskFailure
            ? error.message
            : `Zadanie przerwał nieoczekiwany błąd. Spróbuj ponownie; jeśli błąd się powtórzy, zgłoś informatykowi numer zadania ${id}.`,
      })
    }
  }

  /** Removes the files of tasks finished before the cut-off (results hold personal data). */
  async pruneFiles(finishedBefore: Date): Promise<number> {
    const rows = await db
      .from('background_tasks')
      .where('finished_at', '<', finishedBefore)
      .whereNotNull('result_path')
      .select('id')
    for (const row of rows) {
      await rm(join(ratuszConfig.dataDir, TASKS_DIR, String(row.id)), {
        recursive: true,
        force: true,
      })
      await db
        .from('background_tasks')
        .where('id', row.id)
        .update({ result_path: null, updated_at: new Date() })
    }
    return rows.length
  }
}

export const backgroundTasks = new BackgroundTasks()
