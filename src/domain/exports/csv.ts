/**
 * CSV as RFC 4180 describes it: comma-separated, CRLF line ends, a field quoted when it holds a
 * comma, quote or line break (quotes doubled). A field starting with = + - @ is prefixed with a
 * single quote so that a spreadsheet does not run it as a formula (CSV injection).
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvTable(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
