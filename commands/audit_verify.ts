import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class AuditVerify extends BaseCommand {
  static commandName = 'audit:verify'
  static description = 'Check the audit log hash chain and report the first broken link'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: auditLog } = await import('#core/services/audit_log')
    const { checked, broken } = await auditLog.verify()
    if (broken) {
      process.stderr.write(
        `audit chain BROKEN at entry ${broken.id}: ${broken.reason} (${checked} entries before it are intact)\n`
      )
      this.exitCode = 1
      return
    }
    process.stdout.write(`audit chain OK: ${checked} entries verified\n`)
  }
}
