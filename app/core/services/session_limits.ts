/* Idle timeout is the session cookie's age (config/session.ts); these are the absolute limits. */
export const SESSION_LIMITS = {
  staffAbsoluteMs: 10 * 60 * 60 * 1000,
  residentAbsoluteMs: 8 * 60 * 60 * 1000,
  /* A password step waits this long for its TOTP code. */
  pendingTotpMs: 5 * 60 * 1000,
}
