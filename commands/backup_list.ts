import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class BackupList extends BaseCommand {
  static commandName = 'backup:list'
  static description = 'List backup snapshots with the recorded sizes and durations'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the snapshots as JSON' })
  declare json: boolean

  async run() {
    const { default: backupService } = await import('#appliance/services/backup_service')
    try {
      const snapshots = await backupService.snapshots()
      const { runs } = await backupService.status()
      const bySnapshot = new Map(runs.filter((r) => r.snapshot).map((r) => [r.snapshot, r]))
      const rows = snapshots.map((s) => ({ ...s, run: bySnapshot.get(s.id) ?? null }))
      if (this.json) {
        process.stdout.write(`${JSON.stringify(rows)}\n`)
        return
      }
      for (const row of rows) {
        const run = row.run
        process.stdout.write(
          `${row.short_id}  ${row.time.slice(0, 19).replace('T', ' ')}  ${(row.tags ?? []).join(',').padEnd(20)}  ${run ? `${(run.bytesProcessed / 1e6).toFixed(1)} MB  ${(run.durationMs / 1000).toFixed(1)} s` : ''}\n`
        )
      }
      process.stdout.write(`${rows.length} snapshot(s)\n`)
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`)
      this.exitCode = 1
    }
  }
}
