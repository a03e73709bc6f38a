import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The cost of a reminder (koszty upomnienia) is set by regulation and changes:
 * it is a dated setting, read as of the reminder's date.
 */
export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      const exists = await db
        .from('settings')
        .where({ key: 'fees.reminder_cost_gr', effective_from: '2000-01-01' })
        .first()
      if (exists) return
      const now = new Date().toISOString().slice(0, 19).replace('T', ' ')
      await db.table('settings').insert({
        key: 'fees.reminder_cost_gr',
        effective_from: '2000-01-01',
        value: '1600',
        created_at: now,
        updated_at: now,
      })
    })
  }

  async down() {
    this.defer(async (db) => {
      await db.from('settings').where('key', 'fees.reminder_cost_gr').delete()
    })
  }
}
