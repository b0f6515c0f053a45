import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { acceptableSteps, normaliseRecoveryCode, spentSteps, timeStep, TOTP_DIGITS, TOTP_PERIOD_SECONDS } from '../../domain/auth/totp';
import type { Role } from '../../domain/staff/roles';
import type { ServerConfig } from '../config';

export const TOTP_ISSUER = 'openhat';
export const RECOVERY_CODE_COUNT = 8;
/** How long a session that has passed only the password may take to enrol or answer a code. */
export const PENDING_SECOND_FACTOR_MINUTES = 15;

/** A new shared secret: 160 random bits (RFC 4226's recommended length), in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUri(secretBase32: string, email: string): string {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: email,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1', // what every authenticator app supports
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The QR code of the otpauth URI as a PNG data URL (the CSP allows data: images). */
export function qrCodeDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

export function codeForStep(secretBase32: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(secretBase32), counter: step, digits: TOTP_DIGITS, algorithm: 'SHA1' });
}

const sameCode = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export type CodeCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'reused' };

/**
 * Check a six-digit code against the steps the domain rules allow now. A code that matches a step
 * already spent is reported as reused, so the person knows to wait for the next code.
 */
export function checkCode(secretBase32: string, code: string, nowEpochMs: number, lastUsedStep: number | null): CodeCheck {
  const current = timeStep(nowEpochMs);
  for (const step of acceptableSteps(current, lastUsedStep)) {
    if (sameCode(codeForStep(secretBase32, step), code)) return { ok: true, step };
  }
  for (const step of spentSteps(current, lastUsedStep)) {
    if (sameCode(codeForStep(secretBase32, step), code)) return { ok: false, reason: 'reused' };
  }
  return { ok: false, reason: 'wrong' };
}

/**
 * Secrets at rest: AES-256-GCM under OPENHAT_SECOND_FACTOR_KEY when it is set, so that a copy of
 * the database or a backup alone does not give anyone the second factor. Without a key the
 * secret is stored as it is (marked plain:) and the README says so.
 */
export function sealSecret(secretBase32: string, key: Buffer | null): string {
  if (!key) return `plain:${secretBase32}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(secretBase32, 'utf8'), cipher.final()]);
  return `aes256gcm:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
}

export function unsealSecret(sealed: string, key: Buffer | null): string {
  if (sealed.startsWith('plain:')) return sealed.slice('plain:'.length);
  const [scheme, iv, tag, body] = sealed.split(':');
  if (scheme !== 'aes256gcm' || !iv || !tag || !body) throw new Error('unknown second-factor secret format');
  if (!key) throw new Error('a second-factor secret is encrypted but OPENHAT_SECOND_FACTOR_KEY is not set');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

/** One-time recovery codes, for a lost phone: ten characters each, shown once, stored hashed. */
export function newRecoveryCodes(): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** 50 random bits each and single use: a plain SHA-256 is enough (no one can guess them offline faster than online). */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(`openhat-recovery:${normaliseRecoveryCode(code)}`).digest('hex');
}

/** Is a second factor required of this person, by the deployment's configuration? */
export function secondFactorRequired(
  config: Pick<ServerConfig, 'secondFactor'>,
  person: { deploymentAdmin: boolean },
  roles: Iterable<Role>,
): boolean {
  const required = config.secondFactor.requiredRoles;
  if (required.length === 0) return false;
  if (person.deploymentAdmin && required.includes('admin')) return true;
  for (const role of roles) if (required.includes(role)) return true;
  return false;
}
