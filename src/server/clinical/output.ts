import type { FastifyRequest } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import { displayName, recordAlerts } from '../../domain/service-user/record';
import { canBeDosed } from '../../domain/episode/episode';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { versionInForce } from '../../domain/prescription/versions';
import type { StoredEpisode } from '../../store/episodes';
import type { StoredPrescriptionVersion } from '../../store/prescriptions';
import type { ServiceUserVersion } from '../../store/service-users';
import { notFound } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID path parameter, or 404 (a malformed id names no record). */
export function idParam(req: FastifyRequest, name: string, what: string): string {
  const value = (req.params as Record<string, string>)[name] ?? '';
  if (!UUID.test(value)) throw notFound(what);
  return value.toLowerCase();
}

export function episodeSummaryOut(stored: StoredEpisode | null) {
  if (!stored) return null;
  const e = stored.episode;
  return {
    episodeId: stored.episodeId,
    state: e.state,
    referredAt: e.referredAt,
    placeHeld: e.placeHeld,
    absence: e.absence,
    retitrationRequired: e.retitrationRequired,
    reviewRequired: e.reviewRequired,
    dischargeReason: e.dischargeReason ?? null,
  };
}

export function episodeDetailOut(stored: StoredEpisode) {
  return { ...episodeSummaryOut(stored)!, serviceUserId: stored.serviceUserId, events: stored.events as unknown as Record<string, unknown>[] };
}

export function prescriptionOut(v: StoredPrescriptionVersion | null) {
  if (!v) return null;
  return {
    version: v.version,
    status: v.content.status,
    content: v.content as unknown as Record<string, unknown>,
    effectiveFrom: v.effectiveFrom.toString(),
    signedAt: v.signedAt.toString(),
    signedBy: v.signedBy,
    reason: v.reason,
    episodeId: v.episodeId,
  };
}

export function summaryOut(v: ServiceUserVersion, episode: StoredEpisode | null) {
  return {
    serviceUserId: v.serviceUserId,
    displayName: displayName(v.record),
    familyName: v.record.familyName,
    givenName: v.record.givenName,
    dateOfBirth: v.record.dateOfBirth,
    nhsNumber: v.record.nhsNumber,
    version: v.version,
    episode: episodeSummaryOut(episode),
  };
}

/** Alerts from the record, the episode and the prescription: what staff must know before a dose. */
export interface Alert {
  kind: string;
  severity: 'info' | 'warning' | 'danger';
  text: string;
}

export function alertsFor(v: ServiceUserVersion, episode: StoredEpisode | null, inForce: StoredPrescriptionVersion | null): Alert[] {
  const alerts: Alert[] = [];
  if (episode) {
    const dosable = canBeDosed(episode.episode);
    // Before and after treatment "cannot be dosed" is no news; during it, it is the first thing to see.
    if (!dosable.ok && TREATMENT_STATES.has(episode.episode.state)) {
      for (const r of dosable.refusals) alerts.push({ kind: r.rule, severity: 'danger', text: r.message });
    }
    if (episode.episode.retitrationRequired) {
      alerts.push({ kind: 'retitration_required', severity: 'danger', text: 'Re-titration required: doses start again from the re-titration dose' });
    }
  }
  if (inForce && inForce.content.status !== 'active') {
    alerts.push({ kind: `prescription_${inForce.content.status}`, severity: 'danger', text: `Prescription ${inForce.content.status}: ${inForce.reason}` });
  }
  if (inForce?.content.methadone) {
    const m = inForce.content.methadone;
    alerts.push({ kind: 'methadone', severity: 'info', text: `${m.drug}: ${m.dailyDoseMg} mg a day from ${m.pharmacy}${m.supervised ? ', supervised' : ''}` });
  }
  return [...alerts, ...recordAlerts(v.record)];
}

export function inForceNow(versions: StoredPrescriptionVersion[], now: Temporal.Instant): StoredPrescriptionVersion | null {
  return versionInForce(versions, now);
}

export const instantOf = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime());
