/*
 * Each module keeps its routes in app/<module>/routes.ts; this file only loads them.
 */
import '#core/routes'
import '#portal/routes'
import '#fees/routes'
import '#payments/routes'
import '#booking/routes'
import '#documents/routes'
import '#alerts/routes'
import '#meetings/routes'
import '#learning/routes'
import '#diary/routes'
import '#appliance/routes'
