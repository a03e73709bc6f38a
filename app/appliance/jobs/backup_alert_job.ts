import { Job } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import backupService from '#appliance/services/backup_service'

/** Hourly: e-mail the administrator (once a day) when no backup succeeded for 26 hours. */
export default class BackupAlertJob extends Job<Record<string, never>> {
  static options: JobOptions = { name: 'appliance.backup_alert', maxRetries: 0 }

  async execute() {
    await backupService.alertIfStale()
  }
}
