import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'

const AuthFinder = withAuthFinder(() => hash.use('argon'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/** A resident or business using the e-BOK portal (mieszkaniec). */
export default class Resident extends compose(BaseModel, AuthFinder) {
  static table = 'residents'

  @column({ isPrimary: true })
  declare id: number

  @column({ prepare: (value: string) => value.trim().toLowerCase() })
  declare email: string

  @column()
  declare fullName: string

  @column({ serializeAs: null })
  declare password: string

  @column.dateTime()
  declare emailVerifiedAt: DateTime | null

  /* SQLite hands booleans back as 0/1. */
  @column({ consume: (value: unknown) => Boolean(value) })
  declare isActive: boolean

  @column.dateTime()
  declare lastLoginAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
