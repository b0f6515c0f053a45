import { Badge } from '@mantine/core';

const LOOK: Record<string, { color: string; label: string; icon: string }> = {
  due: { color: 'gray.8', label: 'Due', icon: '○' },
  in_assessment: { color: 'blue.9', label: 'In assessment', icon: '◔' },
  prepared: { color: 'indigo.9', label: 'Prepared', icon: '◑' },
  given: { color: 'cyan.9', label: 'Given', icon: '●' },
  in_observation: { color: 'violet.9', label: 'In observation', icon: '◉' },
  discharged: { color: 'teal.9', label: 'Discharged', icon: '✓' },
  refused: { color: 'red.9', label: 'Refused', icon: '✕' },
  withheld: { color: 'red.9', label: 'Withheld', icon: '✕' },
  missed: { color: 'grape.9', label: 'Missed', icon: '∅' },
  prepared_not_given: { color: 'red.9', label: 'Prepared, not given', icon: '⊘' },
  not_expected: { color: 'gray.8', label: 'Not expected', icon: '·' },
};

/** Status in words and a symbol as well as colour, never by colour alone; white on dark shades for AA contrast. */
export function StatusBadge({ status }: { status: string }) {
  const look = LOOK[status] ?? { color: 'gray.8', label: status, icon: '·' };
  return (
    <Badge color={look.color} variant="filled" size="lg" radius="sm" data-status={status}>
      <span aria-hidden="true">{look.icon} </span>
      {look.label}
    </Badge>
  );
}
