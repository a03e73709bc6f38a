/*
 * Kinds of background tasks, module by module: long work a staff member starts
 * from a page and the queue worker runs (see #core/services/background_tasks).
 */
import { backgroundTasks } from '#core/services/background_tasks'
import { arrearsTask } from '#fees/services/arrears_task'
import { importTask } from '#fees/services/import_task'
import { remindersIssueTask, remindersPreviewTask } from '#fees/services/reminders_task'

backgroundTasks.register(arrearsTask)
backgroundTasks.register(importTask)
backgroundTasks.register(remindersPreviewTask)
backgroundTasks.register(remindersIssueTask)
