-- The commissioners' dashboard from a per-dose summary (docs/performance.md, "The dashboard").
--
-- dose_outcomes is DERIVED data, not a clinical record: one row per dose (or top-up) summarising
-- its append-only dose_events for the reports: what became of it (given, refused, missed or not
-- given), the distinct adverse events recorded at observation, and whether naloxone was used.
-- The application upserts a dose's row in the same transaction as every step it appends (from
-- the dose's full list of steps, with the same domain code the report used before:
-- doseReportFacts in src/domain/reporting/report.ts), so the row is UPDATED IN PLACE and the
-- append-only triggers of the clinical tables are deliberately NOT attached to this table. It can
-- always be rebuilt from dose_events (the backfill below does exactly that), and
-- `openhat verify-backup` checks every row against the domain's answer.
--
-- last_seq is the seq of the last step summarised; updated_at is when that step was recorded
-- (the application's clock, like every time here).
CREATE TABLE dose_outcomes (
  clinic_id uuid NOT NULL,
  dose_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  clinic_date date NOT NULL,
  session_code text NOT NULL,
  kind text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('given', 'refused', 'missed', 'not_given')),
  adverse_events text[] NOT NULL,
  naloxone_used boolean NOT NULL,
  last_seq integer NOT NULL CHECK (last_seq >= 1),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (clinic_id, dose_id),
  FOREIGN KEY (clinic_id, dose_id) REFERENCES doses (clinic_id, dose_id)
);
CREATE INDEX dose_outcomes_clinic_day ON dose_outcomes (clinic_id, clinic_date);

-- Backfill: the same rows the application writes (dose_outcomes.int.test.ts runs this statement
-- against doses recorded through the API and compares). The rules are those of summariseDose:
-- * given: the last administration gave more than 0 mg;
-- * otherwise refused / missed: the last step other than an observation is a refusal / a missed
--   (a later assessment, preparation, administration, not-given or discharge ends that state);
-- * otherwise not given;
-- * adverse events: the distinct ones of every observation, in byte order;
-- * naloxone used: an observation with naloxone_mg > 0 or 'naloxone_given' among its events.
INSERT INTO dose_outcomes (clinic_id, dose_id, service_user_id, clinic_date, session_code, kind, outcome, adverse_events, naloxone_used, last_seq, updated_at)
SELECT d.clinic_id, d.dose_id, d.service_user_id, d.clinic_date, d.session_code, d.kind,
  CASE
    WHEN coalesce((SELECT (a.event->>'givenMg')::numeric FROM dose_events a
                   WHERE a.clinic_id = d.clinic_id AND a.dose_id = d.dose_id AND a.event_type = 'administered'
                   ORDER BY a.seq DESC LIMIT 1), 0) > 0 THEN 'given'
    ELSE coalesce((SELECT CASE s.event_type WHEN 'refused' THEN 'refused' WHEN 'missed' THEN 'missed' ELSE 'not_given' END
                   FROM dose_events s
                   WHERE s.clinic_id = d.clinic_id AND s.dose_id = d.dose_id AND s.event_type <> 'observed'
                   ORDER BY s.seq DESC LIMIT 1), 'not_given')
  END,
  ARRAY(SELECT DISTINCT x.a COLLATE "C" FROM dose_events o, jsonb_array_elements_text(o.event->'adverseEvents') AS x(a)
        WHERE o.clinic_id = d.clinic_id AND o.dose_id = d.dose_id AND o.event_type = 'observed'
        ORDER BY 1),
  EXISTS (SELECT 1 FROM dose_events o
          WHERE o.clinic_id = d.clinic_id AND o.dose_id = d.dose_id AND o.event_type = 'observed'
            AND (coalesce((o.event->>'naloxoneMg')::numeric, 0) > 0 OR o.event->'adverseEvents' ? 'naloxone_given')),
  l.seq,
  l.recorded_at
FROM doses d
JOIN LATERAL (SELECT e.seq, e.recorded_at FROM dose_events e
              WHERE e.clinic_id = d.clinic_id AND e.dose_id = d.dose_id ORDER BY e.seq DESC LIMIT 1) l ON true;
