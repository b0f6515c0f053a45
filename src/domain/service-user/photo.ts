/**
 * Identity photos, checked at the hatch before each dose. Only common image types, recognised by
 * their first bytes (not by what the sender claims), and at most 2 MiB: enough for a clear face,
 * small enough to keep in the database and in every backup.
 */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

export function sniffImageType(bytes: Uint8Array): PhotoType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

export function photoProblem(bytes: Uint8Array, claimed: string): string | null {
  if (bytes.byteLength === 0) return 'is empty';
  if (bytes.byteLength > MAX_PHOTO_BYTES) return `is ${(bytes.byteLength / 1048576).toFixed(1)} MiB; the limit is 2 MiB`;
  const actual = sniffImageType(bytes);
  if (!actual) return 'is not a JPEG, PNG or WebP image';
  if (actual !== claimed) return `says it is ${claimed} but is ${actual}`;
  return null;
}
