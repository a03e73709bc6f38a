import db from '@adonisjs/lucid/services/db'
import { whereHasRole } from '#core/services/roles'

/**
 * Whether the first-run wizard has been completed (an office profile and an
 * administrator exist). Cached once true: setup never becomes undone.
 */
class SetupState {
  #complete = false

  async isComplete(): Promise<boolean> {
    if (this.#complete) return true
    const profile = await db.from('office_profiles').select('id').first()
    const admin = await whereHasRole(db.from('staff_users'), 'admin').select('id').first()
    this.#complete = Boolean(profile && admin)
    return this.#complete
  }

  /** Tests reset the database between runs. */
  forget() {
    this.#complete = false
  }
}

const setupState = new SetupState()
export default setupState
