/**
 * The acceptance rules of the TOTP second factor (RFC 6238): 30-second time steps counted from
 * the Unix epoch, a code accepted for the current step or one either side (a phone's clock may
 * drift a little, and a code typed at the end of its step arrives in the next), and never for a
 * step at or before the last one accepted, so that a code seen over someone's shoulder or in a
 * proxy log cannot be used again (RFC 6238 section 5.2). The HMAC itself is computed outside the
 * domain; this module only says which steps may be tried.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of the current one that are still accepted. */
export const TOTP_WINDOW = 1;

export function timeStep(epochMilliseconds: number): number {
  return Math.floor(epochMilliseconds / 1000 / TOTP_PERIOD_SECONDS);
}

/** The steps whose codes may be accepted now, oldest first. */
export function acceptableSteps(currentStep: number, lastUsedStep: number | null, window = TOTP_WINDOW): number[] {
  const steps: number[] = [];
  for (let step = currentStep - window; step <= currentStep + window; step++) {
    if (step >= 0 && (lastUsedStep === null || step > lastUsedStep)) steps.push(step);
  }
  return steps;
}

/** Steps inside the window whose codes were already used: a code matching one of them is a replay. */
export function spentSteps(currentStep: number, lastUsedStep: number | null, window = TOTP_WINDOW): number[] {
  if (lastUsedStep === null) return [];
  const steps: number[] = [];
  for (let step = currentStep - window; step <= Math.min(currentStep + window, lastUsedStep); step++) {
    if (step >= 0) steps.push(step);
  }
  return steps;
}

/** What a person types: digits, perhaps with spaces ("123 456") that authenticator apps show. */
export function normaliseCode(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(digits) ? digits : null;
}

/** Recovery codes are compared without case, spaces or dashes. */
export function normaliseRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[\s-]/g, '');
}
