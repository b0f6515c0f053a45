import type { FastifyRequest } from 'fastify';
import type { ClinicSettingsVersion } from '../store/clinics';

/** The clinic in the URL, already checked by the authorization hook. */
export function clinicIdOf(req: FastifyRequest): string {
  return (req.params as { clinicId: string }).clinicId.toLowerCase();
}

export function settingsVersionOut(v: ClinicSettingsVersion) {
  return {
    version: v.version,
    settings: v.settings,
    reason: v.reason,
    changedAt: v.changedAt.toISOString(),
    changedBy: v.changedBy,
  };
}

export function clinicOut(createdAt: Date, v: ClinicSettingsVersion) {
  return { clinicId: v.clinicId, createdAt: createdAt.toISOString(), settingsVersion: v.version, settings: v.settings };
}
