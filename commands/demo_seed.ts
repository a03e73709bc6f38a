import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class DemoSeed extends BaseCommand {
  static commandName = 'demo:seed'
  static description =
    'Fill an empty database with a demo gmina (Gmina Przykładowa) and print the demo logins'
  static options: CommandOptions = { startApp: true }

  @flags.number({
    description: 'Multiply the amount of demo data (benchmark data sets)',
    default: 1,
  })
  declare scale: number

  @flags.boolean({ description: 'Print the logins as JSON' })
  declare json: boolean

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    await import('#start/demo')
    const { demoRegistry } = await import('#core/services/demo_registry')
    const { default: setupState } = await import('#core/services/setup_state')

    const existing = await db.from('staff_users').count('* as total').first()
    if (Number(existing?.total ?? 0) > 0) {
      process.stderr.write(
        'The database is not empty (staff accounts exist): demo data is only seeded into an empty database.\n'
      )
      this.exitCode = 2
      return
    }
    if (!Number.isInteger(this.scale) || this.scale < 1 || this.scale > 1000) {
      process.stderr.write('--scale must be an integer between 1 and 1000\n')
      this.exitCode = 2
      return
    }
    const context = {
      scale: this.scale,
      logins: [] as import('#core/services/demo_registry').DemoLogin[],
    }
    await db.transaction(async (trx) => {
      for (const seeder of demoRegistry.seeders) {
        await seeder.run({ ...context, trx })
      }
    })
    setupState.forget()
    if (this.json) {
      process.stdout.write(JSON.stringify(context.logins) + '\n')
      return
    }
    this.logger.success(
      `Demo data seeded (${demoRegistry.seeders.map((s) => s.module).join(', ')})`
    )
    const table = this.ui.table()
    table.head(['where', 'login', 'password', 'role', 'note'])
    for (const login of context.logins)
      table.row([login.realm, login.login, login.password, login.role, login.note ?? ''])
    table.render()
  }
}
