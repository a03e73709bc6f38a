import db from '@adonisjs/lucid/services/db'

/**
 * Values that change with the law or a council resolution, each valid from a
 * date: the value in force on a day is the row with the latest effective_from
 * not after it.
 */
export const settings = {
  async valueAt(key: string, date: string): Promise<string | null> {
    const row = await db
      .from('settings')
      .where('key', key)
      .where('effective_from', '<=', date)
      .orderBy('effective_from', 'desc')
      .first()
    return row ? String(row.value) : null
  },

  async numberAt(key: string, date: string, fallback: number): Promise<number> {
    const value = await this.valueAt(key, date)
    return value === null ? fallback : Number(value)
  },
}
