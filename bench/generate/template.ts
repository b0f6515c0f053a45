/* eslint-disable @typescript-eslint/no-explicit-any -- a benchmark harness: JSON answers and SQL rows read loosely */
import { openPglite } from '../../src/store/database';
import { migrate } from '../../src/store/migrate';
import { dosingClinic, fine, openSession, prep } from '../../test/support/dosing';
import { witnessOf } from '../../test/support/cd';
import { TestApp } from '../../test/support/test-app';

/**
 * The shapes of the rows the application writes for one dose, one refusal, a session and a
 * toxicology result, taken from a real run of the API on a throw-away in-memory database. The
 * generator copies these shapes (with its own ids, people, staff and times), so the synthetic
 * history is what the application itself would have written and reads back the same way.
 */
export interface Templates {
  events: Record<'assessed' | 'prepared' | 'administered' | 'observed' | 'discharged' | 'refusedAssessed' | 'refused', Record<string, unknown>>;
  supplyDetails: Record<string, unknown>;
  receiptDetails: Record<string, unknown>;
  sessionOpening: Record<string, unknown>;
  toxicologyData: Record<string, unknown>;
}

export async function captureTemplates(): Promise<Templates> {
  const db = await openPglite({});
  await migrate(db);
  const t = await TestApp.on(db);
  try {
    t.clock.set('2026-03-02T09:00:00Z');
    const { clinic, nurse, hca, item, persons } = await dosingClinic(t, 2);
    t.clock.set('2026-03-05T09:00:00Z');
    for (const who of [nurse, hca]) await who.client.signIn(who.email);
    const sessionId = await openSession(clinic, nurse, hca);
    const ok = async (p: Promise<{ status: number; body: any }>) => {
      const res = await p;
      if (res.status >= 300) throw new Error(`template dose: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const a = await ok(nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), { serviceUserId: persons[0]!.serviceUserId, findings: fine }));
    await ok(nurse.client.post(clinic.url(`/doses/${a.doseId}/preparation`), prep(item, hca, 100, 1, 1)));
    await ok(nurse.client.post(clinic.url(`/doses/${a.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 100, witness: witnessOf(hca) }));
    await ok(hca.client.post(clinic.url(`/doses/${a.doseId}/observations`), { sedation: 2, respiratoryRate: 12, spo2: 97 }));
    t.clock.advance({ minutes: 20 });
    await ok(nurse.client.post(clinic.url(`/doses/${a.doseId}/discharge`), { sedation: 1 }));
    const r = await ok(
      nurse.client.post(clinic.url(`/sessions/${sessionId}/assessments`), {
        serviceUserId: persons[1]!.serviceUserId,
        findings: fine,
        breathAlcohol: { value: 60, unit: 'ug_per_100ml_breath' },
        afterRefusal: { offeredToStay: true, naloxoneChecked: true, adviceGiven: true, reassessAt: null },
      }),
    );
    await ok(
      nurse.client.post(clinic.url(`/service-users/${persons[0]!.serviceUserId}/toxicology`), {
        effectiveDate: '2026-03-05',
        outcome: 'taken',
        sampleType: 'urine',
        method: 'point_of_care',
        results: [{ substance: 'acetylcodeine', result: 'negative' }],
      }),
    );
    const events = async (doseId: string) =>
      (await db.query<{ event_type: string; event: Record<string, unknown> }>('SELECT event_type, event FROM dose_events WHERE dose_id = $1 ORDER BY seq', [doseId])).map((e) => e.event);
    const given = await events(a.doseId);
    const refused = await events(r.doseId);
    const byType = (list: Record<string, unknown>[], type: string) => {
      const found = list.find((e) => e.type === type);
      if (!found) throw new Error(`template dose has no ${type} event`);
      return found;
    };
    const entries = await db.query<{ kind: string; details: Record<string, unknown> }>('SELECT kind, details FROM cd_entries WHERE item_id = $1 ORDER BY seq', [item]);
    const [session] = await db.query<{ opening: Record<string, unknown> }>('SELECT opening FROM dosing_sessions WHERE session_id = $1', [sessionId]);
    const [tox] = await db.query<{ data: Record<string, unknown> }>(`SELECT data FROM care_records WHERE kind = 'toxicology'`);
    return {
      events: {
        assessed: byType(given, 'assessed'),
        prepared: byType(given, 'prepared'),
        administered: byType(given, 'administered'),
        observed: byType(given, 'observed'),
        discharged: byType(given, 'discharged'),
        refusedAssessed: byType(refused, 'assessed'),
        refused: byType(refused, 'refused'),
      },
      supplyDetails: entries.find((e) => e.kind === 'supply_administration')!.details,
      receiptDetails: entries.find((e) => e.kind === 'receipt')!.details,
      sessionOpening: session!.opening,
      toxicologyData: tox!.data,
    };
  } finally {
    await t.close();
  }
}
