import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';

/**
 * Passwords typed to confirm an act (a witness's, a prescriber's signature) that were checked
 * against their Argon2 hash a few minutes ago.
 *
 * Why: at the dosing room the same health-care assistant witnesses every dose of a session, twice
 * a dose (preparation and administration), and an Argon2 check at the production cost takes a
 * good part of a second of a core. The password is still typed and still checked every time; a
 * password that matches one already proved against the same stored hash within the last few
 * minutes is checked against an HMAC of it instead (the idea of Apache's `mod_authn_socache`).
 *
 * What keeps this as strong as checking the hash every time:
 * - only a password that passed the Argon2 check is remembered; a wrong one never matches here, so
 *   it goes to the full check and counts towards the person's lockout exactly as before;
 * - the HMAC key is random per process and never stored, and the digest covers the person, the
 *   stored hash (a changed password or reset misses) and the password; comparison is constant-time;
 * - a remembered check expires a fixed time after the Argon2 check (not extended by use), and the
 *   caller checks that the person is active and not locked out before asking;
 * - nothing is written anywhere: a memory dump that could read these digests could as well read
 *   the passwords in the requests themselves.
 * `OPENHAT_CONFIRMATION_CACHE_MINUTES=0` turns it off (every confirmation pays the full check).
 */
export interface RecentConfirmations {
  /** True when this password was proved against this stored hash within the time allowed. */
  matches(staffId: string, passwordHash: string, password: string, now: Temporal.Instant): boolean;
  /** After a successful Argon2 check. */
  remember(staffId: string, passwordHash: string, password: string, now: Temporal.Instant): void;
  /** After a failed check, so a stale entry cannot outlive a lockout or a reset. */
  forget(staffId: string): void;
  /**
   * The whole check: true from a recent proof; otherwise `check` (the Argon2 verification), shared
   * by requests that ask about the same person, hash and password at the same time (when a session
   * starts, many doses ask about the same witness at once: one Argon2 check serves them all), then
   * remembered if it passed and forgotten if not.
   */
  prove(staffId: string, passwordHash: string, password: string, now: Temporal.Instant, check: () => Promise<boolean>): Promise<boolean>;
  readonly size: number;
}

export function recentConfirmations(options: { minutes: number; maxEntries?: number }): RecentConfirmations {
  const key = randomBytes(32);
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { digest: Buffer; provedAt: Temporal.Instant }>();
  const inFlight = new Map<string, Promise<boolean>>();
  const digestOf = (staffId: string, passwordHash: string, password: string) =>
    createHmac('sha256', key).update(staffId).update('\0').update(passwordHash).update('\0').update(password, 'utf8').digest();

  const self: RecentConfirmations = {
    matches(staffId, passwordHash, password, now) {
      if (options.minutes <= 0) return false;
      const entry = entries.get(staffId);
      if (!entry) return false;
      const age = entry.provedAt.until(now, { largestUnit: 'minutes' });
      // A clock that has gone backwards (a pinned test clock, a corrected server clock) proves nothing.
      if (age.sign < 0 || Temporal.Duration.compare(age, { minutes: options.minutes }) >= 0) {
        entries.delete(staffId);
        return false;
      }
      return timingSafeEqual(entry.digest, digestOf(staffId, passwordHash, password));
    },
    remember(staffId, passwordHash, password, now) {
      if (options.minutes <= 0) return;
      entries.delete(staffId);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(staffId, { digest: digestOf(staffId, passwordHash, password), provedAt: now });
    },
    forget(staffId) {
      entries.delete(staffId);
    },
    async prove(staffId, passwordHash, password, now, check) {
      if (options.minutes <= 0) return check();
      if (self.matches(staffId, passwordHash, password, now)) return true;
      const key = `${staffId}\0${digestOf(staffId, passwordHash, password).toString('base64')}`;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = check().finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
        const ok = await pending;
        if (ok) self.remember(staffId, passwordHash, password, now);
        else self.forget(staffId);
        return ok;
      }
      return pending;
    },
    get size() {
      return entries.size;
    },
  };
  return self;
}
