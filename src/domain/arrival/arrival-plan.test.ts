import { describe, expect, it } from 'vitest';
import { defaultClinicSettings } from '../clinic/clinic-settings';
import { ArrivalPlanData, checkArrivalPlan } from './arrival-plan';

const settings = defaultClinicSettings('Test');
settings.arrival = { slotsEnabled: true, slotMinutes: 15, peoplePerSlot: 3, waitingAreas: [
  { code: 'main', name: 'Main waiting room', capacity: 10, purpose: null },
  { code: 'quiet_room', name: 'Quiet room', capacity: 4, purpose: 'people stopping street drugs' },
] };

const plan = (over: Record<string, unknown> = {}) => ArrivalPlanData.parse({ preferredSlots: { AM: '08:15', PM: null }, preferredArea: 'quiet_room', separateBecause: 'stopping_street_drugs', ...over });

describe('checkArrivalPlan', () => {
  it('accepts slots that exist and a configured area', () => {
    expect(checkArrivalPlan(plan(), settings)).toEqual({ ok: true, value: plan() });
    expect(checkArrivalPlan(plan({ preferredSlots: {}, preferredArea: null, separateBecause: null }), settings).ok).toBe(true);
  });

  it('defaults every field', () => {
    expect(ArrivalPlanData.parse({})).toEqual({ preferredSlots: {}, preferredArea: null, separateBecause: null, notes: null });
  });

  it('refuses a slot that does not start at a slot time, naming the session', () => {
    const r = checkArrivalPlan(plan({ preferredSlots: { AM: '08:10' } }), settings);
    expect(r).toMatchObject({ ok: false, refusals: [{ rule: 'arrival_slot_unknown', field: 'preferredSlots.AM' }] });
    expect(!r.ok && r.refusals[0]!.message).toContain('every 15 min from 08:00');
  });

  it('refuses a slot outside the session', () => {
    expect(checkArrivalPlan(plan({ preferredSlots: { AM: '11:30' } }), settings)).toMatchObject({ ok: false, refusals: [{ rule: 'arrival_slot_unknown' }] });
    expect(checkArrivalPlan(plan({ preferredSlots: { PM: '12:45' } }), settings)).toMatchObject({ ok: false, refusals: [{ rule: 'arrival_slot_unknown', field: 'preferredSlots.PM' }] });
    expect(checkArrivalPlan(plan({ preferredSlots: { PM: '17:15' } }), settings).ok).toBe(true);
  });

  it('refuses a session the clinic does not have', () => {
    expect(checkArrivalPlan(plan({ preferredSlots: { EVE: '19:00' } }), settings)).toMatchObject({ ok: false, refusals: [{ rule: 'arrival_session_unknown', field: 'preferredSlots.EVE' }] });
  });

  it('refuses an area that is not configured', () => {
    expect(checkArrivalPlan(plan({ preferredArea: 'garden' }), settings)).toMatchObject({ ok: false, refusals: [{ rule: 'waiting_area_unknown', field: 'preferredArea' }] });
    const none = { ...settings, arrival: { ...settings.arrival, waitingAreas: [] } };
    const r = checkArrivalPlan(plan(), none);
    expect(!r.ok && r.refusals[0]!.message).toContain('none are configured');
  });

  it('names every problem at once', () => {
    const r = checkArrivalPlan(plan({ preferredSlots: { AM: '08:10', PM: '12:00' }, preferredArea: 'garden' }), settings);
    expect(!r.ok && r.refusals.map((x) => x.field)).toEqual(['preferredSlots.AM', 'preferredSlots.PM', 'preferredArea']);
  });

  it('follows the slot length', () => {
    const half = { ...settings, arrival: { ...settings.arrival, slotMinutes: 30 } };
    expect(checkArrivalPlan(plan(), half).ok).toBe(false);
    expect(checkArrivalPlan(plan({ preferredSlots: { AM: '08:30' } }), half).ok).toBe(true);
  });
});
