import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The hazard log (docs/clinical-safety/hazard-log.md) names, for each hazard, the tests that prove
 * its control. This test keeps the log honest: every hazard the safety case must cover is there,
 * each has at least one test, and every listed test exists under its exact name.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOG = `${ROOT}docs/clinical-safety/hazard-log.md`;

interface TestReference {
  hazard: string;
  file: string;
  name: string;
}

/** `- test: \`path\` — "name"` lines, grouped by the `### Hnn` heading above them. */
export function testReferences(markdown: string): { hazards: Map<string, TestReference[]>; malformed: string[] } {
  const hazards = new Map<string, TestReference[]>();
  const malformed: string[] = [];
  let hazard: string | null = null;
  for (const line of markdown.split('\n')) {
    const heading = /^### (H\d+ .+)$/.exec(line);
    if (heading) {
      hazard = heading[1]!;
      hazards.set(hazard, []);
      continue;
    }
    if (!/^\s*- test:/.test(line)) continue;
    const ref = /^\s*- test: `([^`]+)` — "(.+)"\s*$/.exec(line);
    if (!ref || hazard === null) {
      malformed.push(line.trim());
      continue;
    }
    hazards.get(hazard)!.push({ hazard, file: ref[1]!, name: ref[2]! });
  }
  return { hazards, malformed };
}

/** Why a reference does not point at a real test, or null when it does. */
export function missingTest(ref: TestReference, readSource: (file: string) => string | null): string | null {
  const source = readSource(ref.file);
  if (source === null) return `${ref.hazard}: ${ref.file} does not exist`;
  // A test name in the source may be quoted with ', " or ` and escape its quotes.
  const unescaped = source.replace(/\\(['"`])/g, '$1');
  const declared = ['it', 'test'].some((fn) =>
    ['\'', '"', '`'].some((q) => new RegExp(`\\b${fn}(?:\\.\\w+)*\\(\\s*${q}${escapeRegExp(ref.name)}${q}`).test(unescaped)),
  );
  return declared ? null : `${ref.hazard}: ${ref.file} has no test named "${ref.name}"`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const readRepoFile = (file: string) => (existsSync(`${ROOT}${file}`) ? readFileSync(`${ROOT}${file}`, 'utf8') : null);

/** The hazards issue 11 asks the safety case to cover, by a word each heading must contain. */
const REQUIRED_HAZARDS = [
  'Wrong person',
  'Overdose',
  'Wrong ampoule strength or unit',
  'too soon',
  'Double dose',
  'Missed re-titration',
  'Sedation',
  'register discrepancy',
  'Clock or daylight-saving',
  'Data loss',
  'Unauthorised access',
  'Downtime',
];

describe('the clinical safety hazard log', () => {
  const { hazards, malformed } = testReferences(readFileSync(LOG, 'utf8'));

  it('covers every required hazard, each with at least one test', () => {
    for (const required of REQUIRED_HAZARDS) {
      const heading = [...hazards.keys()].find((h) => h.toLowerCase().includes(required.toLowerCase()));
      expect(heading, `no hazard heading mentions "${required}"`).toBeDefined();
      expect(hazards.get(heading!)!.length, `${heading} lists no test`).toBeGreaterThan(0);
    }
    expect(malformed).toEqual([]);
  });

  it('every listed test exists under its exact name', () => {
    const problems = [...hazards.values()].flat().map((ref) => missingTest(ref, readRepoFile)).filter((p) => p !== null);
    expect(problems).toEqual([]);
  });

  it('the check itself catches a missing file, a renamed test and a malformed line', () => {
    const fake = (file: string) => (file === 'a.test.ts' ? "it('keeps the interval', () => {});\nit('won\\'t dose twice', () => {})" : null);
    expect(missingTest({ hazard: 'H', file: 'a.test.ts', name: 'keeps the interval' }, fake)).toBeNull();
    expect(missingTest({ hazard: 'H', file: 'a.test.ts', name: "won't dose twice" }, fake)).toBeNull();
    expect(missingTest({ hazard: 'H', file: 'a.test.ts', name: 'keeps the' }, fake)).toMatch(/no test named/);
    expect(missingTest({ hazard: 'H', file: 'b.test.ts', name: 'keeps the interval' }, fake)).toMatch(/does not exist/);
    expect(testReferences('### H01 X\n- test: a.test.ts — keeps\n').malformed).toHaveLength(1);
  });
});
