export function OutcomeChange({ serviceUserId }: { serviceUserId: string }) {
  return serviceUserId ? null : null;
}
