/*
 * Imported first by every entry point. @poppinss/cliui sizes the terminal when it is loaded;
 * with no terminal (systemd, the queue worker, tests and scripts running ace) that meant
 * spawning `tput` and then `resize` synchronously on every start, about 60 ms of the web
 * server's cold start. Without a terminal the size it falls back to is 80 × 24 anyway.
 */
if (!process.stdout.isTTY && !process.stderr.isTTY) {
  process.env.COLUMNS ??= '80'
  process.env.LINES ??= '24'
}
