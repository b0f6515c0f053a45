import type { Bundle, Resource } from '@medplum/fhirtypes';

/** A Bundle of resources: a searchset (with its total) or a collection (a person's record). */
export function toBundle(type: 'searchset' | 'collection', resources: readonly Resource[], options: { baseUrl: string; timestamp: string; total?: number }): Bundle {
  return {
    resourceType: 'Bundle',
    type,
    timestamp: options.timestamp,
    ...(type === 'searchset' ? { total: options.total ?? resources.length } : {}),
    // An empty search has no entry element at all: R4 allows no empty arrays (ele-1).
    ...(resources.length > 0
      ? {
          entry: resources.map((resource) => ({
            fullUrl: `${options.baseUrl}/${resource.resourceType}/${resource.id}`,
            resource,
            ...(type === 'searchset' ? { search: { mode: 'match' as const } } : {}),
          })),
        }
      : {}),
  };
}

/** An OperationOutcome for an error answer. */
export function operationOutcome(code: 'not-found' | 'invalid' | 'not-supported' | 'forbidden', diagnostics: string, expression?: string) {
  return {
    resourceType: 'OperationOutcome' as const,
    issue: [{ severity: 'error' as const, code, diagnostics, ...(expression ? { expression: [expression] } : {}) }],
  };
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
