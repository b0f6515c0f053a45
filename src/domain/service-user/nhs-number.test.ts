import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatNhsNumber, isValidNhsNumber, nhsCheckDigit, normaliseNhsNumber } from './nhs-number';

// An independent statement of the NHS check, written differently from the module on purpose:
// weights listed out, the 11 → 0 case folded in with a second modulus.
const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2];
function checkDigitByHand(digits: string): number {
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * (digits.charCodeAt(i) - 48), 0);
  return (11 - (sum % 11)) % 11; // 10 means "no valid check digit"
}
function validByHand(digits: string): boolean {
  if (digits.length !== 10 || [...digits].some((d) => d < '0' || d > '9')) return false;
  if (new Set(digits).size === 1) return false;
  const check = checkDigitByHand(digits);
  return check !== 10 && check === digits.charCodeAt(9) - 48;
}

const KNOWN_VALID = ['9434765919', '9434765870', '4010232137'];

describe('NHS number', () => {
  it.each(KNOWN_VALID)('accepts the commonly used test number %s, and the hand computation agrees', (number) => {
    expect(validByHand(number)).toBe(true);
    expect(isValidNhsNumber(number)).toBe(true);
    expect(normaliseNhsNumber(number)).toBe(number);
  });

  it('works the check digit of 943 476 5919 out in full', () => {
    // 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9
    expect(nhsCheckDigit('943476591')).toBe(9);
  });

  it('gives 0 when 11 − (sum mod 11) is 11 (943 476 587 → 0)', () => {
    expect(nhsCheckDigit('943476587')).toBe(0);
    expect(isValidNhsNumber('9434765870')).toBe(true);
  });

  it('gives no check digit when 11 − (sum mod 11) is 10, and then no tenth digit makes a valid number', () => {
    expect(nhsCheckDigit('100000001')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`100000001${d}`)).toBe(false);
  });

  it('refuses every wrong check digit', () => {
    for (const number of KNOWN_VALID) {
      for (let d = 0; d <= 9; d++) {
        const changed = number.slice(0, 9) + String(d);
        expect(isValidNhsNumber(changed)).toBe(changed === number);
      }
    }
  });

  it('refuses a swap of two neighbouring digits in a known number', () => {
    expect(isValidNhsNumber('4934765919')).toBe(false);
    expect(isValidNhsNumber('9344765919')).toBe(false);
  });

  it('refuses numbers of one repeated digit, though each of them passes the check', () => {
    for (let d = 0; d <= 9; d++) {
      const same = String(d).repeat(10);
      expect(checkDigitByHand(same)).toBe(d); // the checksum alone would let them through
      expect(isValidNhsNumber(same)).toBe(false);
      expect(normaliseNhsNumber(same)).toBeNull();
    }
  });

  it.each([
    ['943476591', 'nine digits'],
    ['94347659190', 'eleven digits'],
    ['943476591A', 'a letter'],
    ['NHS9434765919', 'a prefix'],
    ['', 'nothing'],
    ['          ', 'only spaces'],
    ['９４３４７６５９１９', 'full-width digits'],
    ['943 476-5919', 'mixed separators'],
    ['9434 765 919', 'the wrong grouping'],
    ['943  476  5919', 'double spaces'],
    ['943.476.5919', 'dots'],
    ['+9434765919', 'a sign'],
    ['943 4765919', 'one separator missing'],
  ])('refuses %j (%s)', (input) => {
    expect(isValidNhsNumber(input)).toBe(false);
    expect(normaliseNhsNumber(input)).toBeNull();
  });

  it.each([
    ['943 476 5919', '9434765919'],
    ['943-476-5919', '9434765919'],
    ['  943 476 5919 ', '9434765919'],
    ['401-023-2137', '4010232137'],
  ])('accepts %j written in the usual grouping as %s', (input, digits) => {
    expect(normaliseNhsNumber(input)).toBe(digits);
  });

  it('formats as 3-3-4 with spaces, from any accepted way of writing it', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
    expect(formatNhsNumber('943-476-5919')).toBe('943 476 5919');
    expect(formatNhsNumber('4010232137')).toBe('401 023 2137');
  });

  it('refuses to format an invalid number', () => {
    expect(() => formatNhsNumber('9434765918')).toThrow(RangeError);
    expect(() => formatNhsNumber('0000000000')).toThrow(RangeError);
  });

  it('refuses to compute a check digit for anything but nine digits', () => {
    expect(() => nhsCheckDigit('94347659')).toThrow(RangeError);
    expect(() => nhsCheckDigit('94347659x')).toThrow(RangeError);
  });

  const tenDigits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 10, maxLength: 10 });

  it('agrees with the hand computation on random 10-digit strings (property)', () => {
    fc.assert(
      fc.property(tenDigits, (digits) => {
        expect(isValidNhsNumber(digits)).toBe(validByHand(digits));
        expect(normaliseNhsNumber(digits)).toBe(validByHand(digits) ? digits : null);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the hand computation on valid numbers built from random first nine digits (property)', () => {
    // Random strings are valid only about one time in eleven; this makes valid ones on purpose.
    const nine = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 });
    fc.assert(
      fc.property(nine, (first) => {
        const check = checkDigitByHand(first);
        expect(nhsCheckDigit(first)).toBe(check === 10 ? null : check);
        if (check === 10) return;
        const number = first + String(check);
        expect(isValidNhsNumber(number)).toBe(new Set(number).size > 1);
        if (new Set(number).size > 1) {
          const spaced = formatNhsNumber(number);
          expect(spaced).toBe(`${number.slice(0, 3)} ${number.slice(3, 6)} ${number.slice(6)}`);
          expect(normaliseNhsNumber(spaced)).toBe(number);
          expect(normaliseNhsNumber(spaced.replaceAll(' ', '-'))).toBe(number);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('never accepts a string that is not ten digits in the accepted forms (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 16 }), (input) => {
        const result = normaliseNhsNumber(input);
        if (result !== null) {
          expect(result).toMatch(/^\d{10}$/);
          expect(input.trim().replace(/[ -]/g, '')).toBe(result);
        }
      }),
    );
  });
});
