import { configApp } from '@adonisjs/eslint-config'

export default configApp({
  ignores: ['build/**', 'storage/**', 'tmp/**', 'public/vendor/**', 'bench/results.json'],
})
