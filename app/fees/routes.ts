/*
 * Module fees: each area keeps its routes in app/fees/routes/<area>.ts.
 * Staff pages live under /panel/podatki (configuration under
 * /panel/podatki/konfiguracja), resident pages under /konto/podatki.
 */
import '#fees/routes/public'
import '#fees/routes/reports'
import '#fees/routes/clerk'
import '#fees/routes/documents'
import '#fees/routes/reminders'
import '#fees/routes/resident'
import '#fees/routes/configuration'
import '#fees/routes/charges'
import '#fees/routes/import'
