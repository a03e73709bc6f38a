/*
 * Reminders (upomnienia) as background tasks. The preview replays every
 * taxpayer's ledger (about a second over 20,000 taxpayers) and the issue
 * writes a PDF, ledger costs, e-BOK messages and e-mails per taxpayer: neither
 * may hold a request. The preview task keeps the list (read back by its page
 * and offered as CSV); the issue task commits taxpayer by taxpayer and checks
 * what is already demanded, so a run started again books nothing twice.
 */
import { readFile } from 'node:fs/promises'
import auditLog, { type AuditActor } from '#core/services/audit_log'
import {
  TaskFailure,
  taskFilePath,
  type BackgroundTask,
  type BackgroundTaskKind,
} from '#core/services/background_tasks'
import { formatDate } from '#core/services/formatting'
import { formatMoney } from '#core/services/money'
import { csvAmount, toCsv } from '#fees/services/reports'
import type { ReminderCriteria, ReminderPreview } from '#fees/services/reminders'

export interface RemindersPreviewParams extends ReminderCriteria {
  /** The amount as typed, to fill the form again. */
  minArrearsText: string
}

export interface RemindersIssueParams extends RemindersPreviewParams {
  actor: AuditActor
  ip: string | null
}

export const REMINDERS_PREVIEW_TASK = 'fees.reminders_preview'
export const REMINDERS_ISSUE_TASK = 'fees.reminders_issue'

const criteriaText = (params: ReminderCriteria) =>
  `na dzień ${formatDate(params.asOf)}, ponad ${params.minDaysOverdue} dni po terminie`

/** A ReminderError of the service becomes a failure the clerk reads on the task page. */
async function withReminderErrors<T>(work: () => Promise<T>): Promise<T> {
  const { ReminderError } = await import('#fees/services/reminders')
  try {
    return await work()
  } catch (error) {
    if (error instanceof ReminderError) throw new TaskFailure(error.message)
    throw error
  }
}

export const remindersPreviewTask: BackgroundTaskKind<RemindersPreviewParams> = {
  kind: REMINDERS_PREVIEW_TASK,
  ability: 'viewTaxes',
  title: (params) => `Lista do upomnienia ${criteriaText(params)}`,
  async run(task) {
    const { remindersPreview } = await import('#fees/services/reminders')
    const preview = await withReminderErrors(() =>
      remindersPreview(task.params, (done, total) =>
        task.progress(done, total, `Przeliczono konta podatników: ${done} z ${total}.`)
      )
    )
    await task.saveResult(
      `do-upomnienia-${task.params.asOf}.csv`,
      'text/csv; charset=utf-8',
      toCsv(
        ['id_podatnika', 'nazwa', 'adres', 'raty', 'zaleglosc', 'odsetki', 'koszty', 'razem'],
        preview.candidates.map((row) => [
          row.taxpayerId,
          row.name,
          row.address,
          row.installments.map((item) => `${item.label} (${item.due})`).join(', '),
          csvAmount(row.arrearsGr),
          csvAmount(row.interestGr),
          csvAmount(row.costGr),
          csvAmount(row.totalGr),
        ])
      )
    )
    task.summary.previewFile = await task.saveFile('podglad.json', JSON.stringify(preview))
    task.summary.totals = preview.totals
  },
  facts(task) {
    const { totals } = task.summary
    return [
      { label: 'Podatnicy do upomnienia', value: String(totals.count) },
      { label: 'Zaległość', value: formatMoney(totals.arrearsGr) },
      { label: 'Odsetki', value: formatMoney(totals.interestGr) },
      { label: 'Koszty upomnień', value: formatMoney(totals.costGr) },
      { label: 'Razem do zapłaty', value: formatMoney(totals.totalGr) },
    ]
  },
  links: (task) => [
    {
      href: `/panel/podatki/upomnienia/podglad/${task.id}`,
      label: 'Pokaż listę na ekranie i wystaw upomnienia',
    },
  ],
}

/** The list a finished preview task kept, or null when its files were removed. */
export async function previewOfTask(task: BackgroundTask): Promise<ReminderPreview | null> {
  const path = task.status === 'done' ? taskFilePath(task.summary.previewFile ?? null) : null
  if (!path) return null
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ReminderPreview
  } catch {
    return null
  }
}

export const remindersIssueTask: BackgroundTaskKind<RemindersIssueParams> = {
  kind: REMINDERS_ISSUE_TASK,
  ability: 'manageTaxes',
  title: (params) => `Wystawienie upomnień ${criteriaText(params)}`,
  async run(task) {
    const { issueReminders } = await import('#fees/services/reminders')
    const { actor, ip, asOf, minDaysOverdue, minArrearsGr } = task.params
    const criteria = { asOf, minDaysOverdue, minArrearsGr }
    await task.progress(0, 0, 'Przygotowanie listy podatników do upomnienia.')
    const result = await withReminderErrors(() =>
      issueReminders({ ...criteria, staffId: task.ownerId }, (done, total) =>
        task.progress(done, total, `Wystawiono upomnienia dla ${done} z ${total} podatników.`)
      )
    )
    await auditLog.record({
      actor,
      ip,
      action: 'fees.reminders_issued',
      subjectType: 'fees_reminder_batch',
      subjectId: result.batch,
      details: { created: result.createdIds.length, skipped: result.skipped },
    })
    Object.assign(task.summary, {
      batch: result.batch,
      created: result.createdIds.length,
      skipped: result.skipped,
    })
  },
  facts(task) {
    const { created, skipped } = task.summary
    return [
      {
        label: 'Wynik',
        value: created
          ? 'Upomnienia wystawiono. Wydrukuj je i przekaż do wysyłki według zestawienia partii.'
          : 'Nie wystawiono nowych upomnień: wszystkie zaległości spełniające kryteria zostały już objęte upomnieniami.',
      },
      { label: 'Wystawione upomnienia', value: String(created) },
      ...(skipped
        ? [{ label: 'Pominięci (upomnieni w międzyczasie)', value: String(skipped) }]
        : []),
    ]
  },
  links: (task) =>
    task.summary.created
      ? [
          {
            href: `/panel/podatki/upomnienia/partie/${task.summary.batch}`,
            label: `Partia ${task.summary.batch}: pisma i zestawienie do wysyłki`,
          },
        ]
      : [{ href: '/panel/podatki/upomnienia', label: 'Wróć do upomnień' }],
}
