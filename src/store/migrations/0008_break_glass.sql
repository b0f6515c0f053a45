-- Break-glass ("emergency access"): a clinician opens one person's record at a clinic where they
-- hold no role, for example when someone in treatment elsewhere turns up in an emergency. Each
-- grant names one member of staff, one person, a reason and an expiry; while it lasts, that member
-- of staff may read (never write) that person's record and nothing else at that clinic.
--
-- clinic_id is the clinic of the RECORD (whose administrators are told); from_clinic_id is where
-- the member of staff holds the clinical role that let them ask. Grants are never changed or
-- deleted: an expired grant simply stops counting.

CREATE TABLE break_glass_grants (
  clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
  grant_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  staff_id uuid NOT NULL REFERENCES staff (staff_id),
  from_clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
  reason text NOT NULL CHECK (length(btrim(reason)) >= 20),
  granted_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > granted_at),
  PRIMARY KEY (clinic_id, grant_id),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id)
);
CREATE INDEX break_glass_grants_lookup ON break_glass_grants (staff_id, clinic_id, service_user_id, expires_at);
CREATE INDEX break_glass_grants_clinic ON break_glass_grants (clinic_id, granted_at);

CREATE TRIGGER break_glass_grants_append_only BEFORE UPDATE OR DELETE ON break_glass_grants
  FOR EACH ROW EXECUTE FUNCTION openhat_refuse_change();
CREATE TRIGGER break_glass_grants_no_truncate BEFORE TRUNCATE ON break_glass_grants
  FOR EACH STATEMENT EXECUTE FUNCTION openhat_refuse_change();
