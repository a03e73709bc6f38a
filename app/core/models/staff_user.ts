import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { type StaffRole, parseRoles, serializeRoles } from '#core/services/roles'

const AuthFinder = withAuthFinder(() => hash.use('argon'), {
  uids: ['login'],
  passwordColumnName: 'password',
})

/** An office employee (urzędnik, kierownik, skarbnik, informatyk). */
export default class StaffUser extends compose(BaseModel, AuthFinder) {
  static table = 'staff_users'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare login: string

  @column()
  declare fullName: string

  @column()
  declare email: string

  @column()
  declare unit: string | null

  @column({
    prepare: (roles: StaffRole[]) => serializeRoles(roles),
    consume: (value: string) => parseRoles(value),
  })
  declare roles: StaffRole[]

  @column({ serializeAs: null })
  declare password: string

  /** Encrypted with the app key; never serialised. */
  @column({ serializeAs: null })
  declare totpSecret: string | null

  @column.dateTime()
  declare totpEnabledAt: DateTime | null

  @column({ serializeAs: null })
  declare totpLastStep: number | null

  /* SQLite hands booleans back as 0/1. */
  @column({ consume: (value: unknown) => Boolean(value) })
  declare isActive: boolean

  @column.dateTime()
  declare lastLoginAt: DateTime | null

  @column.dateTime()
  declare passwordChangedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  hasRole(...roles: StaffRole[]): boolean {
    return roles.some((role) => this.roles.includes(role))
  }

  get isAdmin(): boolean {
    return this.roles.includes('admin')
  }

  get hasTotp(): boolean {
    return this.totpEnabledAt !== null && this.totpSecret !== null
  }
}
