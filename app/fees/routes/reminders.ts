/* Reminders (upomnienia): preview, issue, batches with the list for posting, letters. */
import router from '@adonisjs/core/services/router'
import { signedInStaffStack } from '#core/routes'

const RemindersController = () => import('#fees/controllers/reminders_controller')

router
  .group(() => {
    router.get('/', [RemindersController, 'index']).as('fees.reminders.index')
    router.post('/', [RemindersController, 'issue']).as('fees.reminders.issue')
    router.post('/podglad', [RemindersController, 'startPreview']).as('fees.reminders.preview')
    router
      .get('/podglad/:id', [RemindersController, 'previewResult'])
      .as('fees.reminders.preview_result')
      .where('id', router.matchers.number())
    router.get('/partie/:id', [RemindersController, 'batch']).as('fees.reminders.batch')
    router.get('/partie/:id/csv', [RemindersController, 'batchCsv']).as('fees.reminders.csv')
    router
      .post('/partie/:id/nadane', [RemindersController, 'markPosted'])
      .as('fees.reminders.posted')
    router
      .get('/:id/pdf', [RemindersController, 'pdf'])
      .as('fees.reminders.pdf')
      .where('id', router.matchers.number())
  })
  .prefix('/panel/podatki/upomnienia')
  .use(signedInStaffStack())
