import { z } from 'zod';
import { SEPARATION_REASONS } from '../../domain/arrival/arrival-plan';
import { TRANSPORT_MODES } from '../../domain/service-user/record';
import { WALL_TIME_PATTERN } from '../../domain/time/zone';

/** Request and response shapes of the arrival routes (slots, waiting areas, moves, travel report). */

const isoDate = z.iso.date('must be a date as YYYY-MM-DD');
const sessionCode = z.string().regex(/^[A-Z][A-Z0-9_]{0,15}$/, 'must be a session code such as AM');
const wallTime = z.string().regex(WALL_TIME_PATTERN, 'must be a time of day as HH:MM (24-hour clock)');

export const SessionDayQuery = z.object({
  date: isoDate.optional().describe("The clinic date (default: today at the clinic); today or later"),
  session: sessionCode.describe('The session code, e.g. AM'),
});

const Person = z.object({ serviceUserId: z.string(), displayName: z.string() });
const SlotOut = z.object({ code: z.string().describe('e.g. AM-0815'), session: z.string(), start: z.string(), end: z.string() });
const Basis = z.enum(['moved', 'preferred', 'assigned']).nullable().describe('moved: by staff for the day; preferred: their standing plan; assigned: by the allocation');

export const AllocationOut = z.object({
  date: z.string(),
  session: z.object({ code: z.string(), label: z.string(), start: z.string(), end: z.string() }),
  enabled: z.boolean().describe('Whether the clinic uses arrival slots (settings.arrival.slotsEnabled); the allocation is computed either way'),
  slotMinutes: z.number().int(),
  peoplePerSlot: z.number().int(),
  slots: z.array(SlotOut.extend({ places: z.number().int(), count: z.number().int(), people: z.array(Person) })),
  areas: z.array(z.object({ code: z.string(), name: z.string(), purpose: z.string().nullable(), capacity: z.number().int(), count: z.number().int() })),
  people: z.array(
    Person.extend({
      slot: SlotOut.nullable(),
      slotBasis: Basis,
      area: z.string().nullable(),
      areaName: z.string().nullable(),
      areaBasis: Basis,
      separateBecause: z.enum(SEPARATION_REASONS).nullable(),
      notes: z.array(z.string()).describe('Why a move or preference was not honoured'),
      lastMove: z.object({ recordId: z.string(), reason: z.string(), recordedAt: z.string(), recordedBy: z.string().nullable() }).nullable(),
    }),
  ),
  unallocated: z.array(Person.extend({ why: z.string() })).describe('People without a slot, or without an area when the clinic has areas'),
  warnings: z.array(z.object({ rule: z.string(), area: z.string().nullable(), message: z.string(), people: z.array(Person) })),
});

export const MoveRequest = z.object({
  serviceUserId: z.uuid('must be a service user id (UUID)'),
  date: isoDate.describe('The clinic date of the move (today or later)'),
  session: sessionCode,
  slot: wallTime.nullable().optional().describe('The start of the slot to move them to (HH:MM); leave out to keep their slot'),
  area: z.string().max(30).nullable().optional().describe('The waiting area code to move them to; leave out to keep their area'),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
});

export const MoveOut = z.object({
  recordId: z.string().describe('The arrival_change care record'),
  serviceUserId: z.string(),
  date: z.string(),
  session: z.string(),
  slot: z.string().nullable(),
  area: z.string().nullable(),
  previous: z.object({ slot: z.string().nullable(), area: z.string().nullable() }),
  reason: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string().nullable(),
});

export const WaitingAreasOut = z.object({
  date: z.string(),
  session: z.string(),
  enabled: z.boolean(),
  areas: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      purpose: z.string().nullable(),
      capacity: z.number().int(),
      count: z.number().int(),
      people: z.array(Person.extend({ slot: z.string().nullable().describe('Slot start (HH:MM)'), separateBecause: z.enum(SEPARATION_REASONS).nullable() })),
    }),
  ),
  withoutArea: z.array(Person.extend({ why: z.string() })),
  warnings: z.array(z.object({ rule: z.string(), area: z.string().nullable(), message: z.string() })),
});

export const TravelQuery = z.object({ from: isoDate, to: isoDate });

const Counts = { expected: z.number().int(), attended: z.number().int(), given: z.number().int(), attendancePercent: z.number().nullable() };

export const TravelReportOut = z.object({
  from: z.string(),
  to: z.string(),
  people: z.array(
    Person.extend({
      minutesOneWay: z.number().int().nullable(),
      transport: z.array(z.enum(TRANSPORT_MODES)),
      changes: z.number().int().nullable(),
      band: z.string(),
      missed: z.number().int(),
      ...Counts,
    }),
  ),
  bands: z.array(z.object({ band: z.string(), label: z.string(), people: z.number().int(), ...Counts })),
});
