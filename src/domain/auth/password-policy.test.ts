import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS_LIST } from './common-passwords';
import { isCommonPassword, passwordProblems } from './password-policy';

describe('passwordProblems', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblems('correct horse battery staple')).toEqual([]);
  });

  it('refuses short passwords and names the field', () => {
    expect(passwordProblems('short', {}, 'newPassword')).toEqual([
      { field: 'newPassword', message: 'must be at least 12 characters (a few unrelated words work well)' },
    ]);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblems('ééééééééééé😀').some((p) => p.message.includes('at least'))).toBe(false);
  });

  it('refuses repeated characters, personal details and obvious words', () => {
    expect(passwordProblems('aaaaaaaaaaaaaaaa')[0]?.message).toContain('repeated');
    expect(passwordProblems('jane.smith-2026!', { email: 'jane.smith@clinic.nhs.uk' })[0]?.message).toContain(
      'name or email',
    );
    expect(passwordProblems('Smithsonian-rivers', { name: 'Ann Smith' })[0]?.message).toContain('name or email');
    expect(passwordProblems('password123456')[0]?.message).toBe('is too easy to guess');
  });
});

describe('the offline list of common passwords', () => {
  it('holds tens of thousands of entries and knows the famous ones', () => {
    expect(COMMON_PASSWORDS_LIST.split('\n').length).toBeGreaterThan(40_000);
    for (const p of ['123456', 'password', 'qwerty', 'iloveyou', 'trustno1']) expect(isCommonPassword(p), p).toBe(true);
  });

  it('refuses a long password from the list, whatever its case, with a 400-style problem naming the field', () => {
    expect(passwordProblems('1qaz2wsx3edc', {}, 'newPassword')).toEqual([
      { field: 'newPassword', message: expect.stringMatching(/^is one of the most common passwords/) },
    ]);
    expect(passwordProblems('QazWsxEdcRfv')[0]?.message).toMatch(/most common passwords/);
  });

  it('sees through spaces and digits or symbols added before or after', () => {
    expect(isCommonPassword('Sunshine2026!!!')).toBe(true);
    expect(isCommonPassword('  superman  ')).toBe(true);
    expect(isCommonPassword('super man')).toBe(true);
    expect(passwordProblems('Manchester2026!')[0]?.message).toMatch(/most common passwords/);
  });

  it('accepts passphrases that are not on it', () => {
    expect(isCommonPassword('correct horse battery staple')).toBe(false);
    expect(isCommonPassword('the team pass phrase')).toBe(false);
    expect(passwordProblems('kettle lantern orchard 7')).toEqual([]);
  });
});
