import vine from '@vinejs/vine'

export const staffLoginValidator = vine.create({
  login: vine.string().trim().minLength(1).maxLength(60),
  password: vine.string().minLength(1).maxLength(1000),
})

export const totpCodeValidator = vine.create({
  code: vine
    .string()
    .trim()
    .regex(/^\d{3}\s?\d{3}$/),
})

export const residentLoginValidator = vine.create({
  email: vine.string().trim().email().maxLength(254),
  password: vine.string().minLength(1).maxLength(1000),
})

export const residentRegisterValidator = vine.create({
  fullName: vine.string().trim().minLength(3).maxLength(200),
  email: vine.string().trim().email().maxLength(254),
  password: vine
    .string()
    .minLength(8)
    .maxLength(128)
    .confirmed({ confirmationField: 'password_confirmation' }),
  consent: vine.accepted(),
})

export const emailOnlyValidator = vine.create({
  email: vine.string().trim().email().maxLength(254),
})

export const newPasswordValidator = vine.create({
  password: vine
    .string()
    .minLength(8)
    .maxLength(128)
    .confirmed({ confirmationField: 'password_confirmation' }),
})

export const changePasswordValidator = vine.create({
  current_password: vine.string().minLength(1).maxLength(1000),
  password: vine
    .string()
    .minLength(8)
    .maxLength(128)
    .confirmed({ confirmationField: 'password_confirmation' }),
})
