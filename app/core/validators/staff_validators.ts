import vine from '@vinejs/vine'
import { STAFF_ROLES } from '#core/services/roles'

/* What an administrator may set on any staff account; anything else in the form is ignored. */
const editableFields = {
  fullName: vine.string().trim().minLength(3).maxLength(200),
  email: vine.string().trim().email().maxLength(254),
  unit: vine
    .string()
    .trim()
    .regex(/^[A-Z]{1,10}$/)
    .optional(),
  roles: vine.array(vine.enum(STAFF_ROLES)).minLength(1),
}

export const createStaffValidator = vine.create({
  ...editableFields,
  login: vine
    .string()
    .trim()
    .regex(/^[a-z0-9._-]{3,60}$/),
  password: vine.string().minLength(8).maxLength(128),
})

export const updateStaffValidator = vine.create({
  ...editableFields,
  isActive: vine.boolean().optional(),
  resetTotp: vine.boolean().optional(),
})
