/**
 * An entry's date ("2026-10-25") and time ("01:30") at the clinic, as clinicDate and
 * formatClinicTime (src/domain/time/clinic-time.ts) give them, for exports of many thousands of
 * entries: one cached Intl.DateTimeFormat per time zone instead of Temporal objects per entry
 * (measured: about 50 µs an entry with the Temporal polyfill, most of a CSV line's cost). The same
 * time zone data either way (the polyfill reads it from Intl); output.test.ts checks they agree.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', calendar: 'iso8601', numberingSystem: 'latn' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function clinicStamp(instant: string, timeZone: string): { date: string; time: string } {
  let year = '', month = '', day = '', hour = '', minute = '';
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type === 'year') year = p.value;
    else if (p.type === 'month') month = p.value;
    else if (p.type === 'day') day = p.value;
    else if (p.type === 'hour') hour = p.value;
    else if (p.type === 'minute') minute = p.value;
  }
  return { date: `${year.padStart(4, '0')}-${month}-${day}`, time: `${hour}:${minute}` };
}
