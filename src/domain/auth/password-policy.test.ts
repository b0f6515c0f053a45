import { describe, expect, it } from 'vitest';
import { passwordProblems } from './password-policy';

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
