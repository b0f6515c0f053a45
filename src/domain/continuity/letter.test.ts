import { describe, expect, it } from 'vitest';
import { approved, draftPlan, type ContinuityPlan } from './continuity-plan';
import { continuityLetter, longDate, type LetterInput } from './letter';

const rx = {
  status: 'active' as const,
  diamorphine: { sessions: ['AM', 'PM'], ivDoseMg: 100, imDoseMg: 80, titration: null, topUp: null, retitrationStartDoseMg: 30 },
  methadone: null,
  startDate: '2026-01-01',
  endDate: null,
  reviewDate: '2026-03-09',
};
const reduction = approved(draftPlan({ today: '2026-02-28', fundedUntil: '2026-08-31', noticeFrom: '2026-02-28', prescription: rx }), { staffId: 'doc', name: 'Dr Amara Okafor' }, '2026-03-02');

const input = (plan: ContinuityPlan, over: Partial<LetterInput> = {}): LetterInput => ({
  clinicName: 'Middlesbrough HAT',
  personName: 'Jo',
  plan,
  today: '2026-03-02',
  keyworker: 'Sam Keyworker',
  prescriber: 'Dr Amara Okafor',
  peerSupport: [
    { name: 'Lee', role: 'peer champion', contact: '01642 000000', availability: 'Tuesdays 10:00–12:00' },
    { name: 'Tees Mutual Aid <group>', role: 'mutual-aid group', contact: 'tees@example.org', availability: null },
  ],
  ...over,
});

/** The words a reader sees, without the markup. */
const text = (html: string) =>
  html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

describe('the letter to the service user', () => {
  const html = continuityLetter(input(reduction));
  const words = text(html);

  it('says what will happen and when, with the dates written out', () => {
    expect(longDate('2026-08-31')).toBe('Monday 31 August 2026');
    expect(words).toContain('Dear Jo,');
    expect(words).toContain('The money for this service is agreed until Monday 31 August 2026.');
    expect(words).toContain('Your dose will go down slowly, a little at a time.');
    expect(words).toContain('It will go down once every two weeks.');
    expect(words).toContain('Now 100 mg');
    expect(words).toContain('From Monday 16 March 2026 92 mg');
    expect(words).toContain('From Monday 31 August 2026 No diamorphine');
    expect(words).toContain('From Monday 31 August 2026 you will not have diamorphine from us.');
    expect(html).toContain('<caption>Your dose each time you come</caption>');
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain('@media print');
  });

  it('says the letter changes no prescription, and that nothing changes without a conversation', () => {
    expect(words).toContain('This letter does not change your prescription.');
    expect(words).toContain('Your prescriber will talk to you before each change.');
    expect(words).toContain('Each change needs a new prescription from your prescriber.');
    expect(words).toContain('If more money is agreed, we will tell you straight away.');
  });

  it('names who to talk to and the peer contacts, escaping what staff typed', () => {
    expect(words).toContain('Your keyworker: Sam Keyworker');
    expect(words).toContain('Your prescriber: Dr Amara Okafor');
    expect(words).toContain('Any member of staff at Middlesbrough HAT');
    expect(words).toContain('Lee (peer champion). Contact: 01642 000000. When: Tuesdays 10:00–12:00.');
    expect(html).toContain('Tees Mutual Aid &lt;group&gt;');
    expect(html).not.toContain('<group>');
    expect(text(continuityLetter(input(reduction, { peerSupport: [], keyworker: null })))).toContain('Ask any of us about peer support and local groups.');
    expect(text(continuityLetter(input(reduction, { keyworker: null })))).not.toContain('Your keyworker');
    expect(continuityLetter(input(reduction, { personName: '<script>alert(1)</script>' }))).not.toContain('<script>');
  });

  it('uses short sentences and no clinical jargon', () => {
    // Every paragraph, one sentence or more; headings, the table and the peers' own words left out.
    const paragraphs = [...html.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)].map((m) => text(m[1]!));
    const sentences = paragraphs.flatMap((para) => para.split(/(?<=[.!?])\s+/)).filter((s) => s.length > 0);
    expect(sentences.length).toBeGreaterThan(10);
    for (const s of sentences) expect(s.split(/\s+/).length, s).toBeLessThanOrEqual(15);
    for (const jargon of ['titrat', 'taper', 'iOAT', 'HAT clinic', 'continuity', 'horizon', 'supersed', 'commission', ' IV ', ' IM ', 'intravenous', 'intramuscular', 'opioid', 'OST', 'in force', 'regimen', 'detox']) {
      expect(words.toLowerCase()).not.toContain(jargon.toLowerCase());
    }
  });

  it('a transfer: to a medicine or a service, from a date; unnamed, it says the prescriber will talk about which', () => {
    const toMedicine = approved(draftPlan({ today: '2026-02-28', fundedUntil: '2026-08-31', noticeFrom: '2026-02-28', prescription: rx, option: 'transfer', transfer: { kind: 'medication', to: 'oral methadone', startDate: '2026-08-01' } }), { staffId: 'd', name: 'Dr' }, '2026-03-02');
    const m = text(continuityLetter(input(toMedicine)));
    expect(m).toContain('Until then, your treatment here stays the same.');
    expect(m).toContain('From Saturday 1 August 2026 you will start oral methadone.');
    expect(m).not.toContain('Your dose each time you come');
    const toService = { ...toMedicine, transfer: { kind: 'service' as const, to: 'Teesside Recovery', startDate: '2026-08-01' } };
    expect(text(continuityLetter(input(toService)))).toContain('From Saturday 1 August 2026 your care will move to Teesside Recovery. We will help you with the move.');
    const unnamed = { ...toMedicine, transfer: { kind: 'medication' as const, to: null, startDate: '2026-08-01' } };
    expect(text(continuityLetter(input(unnamed)))).toContain('you will start a different medicine. Your prescriber will talk to you about which one.');
  });

  it('a draft or a replaced plan says so at the top, in words', () => {
    const draft = { ...reduction, status: 'draft' as const, approval: null };
    expect(text(continuityLetter(input(draft)))).toMatch(/^DRAFT\. Your prescriber has not agreed this plan yet\. Do not give this letter out\./);
    expect(text(continuityLetter(input({ ...reduction, status: 'superseded' })))).toMatch(/^REPLACED\./);
    expect(words).not.toContain('DRAFT');
  });
});
