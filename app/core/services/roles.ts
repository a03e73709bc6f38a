/** Roles of every realm. Staff roles live on staff_users; school roles arrive with the diary module. */
export const STAFF_ROLES = ['admin', 'manager', 'clerk', 'treasurer', 'teacher'] as const
export const SCHOOL_ROLES = ['teacher', 'parent', 'pupil'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]
export type SchoolRole = (typeof SCHOOL_ROLES)[number]

export const ROLE_LABELS: Record<string, string> = {
  admin: 'Administrator',
  manager: 'Kierownik',
  clerk: 'Urzędnik',
  treasurer: 'Skarbnik / księgowość',
  teacher: 'Nauczyciel',
  parent: 'Rodzic',
  pupil: 'Uczeń',
}

export function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value)
}

export function parseRoles(value: string | null | undefined): StaffRole[] {
  return (value ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter(isStaffRole)
}

export function serializeRoles(roles: readonly string[]): string {
  return [...new Set(roles.filter(isStaffRole))].sort().join(',')
}

/** Narrows a staff_users query to holders of a role (roles is a sorted comma-separated list). */
export function whereHasRole<
  Q extends { where(column: string, operator: string, value: string): Q },
>(query: Q, role: StaffRole): Q {
  return query.where('roles', 'like', `%${role}%`)
}
