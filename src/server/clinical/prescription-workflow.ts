import { Temporal } from 'temporal-polyfill';
import { checkPrescriptionVersion } from '../../domain/prescription/check-prescription';
import type { PrescriptionContent } from '../../domain/prescription/prescription';
import { timingRefusals, versionInForce } from '../../domain/prescription/versions';
import { refuse, type Refusal } from '../../domain/refusal';
import { TREATMENT_STATES } from '../../domain/episode/episode-event';
import { instantToDate } from '../../domain/time/clock';
import { insertPrescriptionVersion, type StoredPrescriptionVersion } from '../../store/prescriptions';
import { rolesAt, type StaffRow } from '../../store/staff';
import type { WriteContext } from '../../store/transaction';
import { refused } from '../errors';
import type { PersonState } from './person';

export type PrescribingContent = Omit<PrescriptionContent, 'status'>;

function episodeRefusals(person: PersonState, status: PrescriptionContent['status']): Refusal[] {
  const episode = person.episode?.episode;
  if (status !== 'active') return [];
  if (!episode || !(episode.state === 'accepted' || TREATMENT_STATES.has(episode.state))) {
    return [refuse('not_in_treatment', `A prescription needs an episode with a place (accepted, induction or maintenance); this person is ${episode ? episode.state.replace('_', ' ') : 'not referred'}`)];
  }
  if (episode.absence) {
    return [refuse('absent', `They are away (${episode.absence.kind}) since ${episode.absence.since}; record their return first`)];
  }
  return [];
}

/**
 * Sign a new prescription version: every rule in the domain is checked against the person's state
 * inside the transaction, and nothing is written unless all pass.
 */
export async function signPrescription(
  w: WriteContext,
  person: PersonState,
  signer: StaffRow,
  request: { content: PrescribingContent; status?: 'active'; effectiveFrom: Temporal.Instant; reason: string },
): Promise<StoredPrescriptionVersion> {
  const content: PrescriptionContent = { status: 'active', ...request.content };
  return writeVersion(w, person, signer, content, request.effectiveFrom, request.reason);
}

/** Suspend, cancel or end: a version copying what was prescribed, with the new status. */
export async function stopPrescription(
  w: WriteContext,
  person: PersonState,
  signer: StaffRow,
  status: 'suspended' | 'cancelled' | 'ended',
  reason: string,
): Promise<StoredPrescriptionVersion> {
  const now = Temporal.Instant.fromEpochMilliseconds(w.now.getTime());
  const inForce = versionInForce(person.prescriptions, now);
  const base = inForce?.content ?? null;
  if (!base) throw refused([refuse('nothing_to_stop', `There is no prescription in force to mark ${status}`)]);
  return writeVersion(w, person, signer, { ...base, status }, now, reason);
}

async function writeVersion(
  w: WriteContext,
  person: PersonState,
  signer: StaffRow,
  content: PrescriptionContent,
  effectiveFrom: Temporal.Instant,
  reason: string,
): Promise<StoredPrescriptionVersion> {
  const now = Temporal.Instant.fromEpochMilliseconds(w.now.getTime());
  const previous = versionInForce(person.prescriptions, effectiveFrom);
  const lastActive = [...person.prescriptions].reverse().find((v) => v.content.status === 'active') ?? null;
  const roles = await rolesAt(w.tx, person.clinicId, signer.staffId);
  const refusals = [
    ...episodeRefusals(person, content.status),
    ...timingRefusals(effectiveFrom, now),
  ];
  const decision = checkPrescriptionVersion(content, {
    limits: person.settings.dosingLimits,
    clinicSessions: person.settings.sessions.map((s) => s.code),
    previous: previous?.content ?? null,
    lastPrescribed: lastActive?.content.diamorphine ?? null,
    startingFresh: (person.episode?.episode.retitrationRequired ?? false) || person.missed.retitrationLocked || lastActive === null,
    prescriber: {
      isPrescriberHere: roles.includes('prescriber'),
      homeOfficeLicenceNumber: signer.homeOfficeLicenceNumber,
      homeOfficeLicenceExpiry: signer.homeOfficeLicenceExpiry,
    },
    today: person.today,
  });
  if (!decision.ok) refusals.push(...decision.refusals);
  if (refusals.length > 0) throw refused(refusals);
  const episodeId = person.episode?.episodeId;
  if (!episodeId) throw refused([refuse('not_in_treatment', 'This person has no treatment episode')]);
  const saved = await insertPrescriptionVersion(w, person.clinicId, {
    serviceUserId: person.serviceUserId,
    episodeId,
    version: (person.prescriptions.at(-1)?.version ?? 0) + 1,
    content,
    effectiveFrom: instantToDate(effectiveFrom),
    reason,
  });
  person.prescriptions.push(saved);
  return saved;
}
