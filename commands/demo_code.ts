import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Prints the current TOTP code of a demo staff account, so the demo can be tried without a phone. */
export default class DemoCode extends BaseCommand {
  static commandName = 'demo:code'
  static description = 'Print the current TOTP code of a staff account (demo mode only)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Staff login', required: false })
  declare login?: string

  async run() {
    const { default: ratuszConfig } = await import('#config/ratusz')
    if (!ratuszConfig.demo) {
      process.stderr.write('demo:code only works when RATUSZ_DEMO=true\n')
      this.exitCode = 2
      return
    }
    const { default: StaffUser } = await import('#core/models/staff_user')
    const { default: totp } = await import('#core/services/totp')
    const user = await StaffUser.findBy('login', this.login ?? 'admin')
    const secret = user?.totpSecret ? totp.decrypt(user.totpSecret) : null
    if (!secret) {
      process.stderr.write(`No TOTP secret for "${this.login ?? 'admin'}"\n`)
      this.exitCode = 2
      return
    }
    process.stdout.write(totp.generate(secret) + '\n')
  }
}
