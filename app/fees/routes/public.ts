/* Anonymous fees pages (off the session stack), e.g. the interest calculator. */
export {}
