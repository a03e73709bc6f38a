import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import OfficeProfile from '#core/models/office_profile'
import publicPageCache from '#core/services/public_page_cache'

export interface OfficeProfileData {
  name: string
  teryt: string
  street: string
  postalCode: string
  city: string
  nip: string
  regon: string
  bankAccount: string
  email: string
  phone: string
  openingHours?: string | null
  logoPath?: string | null
}

/** Reads the office profile (cached: every public page shows it) and saves changes. */
class OfficeProfileService {
  #cached: OfficeProfile | null = null

  async get(): Promise<OfficeProfile | null> {
    if (!this.#cached) this.#cached = await OfficeProfile.query().orderBy('id').first()
    return this.#cached
  }

  async save(data: OfficeProfileData, trx?: TransactionClientContract): Promise<OfficeProfile> {
    const existing = await OfficeProfile.query({ client: trx }).orderBy('id').first()
    const profile = existing ?? new OfficeProfile()
    if (trx) profile.useTransaction(trx)
    profile.merge(data)
    await profile.save()
    const refresh = () => this.forget()
    if (trx) trx.after('commit', refresh)
    else refresh()
    return profile
  }

  forget() {
    this.#cached = null
    publicPageCache.clear()
  }

  async exists(): Promise<boolean> {
    return Boolean(await db.from('office_profiles').select('id').first())
  }
}

const officeProfileService = new OfficeProfileService()
export default officeProfileService
