import { HISTORY_ENDS } from './sizes';

/**
 * Before a re-run on data made by an earlier run: remove what earlier runs added after the
 * generated history (the benchmark's own sessions, doses, register entries and audit rows, and the
 * missed doses the server's job recorded for days the benchmark skipped), so every run doses the
 * same days on the same history. Clinical tables are append-only by trigger; this is benchmark data,
 * and the triggers are bypassed for this one transaction (session_replication_role = replica).
 */
export const RESET_SQL = `
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM dose_outcomes o USING doses d WHERE o.clinic_id = d.clinic_id AND o.dose_id = d.dose_id AND d.clinic_date > '${HISTORY_ENDS}';
DELETE FROM dose_events e USING doses d WHERE e.clinic_id = d.clinic_id AND e.dose_id = d.dose_id AND d.clinic_date > '${HISTORY_ENDS}';
DELETE FROM doses WHERE clinic_date > '${HISTORY_ENDS}';
DELETE FROM handover_notes h USING dosing_sessions s WHERE h.clinic_id = s.clinic_id AND h.session_id = s.session_id AND s.clinic_date > '${HISTORY_ENDS}';
DELETE FROM dosing_session_closures c USING dosing_sessions s WHERE c.clinic_id = s.clinic_id AND c.session_id = s.session_id AND s.clinic_date > '${HISTORY_ENDS}';
DELETE FROM dosing_sessions WHERE clinic_date > '${HISTORY_ENDS}';
DELETE FROM cd_entries WHERE occurred_at > '${HISTORY_ENDS}T23:59:59Z' AND kind <> 'receipt';
DELETE FROM audit_events WHERE occurred_at > '${HISTORY_ENDS}T23:59:59Z'::timestamptz + interval '7 hours 30 minutes' OR user_agent = 'ceiling';
COMMIT;
`;
