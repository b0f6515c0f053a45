import { inflateSync } from 'node:zlib';

/**
 * A tiny text extractor for the PDF files openhat writes with pdfkit and its built-in fonts: each
 * stream (inflated when FlateDecode) is searched for text-showing operators `[<hex> kern <hex> …] TJ`,
 * and the hex strings are decoded as WinAnsi. One string per TJ, i.e. per line of text drawn (a
 * table cell, a label, a wrapped line); kerning numbers are dropped, so words come back whole.
 * Enough to prove what the file really shows, not a general PDF parser.
 */

// WinAnsi 0x80–0x9F differ from Latin-1.
const WIN_ANSI_HIGH: Record<number, string> = {
  0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡', 0x88: 'ˆ', 0x89: '‰', 0x8a: 'Š', 0x8b: '‹', 0x8c: 'Œ', 0x8e: 'Ž',
  0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—', 0x98: '˜', 0x99: '™', 0x9a: 'š', 0x9b: '›', 0x9c: 'œ', 0x9e: 'ž', 0x9f: 'Ÿ',
};

const decodeHex = (hex: string) => {
  let out = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const code = parseInt(hex.slice(i, i + 2), 16);
    out += WIN_ANSI_HIGH[code] ?? String.fromCharCode(code);
  }
  return out;
};

/** The decoded contents of every stream in the file, in file order. */
export function pdfStreams(pdf: Buffer): string[] {
  const latin = pdf.toString('latin1');
  const out: string[] = [];
  const re = /<<((?:(?!>>\s*stream)[\s\S])*?)>>\s*stream\r?\n/g;
  for (let m = re.exec(latin); m; m = re.exec(latin)) {
    const length = /\/Length (\d+)/.exec(m[1]!);
    if (!length) continue;
    const start = m.index + m[0].length;
    const data = pdf.subarray(start, start + Number(length[1]));
    out.push((/\/FlateDecode/.test(m[1]!) ? inflateSync(data) : data).toString('latin1'));
    re.lastIndex = start + data.length;
  }
  return out;
}

/** The text drawn on each page (one array of lines per content stream that shows text). */
export function pdfTextPages(pdf: Buffer): string[][] {
  return pdfStreams(pdf)
    .map((s) => [...s.matchAll(/\[((?:\s*<[0-9a-fA-F]*>\s*-?[\d.]*)*)\s*\]\s*TJ/g)].map((m) => [...m[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decodeHex(h[1]!)).join('')))
    .filter((lines) => lines.length > 0);
}

/** All the text drawn, page after page. */
export const pdfText = (pdf: Buffer): string[] => pdfTextPages(pdf).flat();

/** Whether `sequence` appears as consecutive lines of `lines` (e.g. one table row, cell by cell). */
export function containsRun(lines: readonly string[], sequence: readonly string[]): boolean {
  for (let i = 0; i + sequence.length <= lines.length; i++) if (sequence.every((s, j) => lines[i + j] === s)) return true;
  return false;
}
