import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A village or town of the gmina (miejscowość); "kind" is wieś, osada, kolonia, miasto. */
export default class Locality extends BaseModel {
  static table = 'localities'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare kind: string

  /** SIMC identifier from the TERYT register. */
  @column()
  declare simc: string | null

  @column()
  declare postalCode: string

  @column()
  declare population: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
