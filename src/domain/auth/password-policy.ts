import type { FieldProblem } from '../validation';
import { COMMON_PASSWORDS_LIST } from './common-passwords';

/**
 * NCSC and NIST SP 800-63B favour length over composition rules: at least 12 characters, no
 * forced mixture of symbols, and refusal of passwords that are obviously guessable.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const OBVIOUS = ['password', 'openhat', 'diamorphine', 'heroin', 'qwerty', '123456', 'letmein', 'welcome'];

let common: Set<string> | null = null;

/**
 * Is this password on the offline list of the most common (breached) passwords, ignoring case,
 * spaces, and digits or symbols merely added before or after it ("Sunshine2026!!")? NIST SP
 * 800-63B 3.1.1.2 asks verifiers to refuse passwords found in breach corpuses.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(COMMON_PASSWORDS_LIST.split('\n'));
  const lower = password.toLowerCase();
  const candidates = new Set([lower, lower.replace(/\s+/g, '')]);
  for (const c of [...candidates]) {
    const core = c.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    if (core.length >= 4) candidates.add(core);
  }
  return [...candidates].some((c) => common!.has(c));
}

export function passwordProblems(
  password: string,
  about: { email?: string; name?: string } = {},
  field = 'password',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    problems.push({ field, message: `must be at least ${PASSWORD_MIN_LENGTH} characters (a few unrelated words work well)` });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    problems.push({ field, message: `must be at most ${PASSWORD_MAX_LENGTH} characters` });
  }
  const lower = password.toLowerCase();
  if (length > 0 && new Set(lower).size <= 2) {
    problems.push({ field, message: 'must not be one or two characters repeated' });
  }
  const personal = [about.email?.split('@')[0], ...(about.name?.split(/\s+/) ?? [])]
    .filter((part): part is string => !!part && part.length >= 4)
    .map((part) => part.toLowerCase());
  if (personal.some((part) => lower.includes(part))) {
    problems.push({ field, message: 'must not contain your name or email address' });
  }
  const stripped = lower.replace(/[^a-z0-9]/g, '');
  if (OBVIOUS.some((word) => stripped.replace(/\d+$/, '') === word || stripped === `${word}${word}`)) {
    problems.push({ field, message: 'is too easy to guess' });
  } else if (length >= PASSWORD_MIN_LENGTH && isCommonPassword(password)) {
    problems.push({ field, message: 'is one of the most common passwords, which attackers try first: choose another (a few unrelated words work well)' });
  }
  return problems;
}
