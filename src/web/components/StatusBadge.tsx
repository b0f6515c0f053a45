import { Badge } from '@mantine/core';

const LOOK: Record<string, { color: string; label: string; icon: string }> = {
  due: { color: 'gray', label: 'Due', icon: '○' },
  in_assessment: { color: 'blue', label: 'In assessment', icon: '◔' },
  prepared: { color: 'indigo', label: 'Prepared', icon: '◑' },
  given: { color: 'teal', label: 'Given', icon: '●' },
  in_observation: { color: 'orange', label: 'In observation', icon: '◉' },
  discharged: { color: 'green', label: 'Discharged', icon: '✓' },
  refused: { color: 'red', label: 'Refused', icon: '✕' },
  withheld: { color: 'red', label: 'Withheld', icon: '✕' },
  missed: { color: 'grape', label: 'Missed', icon: '∅' },
  prepared_not_given: { color: 'red', label: 'Prepared, not given', icon: '⊘' },
  not_expected: { color: 'gray', label: 'Not expected', icon: '·' },
};

/** Status in words and a symbol as well as colour, never by colour alone. */
export function StatusBadge({ status }: { status: string }) {
  const look = LOOK[status] ?? { color: 'gray', label: status, icon: '·' };
  return (
    <Badge color={look.color} variant="light" size="lg" radius="sm" data-status={status}>
      <span aria-hidden="true">{look.icon} </span>
      {look.label}
    </Badge>
  );
}
