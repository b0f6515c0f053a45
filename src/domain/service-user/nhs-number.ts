/**
 * NHS numbers: ten digits, the last a modulus-11 check digit over the first nine. A mistyped
 * digit or two swapped neighbours almost always breaks the check, so validating it at entry
 * keeps one person's record from being filed under another's number.
 */

/** "9434765919", "943 476 5919" or "943-476-5919": the usual 3-3-4 grouping with one kind of
 * separator throughout. Anything else (letters, 9 or 11 digits, odd grouping) is refused rather
 * than guessed at. */
const WRITTEN_FORM = /^(\d{3})([ -]?)(\d{3})\2(\d{4})$/;

/**
 * The check digit for the first nine digits (weights 10 down to 2; 11 − (sum mod 11); 11 → 0), or
 * null when the result is 10: the NHS never issues those nine digits as a number.
 */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) throw new RangeError(`expected nine digits, got "${firstNine}"`);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  return check === 10 ? null : check;
}

/** The ten digits of a valid NHS number however it was written, or null if it is not one. */
export function normaliseNhsNumber(input: string): string | null {
  const match = WRITTEN_FORM.exec(input.trim());
  if (!match) return null;
  const digits = `${match[1]}${match[3]}${match[4]}`;
  // Numbers of one repeated digit (0000000000, 1111111111, …) can pass the check but are never
  // issued; they are what someone types to get past a required field.
  if (/^(\d)\1{9}$/.test(digits)) return null;
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9]) ? digits : null;
}

export function isValidNhsNumber(input: string): boolean {
  return normaliseNhsNumber(input) !== null;
}

/** "943 476 5919", the way the number is printed on NHS letters and cards. Throws for anything that
 * is not a valid NHS number, so an unchecked number is never shown as if it were one. */
export function formatNhsNumber(digits: string): string {
  const valid = normaliseNhsNumber(digits);
  if (valid === null) throw new RangeError(`"${digits}" is not a valid NHS number`);
  return `${valid.slice(0, 3)} ${valid.slice(3, 6)} ${valid.slice(6)}`;
}
