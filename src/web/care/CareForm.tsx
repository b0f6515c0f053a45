import { Button, Checkbox, Fieldset, Group, MultiSelect, NumberInput, Select, Stack, Textarea, TextInput } from '@mantine/core';
import type { ApiFailure } from '../api';

/**
 * The forms of monitoring and care records, described as data: one small engine draws Mantine
 * inputs for each field (including lists such as toxicology results or care-plan goals) and shows
 * the server's message for a field beside it, so that every kind's form behaves the same way.
 */
export type Field =
  | { name: string; label: string; type: 'text' | 'textarea' | 'date'; required?: boolean; empty?: 'omit' | 'null'; description?: string; when?: (v: Values) => boolean }
  | { name: string; label: string; type: 'number'; required?: boolean; empty?: 'omit' | 'null'; initial?: number; min?: number; max?: number; step?: number; description?: string; when?: (v: Values) => boolean }
  | { name: string; label: string; type: 'select'; options: readonly (string | { value: string; label: string })[]; initial?: string; required?: boolean; empty?: 'omit' | 'null'; description?: string; when?: (v: Values) => boolean }
  | { name: string; label: string; type: 'multiselect'; options: readonly (string | { value: string; label: string })[]; description?: string; when?: (v: Values) => boolean }
  | { name: string; label: string; type: 'checkbox'; description?: string; when?: (v: Values) => boolean }
  | { name: string; label: string; type: 'group'; fields: Field[]; nullable?: boolean; description?: string; when?: (v: Values) => boolean }
  | { name: string; label: string; type: 'list'; fields: Field[]; itemLabel: string; min?: number; description?: string; when?: (v: Values) => boolean }
  /** Yes, no, or not answered (null). */
  | { name: string; label: string; type: 'yesno'; description?: string; when?: (v: Values) => boolean }
  /** The Treatment Outcomes Profile's "days in each of the past four weeks" (or null: not answered), with an amount on a using day and a name if asked. */
  | { name: string; label: string; type: 'days'; amount?: string; named?: boolean; description?: string; when?: (v: Values) => boolean };

export type Values = Record<string, unknown>;

const label = (o: string | { value: string; label: string }) => (typeof o === 'string' ? { value: o, label: o.replace(/_/g, ' ') } : o);

/** Starting values for a form: empty, or a record's data to correct. */
export function initialValues(fields: Field[], data?: Values | null): Values {
  const out: Values = {};
  for (const f of fields) {
    const v = data?.[f.name];
    if (f.type === 'group') out[f.name] = f.nullable && (data ? v == null : true) ? null : initialValues(f.fields, (v as Values | undefined) ?? null);
    else if (f.type === 'list') out[f.name] = Array.isArray(v) ? v.map((x) => initialValues(f.fields, x as Values)) : [];
    else if (f.type === 'checkbox') out[f.name] = Boolean(v ?? false);
    else if (f.type === 'days') {
      const x = v as { weeks?: number[] | null; days?: number | null; averagePerUsingDay?: number | null; name?: string | null } | null | undefined;
      out[f.name] = data && x == null ? null : { weeks: x?.weeks ?? (x?.days != null ? null : [0, 0, 0, 0]), days: x?.weeks ? null : (x?.days ?? null), averagePerUsingDay: x?.averagePerUsingDay ?? null, name: x?.name ?? null };
    } else if (f.type === 'yesno') out[f.name] = v ?? null;
    else if (f.type === 'multiselect') out[f.name] = Array.isArray(v) ? v : [];
    else out[f.name] = v ?? (data ? null : ('initial' in f ? (f.initial ?? null) : null));
  }
  return out;
}

/** The JSON body from the form's values: empty inputs left out or sent as null, as each field says. */
export function bodyOf(fields: Field[], values: Values): Values {
  const out: Values = {};
  for (const f of fields) {
    if (f.when && !f.when(values)) continue;
    const v = values[f.name];
    if (f.type === 'group') out[f.name] = v === null ? null : bodyOf(f.fields, v as Values);
    else if (f.type === 'list') out[f.name] = (v as Values[]).map((x) => bodyOf(f.fields, x));
    else if (f.type === 'checkbox' || f.type === 'multiselect' || f.type === 'yesno') out[f.name] = v;
    else if (f.type === 'days') {
      const x = v as { weeks: number[] | null; days: number | null; averagePerUsingDay: number | null; name: string | null } | null;
      out[f.name] = x === null ? null : { ...(x.weeks ? { weeks: x.weeks } : { days: x.days }), ...(f.amount ? { averagePerUsingDay: x.averagePerUsingDay } : {}), ...(f.named ? { name: x.name || null } : {}) };
    }
    else if (v === null || v === '') {
      if ('empty' in f && f.empty === 'null') out[f.name] = null;
    } else out[f.name] = v;
  }
  return out;
}

function FieldInput({ f, value, set, path, error, all }: { f: Field; value: unknown; set: (v: unknown) => void; path: string; error: ApiFailure | null; all: Values }) {
  if (f.when && !f.when(all)) return null;
  const err = error?.forField(path);
  switch (f.type) {
    case 'text':
      return <TextInput label={f.label} description={f.description} required={f.required} value={(value as string | null) ?? ''} onChange={(e) => set(e.currentTarget.value)} error={err} />;
    case 'textarea':
      return <Textarea label={f.label} description={f.description} required={f.required} autosize minRows={2} value={(value as string | null) ?? ''} onChange={(e) => set(e.currentTarget.value)} error={err} />;
    case 'date':
      return <TextInput type="date" label={f.label} description={f.description} required={f.required} value={(value as string | null) ?? ''} onChange={(e) => set(e.currentTarget.value || null)} error={err} />;
    case 'number':
      return (
        <NumberInput
          label={f.label}
          description={f.description}
          required={f.required}
          min={f.min}
          max={f.max}
          step={f.step}
          allowDecimal={f.step !== undefined && f.step < 1}
          value={(value as number | null) ?? ''}
          onChange={(v) => set(typeof v === 'number' ? v : v === '' ? null : Number(v))}
          error={err}
        />
      );
    case 'select':
      return <Select label={f.label} description={f.description} required={f.required} data={f.options.map(label)} value={(value as string | null) ?? null} onChange={(v) => set(v)} error={err} clearable={!f.required} allowDeselect={!f.required} />;
    case 'multiselect':
      return <MultiSelect label={f.label} description={f.description} data={f.options.map(label)} value={(value as string[]) ?? []} onChange={(v) => set(v)} error={err} />;
    case 'checkbox':
      return <Checkbox label={f.label} description={f.description} checked={Boolean(value)} onChange={(e) => set(e.currentTarget.checked)} error={err} />;
    case 'yesno':
      return (
        <Select
          label={f.label}
          description={f.description}
          data={[
            { value: 'yes', label: 'yes' },
            { value: 'no', label: 'no' },
            { value: 'unanswered', label: 'not answered' },
          ]}
          value={value === true ? 'yes' : value === false ? 'no' : 'unanswered'}
          onChange={(v) => set(v === 'yes' ? true : v === 'no' ? false : null)}
          allowDeselect={false}
          error={err}
        />
      );
    case 'days': {
      const v = value as { weeks: number[] | null; days: number | null; averagePerUsingDay: number | null; name: string | null } | null;
      const weeks = v?.weeks ?? [0, 0, 0, 0];
      return (
        <Fieldset legend={f.label} aria-label={f.label}>
          <Stack gap={4}>
            {err && <div style={{ color: 'var(--mantine-color-red-9)' }}>{err}</div>}
            <Checkbox label="Not answered" checked={v === null} onChange={(e) => set(e.currentTarget.checked ? null : { weeks: [0, 0, 0, 0], days: null, averagePerUsingDay: null, name: null })} />
            {v !== null && (
              <Group gap="xs" align="flex-end" wrap="wrap">
                {f.named && <TextInput label="Which substance" value={v.name ?? ''} onChange={(e) => set({ ...v, name: e.currentTarget.value })} error={error?.forField(`${path}.name`)} w={180} />}
                {weeks.map((w, i) => (
                  <NumberInput
                    key={i}
                    label={i === 0 ? 'Week 1 (latest)' : `Week ${i + 1}`}
                    aria-label={`${f.label}: days in week ${i + 1}`}
                    min={0}
                    max={7}
                    w={110}
                    value={w}
                    onChange={(n) => set({ ...v, weeks: weeks.map((x, j) => (j === i ? (typeof n === 'number' ? n : 0) : x)), days: null })}
                  />
                ))}
                <div aria-live="polite" style={{ paddingBottom: 8 }}>
                  = {weeks.reduce((a, b) => a + b, 0)} of 28 days
                </div>
                {f.amount && (
                  <NumberInput label={f.amount} min={0} step={0.5} allowDecimal w={200} value={v.averagePerUsingDay ?? ''} onChange={(n) => set({ ...v, averagePerUsingDay: typeof n === 'number' ? n : null })} error={error?.forField(`${path}.averagePerUsingDay`)} />
                )}
              </Group>
            )}
          </Stack>
        </Fieldset>
      );
    }
    case 'group': {
      const v = value as Values | null;
      return (
        <Fieldset legend={f.label}>
          <Stack gap="xs">
            {f.nullable && <Checkbox label={`Record ${f.label.toLowerCase()}`} checked={v !== null} onChange={(e) => set(e.currentTarget.checked ? initialValues(f.fields) : null)} />}
            {v !== null && <Fields fields={f.fields} values={v} onChange={set} error={error} prefix={`${path}.`} />}
          </Stack>
        </Fieldset>
      );
    }
    case 'list': {
      const items = (value as Values[]) ?? [];
      return (
        <Fieldset legend={f.label}>
          <Stack gap="xs">
            {err && <div style={{ color: 'var(--mantine-color-red-9)' }}>{err}</div>}
            {items.map((item, i) => (
              <Group key={i} align="flex-end" wrap="wrap" gap="xs" aria-label={`${f.itemLabel} ${i + 1}`} role="group">
                <Fields fields={f.fields} values={item} onChange={(nv) => set(items.map((x, j) => (j === i ? nv : x)))} error={error} prefix={`${path}[${i}].`} inline />
                <Button variant="subtle" color="red" c="red.9" onClick={() => set(items.filter((_, j) => j !== i))} aria-label={`Remove ${f.itemLabel} ${i + 1}`}>
                  Remove
                </Button>
              </Group>
            ))}
            <Button variant="light" onClick={() => set([...items, initialValues(f.fields)])} style={{ alignSelf: 'flex-start' }}>
              Add {f.itemLabel}
            </Button>
          </Stack>
        </Fieldset>
      );
    }
  }
}

export function Fields({ fields, values, onChange, error, prefix = '', inline = false }: { fields: Field[]; values: Values; onChange: (v: Values) => void; error: ApiFailure | null; prefix?: string; inline?: boolean }) {
  const inputs = fields.map((f) => <FieldInput key={f.name} f={f} all={values} value={values[f.name]} set={(v) => onChange({ ...values, [f.name]: v })} path={`${prefix}${f.name}`} error={error} />);
  return inline ? <>{inputs}</> : <Stack gap="xs">{inputs}</Stack>;
}
