-- What the study's service users asked for: take-home doses, arrival slots and waiting areas,
-- continuity plans (as care records), and a portal for service users with its own accounts.

ALTER TABLE care_records DROP CONSTRAINT care_records_kind_check;
ALTER TABLE care_records ADD CONSTRAINT care_records_kind_check CHECK (kind IN (
  'toxicology', 'breath_test', 'methadone_collection', 'methadone_alert_action', 'ecg',
  'naloxone_supply', 'naloxone_use', 'equipment_exchange', 'injection_site_problem',
  'care_plan', 'keywork_session', 'referral', 'mdt_review', 'outcome_profile',
  'stability_assessment', 'take_home_supply', 'take_home_return',
  'arrival_plan', 'arrival_change', 'continuity_plan'
));

-- A service user's own sign-in to the portal. Unlike clinical records these rows change (failed
-- sign-ins, lockout, a new password); every change is audited.
CREATE TABLE portal_accounts (
  clinic_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  username text NOT NULL,
  password_hash text NOT NULL,
  enabled boolean NOT NULL,
  must_change_password boolean NOT NULL DEFAULT true,
  failed_login_count integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  password_changed_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, service_user_id),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id)
);
-- Usernames are unique across the deployment: the portal's sign-in does not ask for a clinic.
CREATE UNIQUE INDEX portal_accounts_username ON portal_accounts (lower(username));

CREATE TABLE portal_sessions (
  clinic_id uuid NOT NULL,
  session_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text,
  ip text,
  user_agent text,
  PRIMARY KEY (clinic_id, session_id),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES portal_accounts (clinic_id, service_user_id)
);
CREATE UNIQUE INDEX portal_sessions_token ON portal_sessions (token_hash);
