import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { unstorableText } from './text-safety';

describe('text PostgreSQL cannot store', () => {
  it('finds a NUL or an unpaired surrogate, and names where', () => {
    expect(unstorableText({ a: 'fine', b: ['ok', 'bad\u0000'] })).toBe('b[1]');
    expect(unstorableText({ note: 'x\ud800' })).toBe('note');
    expect(unstorableText({ note: 'x\udc00y' })).toBe('note');
    expect(unstorableText({ nested: { ['k\u0000']: 1 } })).toBe('nested.k\u0000');
    expect(unstorableText('\u0000')).toBe('(body)');
  });

  it('refuses to walk a value nested deeper than any request (without exhausting the stack)', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(unstorableText(deep)).toBe('(depth)');
    expect(unstorableText({ a: { b: { c: ['fine'] } } })).toBeNull();
  });

  it('passes every well-formed string without NUL, emoji and all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        fc.pre(!s.includes('\u0000'));
        expect(unstorableText({ s, list: [s] })).toBeNull();
      }),
    );
    expect(unstorableText({ s: '🦄 diamorphine 💉 µg' })).toBeNull();
  });
});
