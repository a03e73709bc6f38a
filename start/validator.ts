/*
 * VineJS reports errors in Polish by default; the English text comes from the
 * i18n files when the visitor switches language.
 */
import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { validationMessages } from '#core/validators/messages'

vine.messagesProvider = new SimpleMessagesProvider(validationMessages)
