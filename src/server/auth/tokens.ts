import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe. The database keeps only the SHA-256, so a stolen backup holds no live session. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The CSRF token is derived from the session token, so it needs no storage and changes whenever
 * the session rotates; a page on another site can read neither the HttpOnly cookie nor this.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`openhat-csrf:${sessionToken}`).digest('base64url');
}

export function csrfTokenMatches(sessionToken: string, presented: string): boolean {
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A temporary password that is easy to read out and type: five groups of four. */
export function newTemporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars = Array.from({ length: 20 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 4, 8, 12, 16].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
