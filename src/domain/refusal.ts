/**
 * An unsafe or not-allowed request, refused by a named rule. The API sends `rule` as the error
 * code and `message` as the words staff read, so a refusal always says which rule and why,
 * with the figures.
 */
export interface Refusal {
  /** Stable snake_case name of the rule, e.g. `max_single_dose`. */
  rule: string;
  /** The request field concerned, when there is one (e.g. `diamorphine.ivDoseMg`). */
  field?: string;
  message: string;
}

export type Decision<T> = { ok: true; value: T } | { ok: false; refusals: Refusal[] };

export const refuse = (rule: string, message: string, field?: string): Refusal => ({ rule, message, ...(field ? { field } : {}) });
