import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * A structural check of what openhat emits against the R4 specification's required elements
 * (cardinality 1..*) and its invariants that matter here. No R4 structure validator package is
 * available offline, so this is written by hand from the R4 resource definitions, for the
 * resource types openhat emits only. It returns the problems found (empty when valid).
 */
const REQUIRED: Record<string, readonly string[]> = {
  Patient: [],
  Practitioner: [],
  MedicationRequest: ['status', 'intent', 'subject', 'medication[x]'],
  MedicationAdministration: ['status', 'subject', 'medication[x]', 'effective[x]'],
  Observation: ['status', 'code', 'subject'],
  AuditEvent: ['type', 'recorded', 'agent', 'source'],
  Bundle: ['type'],
};

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const DATETIME = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
const STATUSES: Record<string, readonly string[]> = {
  MedicationRequest: ['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown'],
  MedicationAdministration: ['in-progress', 'not-done', 'on-hold', 'completed', 'entered-in-error', 'stopped', 'unknown'],
  Observation: ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'],
};

function has(r: Record<string, unknown>, element: string): boolean {
  if (element.endsWith('[x]')) {
    const stem = element.slice(0, -3);
    return Object.keys(r).some((k) => k.startsWith(stem) && k.length > stem.length && k[stem.length] === k[stem.length]!.toUpperCase() && r[k] !== undefined);
  }
  const v = r[element];
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== '';
}

/** References in a resource (any `reference` string, at any depth). */
export function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => referencesIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else referencesIn(v, out);
    }
  }
  return out;
}

export function validateResource(resource: Resource): string[] {
  const r = resource as unknown as Record<string, unknown>;
  const type = r.resourceType;
  const problems: string[] = [];
  if (typeof type !== 'string' || !(type in REQUIRED)) return [`resourceType ${String(type)} is not one openhat emits`];
  const where = `${type}/${String(r.id)}`;
  if (type !== 'Bundle' && (typeof r.id !== 'string' || !ID.test(r.id))) problems.push(`${where}: id is missing or not a FHIR id`);
  for (const e of REQUIRED[type]!) if (!has(r, e)) problems.push(`${where}: ${e} is required`);
  if (STATUSES[type] && !STATUSES[type]!.includes(r.status as string)) problems.push(`${where}: status ${String(r.status)} is not in the R4 value set`);
  if (type === 'MedicationRequest' && r.intent !== 'order' && r.intent !== 'plan' && r.intent !== 'proposal') problems.push(`${where}: intent`);
  if (type === 'MedicationAdministration' && r.status === 'not-done' && !has(r, 'statusReason')) problems.push(`${where}: a not-done administration needs a statusReason`);
  if (type === 'Patient' && r.birthDate !== undefined && !DATE.test(r.birthDate as string)) problems.push(`${where}: birthDate`);
  for (const k of ['effectiveDateTime', 'authoredOn', 'recorded']) {
    if (r[k] !== undefined && !DATETIME.test(r[k] as string)) problems.push(`${where}: ${k} is not an R4 dateTime`);
  }
  if (type === 'AuditEvent') {
    const agents = (r.agent as { requestor?: unknown }[] | undefined) ?? [];
    if (agents.some((a) => typeof a.requestor !== 'boolean')) problems.push(`${where}: agent.requestor is required`);
    if (!has((r.source as Record<string, unknown>) ?? {}, 'observer')) problems.push(`${where}: source.observer is required`);
  }
  // ele-1: no empty elements; a CodeableConcept needs a coding or text
  const empties = (v: unknown, path: string): void => {
    if (v === null || v === '' || (Array.isArray(v) && v.length === 0) || (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) {
      problems.push(`${where}: ${path} is empty (ele-1)`);
    } else if (Array.isArray(v)) v.forEach((x, i) => empties(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) empties(x, `${path}.${k}`);
  };
  for (const [k, v] of Object.entries(r)) if (k !== 'entry') empties(v, k);
  return problems;
}

/** Every resource of the bundle valid, and every reference resolving to an entry in it. */
export function validateBundle(bundle: Bundle): string[] {
  const problems = validateResource(bundle);
  const present = new Set((bundle.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`));
  for (const e of bundle.entry ?? []) {
    if (!e.resource) {
      problems.push('an entry has no resource');
      continue;
    }
    problems.push(...validateResource(e.resource));
    for (const ref of referencesIn(e.resource)) {
      if (!present.has(ref)) problems.push(`${e.resource.resourceType}/${e.resource.id}: reference ${ref} does not resolve within the bundle`);
    }
  }
  return problems;
}
