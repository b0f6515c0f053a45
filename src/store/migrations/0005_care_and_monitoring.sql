-- Monitoring and care around the doses: toxicology, breath tests, methadone collections, ECGs,
-- naloxone, injecting equipment, injection-site problems, care plans, key-work sessions,
-- referrals, multidisciplinary reviews and Treatment Outcomes Profiles.
--
-- Each is a clinical record kept as versions, as FHIR keeps a resource: version 1 is what was
-- first recorded; a correction (or "entered in error") is a new version of the same record with a
-- reason, and nothing is ever overwritten. What each kind's `data` holds is checked by the domain
-- (src/domain/care/*); the columns here are the ones that are searched.

CREATE TABLE care_imports (
  clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
  import_id uuid NOT NULL,
  kind text NOT NULL,
  file_name text,
  sha256 text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('all_or_nothing', 'valid_rows_only')),
  rows_total integer NOT NULL CHECK (rows_total >= 0),
  rows_imported integer NOT NULL CHECK (rows_imported >= 0),
  rejected jsonb NOT NULL,
  imported_at timestamptz NOT NULL,
  imported_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, import_id)
);

CREATE TABLE care_records (
  clinic_id uuid NOT NULL,
  record_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  service_user_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN (
    'toxicology', 'breath_test', 'methadone_collection', 'methadone_alert_action', 'ecg',
    'naloxone_supply', 'naloxone_use', 'equipment_exchange', 'injection_site_problem',
    'care_plan', 'keywork_session', 'referral', 'mdt_review', 'outcome_profile'
  )),
  -- The clinic date the record is about (the day a sample was taken, methadone was due, ...).
  effective_date date NOT NULL,
  occurred_at timestamptz,
  data jsonb NOT NULL,
  entered_in_error boolean NOT NULL DEFAULT false,
  -- Why this version replaced the one before; null only for version 1.
  reason text,
  source text NOT NULL CHECK (source IN ('staff', 'import')),
  import_id uuid,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, record_id, version),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id),
  FOREIGN KEY (clinic_id, import_id) REFERENCES care_imports (clinic_id, import_id),
  CHECK ((version = 1) = (reason IS NULL))
);
CREATE INDEX care_records_person ON care_records (clinic_id, service_user_id, kind, effective_date);
CREATE INDEX care_records_kind ON care_records (clinic_id, kind, effective_date);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['care_imports', 'care_records'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION openhat_refuse_change()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION openhat_refuse_change()', t || '_no_truncate', t);
  END LOOP;
END
$$;
