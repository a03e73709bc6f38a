/*
 * Entry point for ace commands. TypeScript is compiled on the fly by ts-exec;
 * a production build ships compiled JavaScript and this file runs as is.
 */
import '@poppinss/ts-exec'

await import('./bin/console.js')
