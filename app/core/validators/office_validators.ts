import vine from '@vinejs/vine'
import { nip, nrb, postalCode, regon } from '#core/validators/polish_rules'

const profileFields = {
  name: vine.string().trim().minLength(3).maxLength(200),
  teryt: vine
    .string()
    .trim()
    .regex(/^\d{7}$/),
  street: vine.string().trim().minLength(3).maxLength(200),
  postalCode: postalCode(),
  city: vine.string().trim().minLength(2).maxLength(100),
  nip: nip(),
  regon: regon(),
  bankAccount: nrb(),
  email: vine.string().trim().email().maxLength(254),
  phone: vine
    .string()
    .trim()
    .regex(/^[+\d][\d\s()-]{6,29}$/),
  openingHours: vine.string().trim().maxLength(500).optional(),
  logo: vine.file({ size: '1mb', extnames: ['png', 'jpg', 'jpeg'] }).optional(),
}

export const officeProfileValidator = vine.create(profileFields)

export const setupValidator = vine.create({
  ...profileFields,
  adminLogin: vine
    .string()
    .trim()
    .regex(/^[a-z0-9._-]{3,60}$/),
  adminName: vine.string().trim().minLength(3).maxLength(200),
  adminEmail: vine.string().trim().email().maxLength(254),
  password: vine
    .string()
    .minLength(8)
    .maxLength(128)
    .confirmed({ confirmationField: 'password_confirmation' }),
})
