import type { LucidModel } from '@adonisjs/lucid/types/model'

/**
 * Signed-in accounts as model instances, without hydrating the same row again on every request.
 *
 * Lucid builds a model from a row column by column (date columns through luxon, then a deep
 * copy of every attribute into `$original`); for the signed-in account that was about two thirds
 * of the cost of reading it, on every page. The row itself is still read on every request (with
 * the session row, in one query): when every column equals the row this process last hydrated
 * for that account, the request gets a fresh instance copied from that one; any difference —
 * written by this process, the worker, the CLI or rolled back in a test — hydrates anew. So a
 * copy can never be staler than the row just read, and no invalidation is needed.
 *
 * Each request gets its own instance: attributes are copied (arrays too), so changing the
 * account in one request never shows in another. Date attributes are luxon DateTimes, which
 * are immutable and safe to share.
 */
interface Snapshot {
  row: Record<string, unknown>
  attributes: Record<string, unknown>
  original: Record<string, unknown>
}

/* A few hundred signed-in staff and residents at most; oldest first out beyond that. */
const MAX_SNAPSHOTS = 1000
const snapshots = new Map<string, Snapshot>()

function sameRow(a: Record<string, unknown>, b: Record<string, unknown>) {
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  for (const key of keys) {
    const x = a[key]
    const y = b[key]
    if (x === y) continue
    if (x instanceof Date && y instanceof Date && x.getTime() === y.getTime()) continue
    return false
  }
  return true
}

function copyValues(values: Record<string, unknown>) {
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(values)) {
    const value = values[key]
    copy[key] = Array.isArray(value) ? [...value] : value
  }
  return copy
}

export function accountFromRow<Model extends LucidModel>(
  model: Model,
  row: Record<string, unknown>
): InstanceType<Model> {
  const key = `${model.table}:${row.id}`
  const known = snapshots.get(key)
  if (known && sameRow(known.row, row)) {
    const instance = new model() as InstanceType<Model>
    instance.$attributes = copyValues(known.attributes)
    instance.$original = copyValues(known.original)
    instance.$isPersisted = true
    instance.$isLocal = false
    return instance
  }
  const instance = model.$createFromAdapterResult(row) as InstanceType<Model>
  snapshots.delete(key)
  if (snapshots.size >= MAX_SNAPSHOTS) snapshots.delete(snapshots.keys().next().value!)
  snapshots.set(key, {
    row: { ...row },
    attributes: copyValues(instance.$attributes),
    original: copyValues(instance.$original),
  })
  return instance
}

/** How many accounts are held (tests). */
export function accountSnapshotCount() {
  return snapshots.size
}
