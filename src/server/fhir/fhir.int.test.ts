import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { dosingClinic, fine, openSession, prep } from '../../../test/support/dosing';
import { witnessOf } from '../../../test/support/cd';
import { queryAudit } from '../../store/audit-log';
import { r4Problems, referencesUnresolved } from '../../../test/support/fhir-r4';

describe.skipIf(postgresSkipped())('FHIR R4', () => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof setting>>;

  /** A person with a prescription, a dose given (AM), one refused (PM), a breath test, a toxicology sample and an ECG. */
  async function setting() {
    t.clock.set('2026-03-02T09:00:00Z');
    const d = await dosingClinic(t);
    const { clinic, nurse, hca, item } = d;
    const serviceUserId = d.persons[0]!.serviceUserId;
    const su = (p: string) => clinic.url(`/service-users/${serviceUserId}${p}`);
    expect((await nurse.client.post(su('/breath-tests'), { reading: { value: 0.1, unit: 'mg_per_l_breath' }, reason: 'daily_required', occurredAt: '2026-03-02T08:55:00Z' })).status).toBe(201);
    const tox = await nurse.client.post(su('/toxicology'), { outcome: 'taken', sampleType: 'urine', method: 'point_of_care', results: [{ substance: 'acetylcodeine', result: 'negative' }, { substance: 'cocaine', result: 'positive' }] });
    expect(tox.status, JSON.stringify(tox.body)).toBe(201);
    expect((await nurse.client.post(su('/ecgs'), { qtcMs: 450, correction: 'bazett' })).status).toBe(201);
    const am = await openSession(clinic, nurse, hca, 'AM');
    const a = await nurse.client.post(clinic.url(`/sessions/${am}/assessments`), { serviceUserId, findings: fine });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect((await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/preparation`), prep(item, hca, 60))).status).toBe(201);
    const given = await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/administration`), { route: 'iv', sites: ['left arm'], attempts: 1, givenMg: 60, witness: witnessOf(hca) });
    expect(given.status, JSON.stringify(given.body)).toBe(201);
    t.clock.advance({ minutes: 20 });
    expect((await nurse.client.post(clinic.url(`/doses/${a.body.doseId}/discharge`), { sedation: 1 })).status).toBe(201);
    t.clock.set('2026-03-02T16:00:00Z');
    await nurse.client.signIn(nurse.email);
    const pm = await openSession(clinic, nurse, hca, 'PM');
    const r = await nurse.client.post(clinic.url(`/sessions/${pm}/assessments`), {
      serviceUserId,
      findings: { ...fine, signsOfIntoxication: true },
      afterRefusal: { offeredToStay: true, naloxoneChecked: true, adviceGiven: true, reassessAt: null },
    });
    expect(r.body.stage, JSON.stringify(r.body)).toBe('refused');
    await d.doctor.client.signIn(d.doctor.email);
    await clinic.admin.client.signIn(clinic.admin.email);
    return { ...d, serviceUserId, givenDoseId: a.body.doseId as string, refusedDoseId: r.body.doseId as string, toxRecordId: tox.body.recordId as string };
  }

  beforeAll(async () => {
    t = await TestApp.open();
    s = await setting();
  });
  afterAll(async () => t?.close());

  const search = async (type: string, patient: string, who = s.nurse) => {
    const res = await who.client.get(`/fhir/R4/${type}?patient=Patient/${patient}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(r4Problems(res.body), `${type} search`).toEqual([]);
    return res.body as Bundle;
  };

  it('reads and searches each resource type for the person, each resource valid R4', async () => {
    const { serviceUserId, nurse, doctor } = s;
    const patient = await nurse.client.get(`/fhir/R4/Patient/${serviceUserId}`);
    expect(patient.status).toBe(200);
    expect(patient.headers['content-type']).toContain('application/fhir+json');
    expect(patient.body).toMatchObject({ resourceType: 'Patient', id: serviceUserId, birthDate: '1980-05-17', name: [{ family: 'Person0', given: ['P0'] }] });
    expect(patient.body).not.toHaveProperty('gender');
    expect(r4Problems(patient.body)).toEqual([]);

    const requests = await search('MedicationRequest', serviceUserId);
    expect(requests.entry!.map((e) => e.resource!.id)).toEqual([`${serviceUserId}.v1`, `${serviceUserId}.v1.methadone`]);
    expect(requests.entry![0]!.resource).toMatchObject({ status: 'active', intent: 'order', requester: { reference: `Practitioner/${doctor.staffId}` } });

    const admins = await search('MedicationAdministration', serviceUserId);
    const byId = new Map(admins.entry!.map((e) => [e.resource!.id, e.resource as any]));
    expect(byId.get(s.givenDoseId)).toMatchObject({ status: 'completed', dosage: { dose: { value: 60, unit: 'mg' }, route: { text: 'Intravenous' }, site: { text: 'left arm' } } });
    expect(byId.get(s.refusedDoseId)).toMatchObject({ status: 'not-done', statusReason: [{ text: expect.stringContaining('Refused: ') }] });
    // Drawn up from the register's 100 mg diamorphine ampoule page: the dm+d VMP; the route as SNOMED CT.
    expect(byId.get(s.givenDoseId).medicationCodeableConcept).toEqual({
      coding: [{ system: 'https://dmd.nhs.uk', code: '42011211000001100', display: 'Diamorphine 100mg powder for solution for injection ampoules' }],
      text: 'Diamorphine hydrochloride (injection)',
    });
    expect(byId.get(s.givenDoseId).dosage.route.coding).toEqual([{ system: 'http://snomed.info/sct', code: '47625008', display: 'Intravenous route' }]);
    expect(byId.get(s.refusedDoseId).medicationCodeableConcept).toEqual({ text: 'Diamorphine hydrochloride (injection)' });

    const obs = await search('Observation', serviceUserId);
    const texts = obs.entry!.map((e) => (e.resource as any).code.text);
    expect(texts).toEqual(expect.arrayContaining(['Breath alcohol concentration', 'Sedation score (Pasero Opioid-induced Sedation Scale)', 'acetylcodeine [urine, point of care]', 'cocaine [urine, point of care]', 'QTc interval (ECG), bazett correction']));
    const breath = obs.entry!.find((e) => (e.resource as any).code.text === 'Breath alcohol concentration')!.resource as any;
    expect(breath.valueQuantity).toMatchObject({ value: 0.1, unit: 'mg/L' });
    const ecg = obs.entry!.find((e) => (e.resource as any).code.text === 'QTc interval (ECG), bazett correction')!.resource as any;
    expect(ecg.code.coding).toEqual([{ system: 'http://loinc.org', code: '76635-2', display: 'Q-T interval corrected based on Bazett formula' }]);

    const practitioners = await search('Practitioner', serviceUserId);
    expect(practitioners.entry!.map((e) => e.resource!.id)).toEqual(expect.arrayContaining([doctor.staffId, nurse.staffId]));
    expect(JSON.stringify(practitioners)).not.toMatch(/argon2|passwordHash/);
    const doc = practitioners.entry!.find((e) => e.resource!.id === doctor.staffId)!.resource as any;
    expect(doc.identifier[0]).toMatchObject({ value: '7654321' });

    // Each found by search can be read by its id, the same resource.
    for (const b of [requests, admins, obs, practitioners]) {
      for (const e of b.entry!) {
        const one = await nurse.client.get(`/fhir/R4/${e.resource!.resourceType}/${e.resource!.id}`);
        expect(one.status, `${e.resource!.resourceType}/${e.resource!.id}`).toBe(200);
        expect(one.body).toEqual(e.resource);
        expect(r4Problems(one.body), `${e.resource!.resourceType}/${e.resource!.id}`).toEqual([]);
      }
    }
    const patients = await search('Patient', serviceUserId);
    expect(patients.total).toBe(1);

    // Reads are audited.
    const audit = await queryAudit(t.db.orm, { clinicId: s.clinic.clinicId, entityType: 'fhir_Patient', entityId: serviceUserId, action: 'read', limit: 5 });
    expect(audit[0]).toMatchObject({ staffId: nurse.staffId });
  });

  it('AuditEvent: for the audit roles only, agent the member of staff', async () => {
    const { serviceUserId, clinic, nurse } = s;
    const events = await search('AuditEvent', serviceUserId, clinic.admin);
    expect(events.total).toBeGreaterThan(0);
    const e = events.entry![0]!.resource as any;
    expect(e).toMatchObject({ resourceType: 'AuditEvent', agent: [{ requestor: expect.any(Boolean) }] });
    expect(r4Problems(e)).toEqual([]);
    for (const entry of events.entry!) expect(r4Problems(entry.resource!)).toEqual([]);
    const read = await clinic.admin.client.get(`/fhir/R4/AuditEvent/${e.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(e);
    // A nurse may read the clinical record but not the audit log.
    expect((await nurse.client.get(`/fhir/R4/AuditEvent/${e.id}`)).status).toBe(404);
    expect((await search('AuditEvent', serviceUserId, nurse)).total).toBe(0);
  });

  it('$everything is a collection whose references all resolve', async () => {
    const res = await s.doctor.client.get(`/fhir/R4/Patient/${s.serviceUserId}/$everything`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const b = res.body as Bundle;
    expect(b.type).toBe('collection');
    expect(r4Problems(b)).toEqual([]);
    expect(referencesUnresolved(b)).toEqual([]);
    const types = new Set(b.entry!.map((e) => e.resource!.resourceType));
    expect([...types].sort()).toEqual(['MedicationAdministration', 'MedicationRequest', 'Observation', 'Patient', 'Practitioner']);
    expect((await queryAudit(t.db.orm, { clinicId: s.clinic.clinicId, entityType: 'fhir_everything', limit: 1 }))[0]).toMatchObject({ entityId: s.serviceUserId, staffId: s.doctor.staffId });
  });

  it("another clinic's ids are answered as missing; unknown types and bad input get an OperationOutcome", async () => {
    const other = await t.newClinic();
    const stranger = await t.newStaff(other.clinicId, ['nurse']);
    const ids: [string, string][] = [
      ['Patient', s.serviceUserId],
      ['MedicationRequest', `${s.serviceUserId}.v1`],
      ['MedicationAdministration', s.givenDoseId],
      ['Observation', `${s.toxRecordId}.tox.0`],
      ['Practitioner', s.doctor.staffId],
    ];
    for (const [type, id] of ids) {
      const res = await stranger.client.get(`/fhir/R4/${type}/${id}`);
      expect(res.status, `${type}/${id}`).toBe(404);
      expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
      expect(r4Problems(res.body)).toEqual([]);
      const missing = await stranger.client.get(`/fhir/R4/${type}/${type === 'MedicationRequest' ? '01900000-0000-7000-8000-000000000000.v1' : '01900000-0000-7000-8000-000000000000'}`);
      expect(missing.status).toBe(404);
      expect(missing.body.issue[0].code).toBe(res.body.issue[0].code);
    }
    expect((await stranger.client.get(`/fhir/R4/Patient/${s.serviceUserId}/$everything`)).status).toBe(404);
    expect((await search('Observation', s.serviceUserId, stranger)).total).toBe(0);
    const unknown = await s.nurse.client.get(`/fhir/R4/Encounter/${s.serviceUserId}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    expect(r4Problems(unknown.body)).toEqual([]);
    expect((await s.nurse.client.get('/fhir/R4/Encounter?patient=x')).status).toBe(404);
    const noPatient = await s.nurse.client.get('/fhir/R4/Observation');
    expect(noPatient.status).toBe(400);
    expect(noPatient.body.issue[0].expression).toEqual(['patient']);
    expect(r4Problems(noPatient.body)).toEqual([]);
    const badCount = await s.nurse.client.get(`/fhir/R4/Patient?_count=0`);
    expect(badCount.status).toBe(400);
    expect(badCount.body.issue[0].expression).toEqual(['_count']);
    expect(r4Problems(badCount.body)).toEqual([]);
    expect((await s.nurse.client.get('/fhir/R4/Patient/not-an-id')).status).toBe(404);
    expect((await t.client().get(`/fhir/R4/Patient/${s.serviceUserId}`)).status).toBe(401);
  });

  it('a commissioner gets no FHIR person data', async () => {
    const commissioner = await t.newStaff(s.clinic.clinicId, ['commissioner']);
    expect((await commissioner.client.get(`/fhir/R4/Patient/${s.serviceUserId}`)).status).toBe(404);
    expect((await commissioner.client.get(`/fhir/R4/Patient/${s.serviceUserId}/$everything`)).status).toBe(404);
    for (const type of ['Patient', 'Practitioner', 'AuditEvent']) {
      const b = (await commissioner.client.get(`/fhir/R4/${type}`)).body;
      expect(b).toMatchObject({ resourceType: 'Bundle', total: 0 });
      expect(r4Problems(b)).toEqual([]);
    }
    for (const type of ['MedicationRequest', 'MedicationAdministration', 'Observation']) expect((await search(type, s.serviceUserId, commissioner)).total).toBe(0);
  });

  it('_count limits a search; total counts all matches', async () => {
    const b = (await s.nurse.client.get(`/fhir/R4/Observation?patient=${s.serviceUserId}&_count=2`)).body as Bundle;
    expect(b.entry).toHaveLength(2);
    expect(b.total).toBeGreaterThan(2);
    expect(r4Problems(b)).toEqual([]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.client().get('/api/openapi.json')).body;
    for (const path of ['/fhir/R4/{type}', '/fhir/R4/{type}/{id}', '/fhir/R4/Patient/{id}/$everything']) expect(doc.paths[path]?.get?.tags, path).toEqual(['fhir']);
  });
});
