import { Temporal } from 'temporal-polyfill';
import type { PeerContact } from './continuity-settings';
import { MAX_STEP_DAYS, MIN_STEP_DAYS, type ContinuityPlan } from './continuity-plan';

/**
 * The letter each service user gets about their continuity plan: printable HTML in plain language.
 * Short sentences, no clinical words, the dates written out, what happens and when, who to talk
 * to, the peer contacts the clinic offers, and that nothing changes without a conversation and a
 * new prescription. A draft or withdrawn plan's letter says so at the top, in words.
 */
export interface LetterInput {
  clinicName: string;
  /** The name the person likes to be called. */
  personName: string;
  plan: ContinuityPlan;
  /** Today at the clinic (the letter's date). */
  today: string;
  /** The person's keyworker, if they have one. */
  keyworker: string | null;
  /** The prescriber who approved the plan (or null while a draft). */
  prescriber: string | null;
  peerSupport: readonly PeerContact[];
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Monday 31 August 2026". */
export function longDate(iso: string): string {
  const d = Temporal.PlainDate.from(iso);
  return `${DAYS[d.dayOfWeek - 1]} ${d.day} ${MONTHS[d.month - 1]} ${d.year}`;
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const p = (text: string) => `<p>${text}</p>`;

function howOften(plan: ContinuityPlan): string {
  const steps = plan.reduction?.steps ?? [];
  const gaps = new Set<number>();
  for (let i = 1; i < steps.length; i++) gaps.add(Temporal.PlainDate.from(steps[i - 1]!.fromDate).until(steps[i]!.fromDate, { largestUnit: 'days' }).days);
  if (gaps.size === 1 && gaps.has(MIN_STEP_DAYS)) return 'It will go down once a week.';
  if (gaps.size === 1 && gaps.has(MAX_STEP_DAYS)) return 'It will go down once every two weeks.';
  return 'It will go down every one or two weeks.';
}

function whatHappens(plan: ContinuityPlan): string[] {
  const out: string[] = [];
  const t = plan.transfer;
  const r = plan.reduction;
  if (plan.option === 'planned_reduction' && r) {
    out.push(p('Your dose will go down slowly, a little at a time.'), p(escapeHtml(howOften(plan))), p('The table shows your dose each time you come.'));
    const rows = [`<tr><td>Now</td><td>${r.fromDoseMg} mg</td></tr>`];
    for (const s of r.steps) rows.push(`<tr><td>From ${escapeHtml(longDate(s.fromDate))}</td><td>${s.doseMg === 0 ? 'No diamorphine' : `${s.doseMg} mg`}</td></tr>`);
    out.push(`<table><caption>Your dose each time you come</caption><thead><tr><th scope="col">When</th><th scope="col">Your dose</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
    const last = r.steps.at(-1)!;
    if (r.toDoseMg === 0) out.push(p(`From ${escapeHtml(longDate(last.fromDate))} you will not have diamorphine from us.`));
  } else {
    out.push(p('Until then, your treatment here stays the same.'));
  }
  if (t) {
    const when = escapeHtml(longDate(t.startDate));
    const to = t.to?.trim() ? escapeHtml(t.to.trim()) : null;
    if (t.kind === 'medication') {
      out.push(p(to ? `From ${when} you will start ${to}.` : `From ${when} you will start a different medicine.`));
      out.push(p(to ? 'Your prescriber will talk to you about it first.' : 'Your prescriber will talk to you about which one.'));
    } else {
      out.push(p(to ? `From ${when} your care will move to ${to}.` : `From ${when} your care will move to another service.`));
      out.push(p('We will help you with the move.'));
    }
  }
  return out;
}

function peerList(contacts: readonly PeerContact[]): string {
  if (contacts.length === 0) return p('Ask any of us about peer support and local groups.');
  const items = contacts.map(
    (c) =>
      `<li><strong>${escapeHtml(c.name)}</strong> (${escapeHtml(c.role)}). Contact: ${escapeHtml(c.contact)}.${c.availability ? ` When: ${escapeHtml(c.availability)}.` : ''}</li>`,
  );
  return `${p('These people know what it is like. You can talk to them.')}<ul class="peers">${items.join('')}</ul>`;
}

export function continuityLetter(input: LetterInput): string {
  const { plan } = input;
  const clinic = escapeHtml(input.clinicName);
  const notice =
    plan.status === 'draft'
      ? '<p class="notice" role="note"><strong>DRAFT.</strong> Your prescriber has not agreed this plan yet. Do not give this letter out.</p>'
      : plan.status === 'superseded'
        ? '<p class="notice" role="note"><strong>REPLACED.</strong> This plan is no longer in use. Do not give this letter out.</p>'
        : '';
  const talk = [
    input.keyworker ? `<li>Your keyworker: ${escapeHtml(input.keyworker)}</li>` : '',
    input.prescriber ? `<li>Your prescriber: ${escapeHtml(input.prescriber)}</li>` : '',
    `<li>Any member of staff at ${clinic}</li>`,
  ].join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Your treatment: what happens next</title>
<style>body{font:13pt/1.5 system-ui,sans-serif;max-width:42em;margin:1.5cm auto;color:#111}h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.4em}table{border-collapse:collapse;margin:.5em 0}caption{text-align:left;font-weight:600}th,td{border:1px solid #333;padding:.3em .8em;text-align:left}.notice{border:3px solid #111;padding:.5em}@media print{@page{size:A4 portrait;margin:1.5cm}body{margin:0}}</style></head><body>
${notice}
<h1>Your treatment: what happens next</h1>
${p(`Dear ${escapeHtml(input.personName)},`)}
<h2>Why we are writing</h2>
${p(`The money for this service is agreed until ${escapeHtml(longDate(plan.fundedUntil))}.`)}
${p('We do not know yet if there will be more money after that.')}
${p('We are writing now so that nothing stops suddenly.')}
${p('This letter says what we plan, and when.')}
<h2>What will happen</h2>
${whatHappens(plan).join('\n')}
<h2>Nothing changes without talking to you</h2>
${p('This letter does not change your prescription.')}
${p('Your prescriber will talk to you before each change.')}
${p('Each change needs a new prescription from your prescriber.')}
${p('You can ask questions. You can ask for changes to the plan.')}
${p('If more money is agreed, we will tell you straight away.')}
<h2>Who to talk to</h2>
<ul>${talk}</ul>
<h2>Support from people who have been there</h2>
${peerList(input.peerSupport)}
${p(`From everyone at ${clinic}, ${escapeHtml(longDate(input.today))}.`)}
</body></html>`;
}
