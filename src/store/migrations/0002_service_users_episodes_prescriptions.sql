-- Service users (a versioned record and identity photos), treatment episodes (an event log),
-- prescription versions and prescriber reviews. All append-only: a change is a new row.

CREATE TABLE service_users (
  clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
  service_user_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, service_user_id)
);

CREATE TABLE service_user_versions (
  clinic_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  record jsonb NOT NULL,
  -- Copies of searched fields from the record.
  family_name text NOT NULL,
  given_name text NOT NULL,
  date_of_birth date NOT NULL,
  nhs_number text,
  reason text NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, service_user_id, version),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id)
);
CREATE INDEX service_user_versions_name ON service_user_versions (clinic_id, lower(family_name), lower(given_name));
CREATE INDEX service_user_versions_nhs ON service_user_versions (clinic_id, nhs_number) WHERE nhs_number IS NOT NULL;

CREATE TABLE service_user_photos (
  clinic_id uuid NOT NULL,
  photo_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  image bytea NOT NULL,
  byte_size integer NOT NULL CHECK (byte_size > 0 AND byte_size <= 2097152),
  sha256 text NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, photo_id),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id)
);
CREATE INDEX service_user_photos_person ON service_user_photos (clinic_id, service_user_id, recorded_at);

CREATE TABLE episodes (
  clinic_id uuid NOT NULL,
  episode_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  opened_at timestamptz NOT NULL,
  opened_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, episode_id),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id)
);
CREATE INDEX episodes_person ON episodes (clinic_id, service_user_id, opened_at);

-- What happened in an episode, in order; the episode's state is these events replayed.
CREATE TABLE episode_events (
  clinic_id uuid NOT NULL,
  episode_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  event_type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  event jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, episode_id, seq),
  FOREIGN KEY (clinic_id, episode_id) REFERENCES episodes (clinic_id, episode_id)
);

CREATE TABLE prescription_versions (
  clinic_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  episode_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'suspended', 'cancelled', 'ended')),
  content jsonb NOT NULL,
  effective_from timestamptz NOT NULL,
  reason text NOT NULL,
  signed_at timestamptz NOT NULL,
  signed_by uuid NOT NULL REFERENCES staff (staff_id),
  CHECK (effective_from >= signed_at),
  PRIMARY KEY (clinic_id, service_user_id, version),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id),
  FOREIGN KEY (clinic_id, episode_id) REFERENCES episodes (clinic_id, episode_id)
);

CREATE TABLE reviews (
  clinic_id uuid NOT NULL,
  review_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  episode_id uuid NOT NULL,
  reviewed_at timestamptz NOT NULL,
  reviewed_by uuid NOT NULL REFERENCES staff (staff_id),
  notes text NOT NULL,
  retitration_planned boolean NOT NULL,
  next_review_due date NOT NULL,
  prescription_version integer,
  PRIMARY KEY (clinic_id, review_id),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id),
  FOREIGN KEY (clinic_id, episode_id) REFERENCES episodes (clinic_id, episode_id),
  FOREIGN KEY (clinic_id, service_user_id, prescription_version) REFERENCES prescription_versions (clinic_id, service_user_id, version)
);
CREATE INDEX reviews_person ON reviews (clinic_id, service_user_id, reviewed_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['service_users', 'service_user_versions', 'service_user_photos', 'episodes', 'episode_events', 'prescription_versions', 'reviews'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION openhat_refuse_change()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION openhat_refuse_change()', t || '_no_truncate', t);
  END LOOP;
END
$$;
