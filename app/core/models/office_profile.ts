import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** The office's own data (dane urzędu), shown on public pages and printed on letters. */
export default class OfficeProfile extends BaseModel {
  static table = 'office_profiles'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  /** TERYT code of the gmina (7 digits: voivodeship, county, gmina, type). */
  @column()
  declare teryt: string

  @column()
  declare street: string

  @column()
  declare postalCode: string

  @column()
  declare city: string

  @column()
  declare nip: string

  @column()
  declare regon: string

  @column()
  declare bankAccount: string

  @column()
  declare email: string

  @column()
  declare phone: string

  @column()
  declare openingHours: string | null

  @column()
  declare logoPath: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
