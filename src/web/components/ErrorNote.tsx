import { Alert, List } from '@mantine/core';
import { ApiFailure } from '../api';

/** A failed request in words: the rule and its figures for a refusal, every field problem for bad input. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiFailure ? error : null;
  const title = e?.refusals?.length ? 'Refused' : e?.status === 400 ? 'Check the form' : 'Something went wrong';
  return (
    <Alert color="red" title={title} role="alert" data-testid="error-note">
      {e?.refusals?.length ? (
        <List size="sm">
          {e.refusals.map((r) => (
            <List.Item key={r.rule + r.message}>
              <strong>{r.rule.replace(/_/g, ' ')}</strong>: {r.message}
            </List.Item>
          ))}
        </List>
      ) : e?.problems?.length ? (
        <List size="sm">
          {e.problems.map((p) => (
            <List.Item key={p.field + p.message}>
              {p.field}: {p.message}
            </List.Item>
          ))}
        </List>
      ) : (
        (e?.message ?? String(error))
      )}
    </Alert>
  );
}
