import { DateTime } from 'luxon'

/**
 * A timestamp for hand-written queries, in the same form Lucid writes for
 * DateTime columns, so SQLite stores comparable text (not epoch numbers) and
 * PostgreSQL gets a plain timestamp.
 */
export function sqlTimestamp(date: Date | DateTime = new Date()): string {
  const value = date instanceof Date ? DateTime.fromJSDate(date) : date
  return value.toFormat('yyyy-MM-dd HH:mm:ss')
}
