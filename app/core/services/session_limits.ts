/* Session lifetimes: idle (no request for this long) and absolute (since sign-in). */
export const SESSION_LIMITS = {
  idleMs: 30 * 60 * 1000,
  staffAbsoluteMs: 10 * 60 * 60 * 1000,
  residentAbsoluteMs: 8 * 60 * 60 * 1000,
  /* A password step waits this long for its TOTP code. */
  pendingTotpMs: 5 * 60 * 1000,
}
