/*
 * Each module keeps its routes in app/<module>/routes.ts; this file only loads them.
 */
import '#core/routes'
