/*
 * Module diary: routes arrive with its issue. Loaded by start/routes.ts so the
 * module can register its routes without touching core.
 */
export {}
