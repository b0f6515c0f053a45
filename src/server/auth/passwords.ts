import argon2 from 'argon2';

/**
 * Password hashing with Argon2id (the OWASP and RFC 9106 recommendation). The cost is set in the
 * configuration; the hash string records its own parameters, so raising the cost later still
 * verifies old hashes, and `needsRehash` upgrades them at the next sign-in.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  needsRehash(hash: string): boolean;
  /** Spend the same time as a real check, so an unknown email is not revealed by speed. */
  verifyAgainstDummy(password: string): Promise<void>;
}

export function argon2Hasher(options: { memoryKiB: number; iterations: number }): PasswordHasher {
  const params = { type: argon2.argon2id as 2, memoryCost: options.memoryKiB, timeCost: options.iterations, parallelism: 1 };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => argon2.hash(password, params),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
    needsRehash: (hash) => argon2.needsRehash(hash, params),
    async verifyAgainstDummy(password) {
      dummy ??= argon2.hash('openhat-dummy-password', params);
      await argon2.verify(await dummy, password).catch(() => false);
    },
  };
}
