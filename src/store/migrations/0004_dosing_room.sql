-- The dosing room: sessions (opening, handover, closing), doses and the events of each dose,
-- and prescribers' exceptions (a dose outside the session window; a blocked injection site).
-- All append-only.

CREATE TABLE dosing_sessions (
  clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
  session_id uuid NOT NULL,
  clinic_date date NOT NULL,
  session_code text NOT NULL,
  window_opens timestamptz NOT NULL,
  window_closes timestamptz NOT NULL,
  opened_at timestamptz NOT NULL,
  opened_by uuid REFERENCES staff (staff_id),
  opening jsonb NOT NULL,
  PRIMARY KEY (clinic_id, session_id)
);
CREATE UNIQUE INDEX dosing_sessions_day ON dosing_sessions (clinic_id, clinic_date, session_code);

CREATE TABLE dosing_session_closures (
  clinic_id uuid NOT NULL,
  session_id uuid NOT NULL,
  closed_at timestamptz NOT NULL,
  closed_by uuid REFERENCES staff (staff_id),
  automatic boolean NOT NULL,
  missed integer NOT NULL,
  PRIMARY KEY (clinic_id, session_id),
  FOREIGN KEY (clinic_id, session_id) REFERENCES dosing_sessions (clinic_id, session_id)
);

CREATE TABLE handover_notes (
  clinic_id uuid NOT NULL,
  note_id uuid NOT NULL,
  session_id uuid NOT NULL,
  written_at timestamptz NOT NULL,
  written_by uuid NOT NULL REFERENCES staff (staff_id),
  note text NOT NULL,
  about_service_user_id uuid,
  PRIMARY KEY (clinic_id, note_id),
  FOREIGN KEY (clinic_id, session_id) REFERENCES dosing_sessions (clinic_id, session_id)
);

CREATE TABLE doses (
  clinic_id uuid NOT NULL,
  dose_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  clinic_date date NOT NULL,
  session_code text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('dose', 'top_up')),
  session_id uuid,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (clinic_id, dose_id),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id),
  FOREIGN KEY (clinic_id, session_id) REFERENCES dosing_sessions (clinic_id, session_id)
);
-- One dose and one top-up per person per session: two staff recording at once cannot make two.
CREATE UNIQUE INDEX doses_one_per_session ON doses (clinic_id, service_user_id, clinic_date, session_code, kind);
CREATE INDEX doses_person_day ON doses (clinic_id, service_user_id, clinic_date);

CREATE TABLE dose_events (
  clinic_id uuid NOT NULL,
  dose_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  event_type text NOT NULL,
  event jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, dose_id, seq),
  FOREIGN KEY (clinic_id, dose_id) REFERENCES doses (clinic_id, dose_id)
);

CREATE TABLE dosing_exceptions (
  clinic_id uuid NOT NULL,
  exception_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('outside_window', 'injection_site')),
  session_code text,
  clinic_date date,
  site text,
  valid_until timestamptz NOT NULL,
  reason text NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid NOT NULL REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, exception_id),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['dosing_sessions', 'dosing_session_closures', 'handover_notes', 'doses', 'dose_events', 'dosing_exceptions'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION openhat_refuse_change()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION openhat_refuse_change()', t || '_no_truncate', t);
  END LOOP;
END
$$;
