import vine from '@vinejs/vine'
import { STAFF_ROLES } from '#core/services/roles'

export const createStaffValidator = vine.create({
  login: vine
    .string()
    .trim()
    .regex(/^[a-z0-9._-]{3,60}$/),
  fullName: vine.string().trim().minLength(3).maxLength(200),
  email: vine.string().trim().email().maxLength(254),
  unit: vine
    .string()
    .trim()
    .regex(/^[A-Z]{1,10}$/)
    .optional(),
  roles: vine.array(vine.enum(STAFF_ROLES)).minLength(1),
  password: vine.string().minLength(8).maxLength(128),
})

export const updateStaffValidator = vine.create({
  fullName: vine.string().trim().minLength(3).maxLength(200),
  email: vine.string().trim().email().maxLength(254),
  unit: vine
    .string()
    .trim()
    .regex(/^[A-Z]{1,10}$/)
    .optional(),
  roles: vine.array(vine.enum(STAFF_ROLES)).minLength(1),
  isActive: vine.boolean().optional(),
  resetTotp: vine.boolean().optional(),
})
