import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Exit codes: 0 no FAIL (WARN allowed), 1 at least one check FAILed. */
export default class Doctor extends BaseCommand {
  static commandName = 'doctor'
  static description = 'Check the server: OK/WARN/FAIL per check with a hint, exit 1 on any FAIL'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the results as JSON' })
  declare json: boolean

  async run() {
    const { runDoctor, formatDoctor } = await import('#appliance/services/doctor')
    // The Polish texts are for the admin page; the CLI speaks English.
    const checks = await runDoctor()
    const results = checks.map(({ pl: _pl, ...rest }) => rest)
    process.stdout.write(`${this.json ? JSON.stringify(results) : formatDoctor(results)}\n`)
    if (results.some((r) => r.status === 'fail')) this.exitCode = 1
  }
}
