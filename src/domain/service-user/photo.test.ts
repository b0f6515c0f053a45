import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, photoProblem, sniffImageType } from './photo';

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const webp = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50]);

describe('identity photos', () => {
  it('recognises JPEG, PNG and WebP by their first bytes', () => {
    expect(sniffImageType(png)).toBe('image/png');
    expect(sniffImageType(jpeg)).toBe('image/jpeg');
    expect(sniffImageType(webp)).toBe('image/webp');
    expect(sniffImageType(new TextEncoder().encode('<svg onload=alert(1)>'))).toBeNull();
  });

  it('refuses empty, oversized, unknown and mislabelled images', () => {
    expect(photoProblem(new Uint8Array(), 'image/png')).toBe('is empty');
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
    big.set(png);
    expect(photoProblem(big, 'image/png')).toBe('is 2.0 MiB; the limit is 2 MiB');
    expect(photoProblem(Uint8Array.from([1, 2, 3]), 'image/png')).toBe('is not a JPEG, PNG or WebP image');
    expect(photoProblem(jpeg, 'image/png')).toBe('says it is image/png but is image/jpeg');
    expect(photoProblem(png, 'image/png')).toBeNull();
  });
});
