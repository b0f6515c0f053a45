-- openhat foundation: clinics, staff and roles, sign-in sessions, audit log, idempotency keys.
--
-- Conventions for every later migration:
-- * every table of clinic data carries clinic_id and leads its primary key with it, so that rows
--   can be distributed by clinic (e.g. Citus) and foreign keys cannot point across clinics;
--   only deployment-wide account tables (staff, auth_sessions) and the migrations table do not;
-- * times are timestamptz written by the application's clock, never now(), so that tests can
--   move time;
-- * clinical records are append-only: attach openhat_refuse_change() as below.

CREATE FUNCTION openhat_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'openhat: % on % is refused: the table is append-only; record a correction as a new entry', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'OH001';
END
$$;

CREATE TABLE staff (
  staff_id uuid PRIMARY KEY,
  email text NOT NULL CHECK (email = lower(email)),
  display_name text NOT NULL,
  password_hash text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT false,
  deployment_admin boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  failed_login_count integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  password_changed_at timestamptz NOT NULL,
  professional_body text CHECK (professional_body IN ('GMC', 'NMC', 'GPhC', 'HCPC', 'other')),
  registration_number text,
  home_office_licence_number text,
  home_office_licence_expiry date,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX staff_email_key ON staff (email);

CREATE TABLE clinics (
  clinic_id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES staff (staff_id)
);
CREATE TRIGGER clinics_append_only BEFORE UPDATE OR DELETE ON clinics
  FOR EACH ROW EXECUTE FUNCTION openhat_refuse_change();
CREATE TRIGGER clinics_no_truncate BEFORE TRUNCATE ON clinics
  FOR EACH STATEMENT EXECUTE FUNCTION openhat_refuse_change();

-- Every change of settings is a new version; the newest is in force. Old versions say which rules
-- applied to a dose given on a past day.
CREATE TABLE clinic_settings (
  clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
  version integer NOT NULL CHECK (version >= 1),
  settings jsonb NOT NULL,
  reason text,
  changed_at timestamptz NOT NULL,
  changed_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, version)
);
CREATE TRIGGER clinic_settings_append_only BEFORE UPDATE OR DELETE ON clinic_settings
  FOR EACH ROW EXECUTE FUNCTION openhat_refuse_change();
CREATE TRIGGER clinic_settings_no_truncate BEFORE TRUNCATE ON clinic_settings
  FOR EACH STATEMENT EXECUTE FUNCTION openhat_refuse_change();

CREATE TABLE staff_roles (
  clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
  staff_id uuid NOT NULL REFERENCES staff (staff_id),
  role text NOT NULL CHECK (role IN ('admin', 'prescriber', 'nurse', 'hca', 'keyworker', 'cd_accountable', 'commissioner')),
  granted_at timestamptz NOT NULL,
  granted_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, staff_id, role)
);
CREATE INDEX staff_roles_staff ON staff_roles (staff_id);

CREATE TABLE auth_sessions (
  session_id uuid PRIMARY KEY,
  token_hash text NOT NULL,
  staff_id uuid NOT NULL REFERENCES staff (staff_id),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text,
  ip text,
  user_agent text
);
CREATE UNIQUE INDEX auth_sessions_token ON auth_sessions (token_hash);
CREATE INDEX auth_sessions_staff ON auth_sessions (staff_id) WHERE revoked_at IS NULL;

-- Who did what, when, to which record, from where. clinic_id is null only for events that belong
-- to no clinic (signing in, deployment administration).
CREATE TABLE audit_events (
  audit_id uuid PRIMARY KEY,
  clinic_id uuid REFERENCES clinics (clinic_id),
  occurred_at timestamptz NOT NULL,
  staff_id uuid REFERENCES staff (staff_id),
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  ip text,
  user_agent text,
  request_id text,
  details jsonb
);
CREATE INDEX audit_events_clinic_time ON audit_events (clinic_id, occurred_at);
CREATE INDEX audit_events_staff_time ON audit_events (staff_id, occurred_at);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, occurred_at);
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION openhat_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION openhat_refuse_change();

-- The first answer to a write sent with an Idempotency-Key, so that a retry gets the same answer
-- instead of a second dose or register entry.
CREATE TABLE idempotency_keys (
  clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
  staff_id uuid NOT NULL REFERENCES staff (staff_id),
  idempotency_key text NOT NULL,
  request_fingerprint text NOT NULL,
  status_code integer NOT NULL,
  response_body jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (clinic_id, staff_id, idempotency_key)
);
