import { EMERGENCY_ITEMS } from '../../src/domain/dosing/session-rules';
import type { TestApp, TestClinic, TestStaff } from './test-app';
import { licensedPrescriber, personInInduction, starting } from './clinical';
import { cdTeam, page, receive, witnessOf } from './cd';

export const checklist = EMERGENCY_ITEMS.map((item) => ({ item, present: true, expiresOn: item === 'naloxone' || item === 'oxygen' ? '2027-06-30' : null }));

export const fine = { identityConfirmed: true, sedation: 1, respiratoryRate: 14, withdrawalScore: 6, signsOfIntoxication: false, recentSedativeUse: false };

/** A clinic ready to dose: staff, a register page with stock, and people in treatment on IV 100 mg / IM 80 mg, AM and PM. */
export async function dosingClinic(t: TestApp, people = 1) {
  const clinic = await t.newClinic();
  const { accountable, nurse, hca } = await cdTeam(t, clinic);
  const doctor = await licensedPrescriber(t, clinic);
  const item = await page(clinic, accountable, 100);
  await receive(clinic, accountable, hca, item, 200);
  const persons: { serviceUserId: string; episodeId: string }[] = [];
  for (let i = 0; i < people; i++) {
    const person = await personInInduction(t, clinic, doctor, { familyName: `Person${i}`, givenName: `P${i}`, preferredName: null });
    const rx = starting();
    rx.content.diamorphine = { ...rx.content.diamorphine, ivDoseMg: 100, imDoseMg: 80, titration: { startDoseMg: 30, steps: [{ fromDate: '2026-03-02', doseMg: 60 }, { fromDate: '2026-03-03', doseMg: 90 }, { fromDate: '2026-03-04', doseMg: 100 }] }, topUp: { maxMg: 20, minWaitMinutes: 20 } } as never;
    rx.content.startDate = '2026-03-01';
    rx.content.reviewDate = t.clock.now().toString().slice(0, 10) > '2026-03-02' ? t.clock.now().add({ hours: 24 * 7 }).toString().slice(0, 10) : '2026-03-09';
    const res = await doctor.client.post(clinic.url(`/service-users/${person.serviceUserId}/prescriptions`), rx);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    persons.push({ serviceUserId: person.serviceUserId, episodeId: person.episodeId });
  }
  return { clinic, accountable, nurse, hca, doctor, item, persons };
}

export async function openSession(clinic: TestClinic, nurse: TestStaff, hca: TestStaff, sessionCode = 'AM', date?: string) {
  const res = await nurse.client.post(clinic.url('/sessions'), { sessionCode, ...(date ? { date } : {}), staffOnDuty: [nurse.staffId, hca.staffId], cdKeyHolderId: nurse.staffId, checklist });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.sessionId as string;
}

export function prep(item: string, witness: TestStaff, doseMg: number, ampoules = 1, ml = 1, route: 'iv' | 'im' = 'iv') {
  return {
    route,
    doseMg,
    ampoules: [{ itemId: item, count: ampoules }],
    reconstitutionMl: ml,
    witness: { ...witnessOf(witness), ampoules: [{ strengthMg: 100, count: ampoules }], reconstitutionMl: ml },
  };
}
