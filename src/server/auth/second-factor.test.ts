import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { timeStep } from '../../domain/auth/totp';
import { loadConfig } from '../config';
import {
  checkCode,
  codeForStep,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  RECOVERY_CODE_COUNT,
  sealSecret,
  secondFactorRequired,
  unsealSecret,
} from './second-factor';

// RFC 6238 appendix B: the SHA-1 secret is the ASCII "12345678901234567890".
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP codes', () => {
  it('match the RFC 6238 test vectors (their last six digits)', () => {
    for (const [seconds, eightDigits] of [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ] as const) {
      expect(codeForStep(RFC_SECRET, timeStep(seconds * 1000)), String(seconds)).toBe(eightDigits.slice(2));
    }
  });

  it('accept a step either side, refuse older ones, and say when a code was already used', () => {
    const now = 1234567890_000;
    const step = timeStep(now);
    expect(checkCode(RFC_SECRET, codeForStep(RFC_SECRET, step - 1), now, null)).toEqual({ ok: true, step: step - 1 });
    expect(checkCode(RFC_SECRET, codeForStep(RFC_SECRET, step + 1), now, null)).toEqual({ ok: true, step: step + 1 });
    expect(checkCode(RFC_SECRET, codeForStep(RFC_SECRET, step - 2), now, null)).toEqual({ ok: false, reason: 'wrong' });
    expect(checkCode(RFC_SECRET, codeForStep(RFC_SECRET, step), now, step)).toEqual({ ok: false, reason: 'reused' });
    expect(checkCode(RFC_SECRET, codeForStep(RFC_SECRET, step - 1), now, step)).toEqual({ ok: false, reason: 'reused' });
    expect(checkCode(RFC_SECRET, codeForStep(RFC_SECRET, step + 1), now, step)).toEqual({ ok: true, step: step + 1 });
  });

  it('makes 160-bit secrets', () => {
    expect(newTotpSecret()).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(newTotpSecret());
  });
});

describe('secrets at rest', () => {
  it('are encrypted with the key, and a wrong key or a changed byte is detected', () => {
    const key = randomBytes(32);
    const secret = newTotpSecret();
    const sealed = sealSecret(secret, key);
    expect(sealed).toMatch(/^aes256gcm:/);
    expect(sealed).not.toContain(secret);
    expect(sealSecret(secret, key)).not.toBe(sealed); // a new IV each time
    expect(unsealSecret(sealed, key)).toBe(secret);
    expect(() => unsealSecret(sealed, randomBytes(32))).toThrow();
    const [scheme, iv, tag, body] = sealed.split(':');
    const flipped = Buffer.from(body!, 'base64');
    flipped[0]! ^= 1;
    expect(() => unsealSecret([scheme, iv, tag, flipped.toString('base64')].join(':'), key)).toThrow();
    expect(() => unsealSecret(sealed, null)).toThrow(/OPENHAT_SECOND_FACTOR_KEY/);
  });

  it('are kept as they are without a key', () => {
    expect(unsealSecret(sealSecret('ABC', null), null)).toBe('ABC');
  });
});

describe('recovery codes', () => {
  it('are eight different codes, hashed without case or dashes', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(hashRecoveryCode(codes[0]!.toUpperCase().replace('-', ' '))).toBe(hashRecoveryCode(codes[0]!));
    expect(hashRecoveryCode(codes[0]!)).not.toBe(hashRecoveryCode(codes[1]!));
  });
});

describe('who must use a second factor', () => {
  const config = loadConfig({});
  it('by default: administrators, prescribers, accountable officers and deployment administrators', () => {
    expect(secondFactorRequired(config, { deploymentAdmin: false }, ['admin'])).toBe(true);
    expect(secondFactorRequired(config, { deploymentAdmin: false }, ['nurse', 'prescriber'])).toBe(true);
    expect(secondFactorRequired(config, { deploymentAdmin: false }, ['cd_accountable'])).toBe(true);
    expect(secondFactorRequired(config, { deploymentAdmin: true }, [])).toBe(true);
    for (const role of ['nurse', 'hca', 'keyworker', 'commissioner'] as const) {
      expect(secondFactorRequired(config, { deploymentAdmin: false }, [role]), role).toBe(false);
    }
  });

  it('nobody with OPENHAT_SECOND_FACTOR_ROLES=none', () => {
    const none = loadConfig({ OPENHAT_SECOND_FACTOR_ROLES: 'none' });
    expect(secondFactorRequired(none, { deploymentAdmin: true }, ['admin', 'prescriber'])).toBe(false);
  });
});
