-- Second factor (TOTP, RFC 6238) for staff sign-in.
--
-- One row per member of staff who has started or finished enrolment. Like staff and
-- auth_sessions, this is deployment-wide account state (a person signs in once for every clinic
-- they work at), so it carries no clinic_id, and it is mutable: the row holds counters and the last
-- time step used. Every change to it is audited (second_factor_* actions in audit_events).
CREATE TABLE staff_second_factors (
  staff_id uuid PRIMARY KEY REFERENCES staff (staff_id),
  -- The shared secret: "aes256gcm:<iv>:<tag>:<ciphertext>" when OPENHAT_SECOND_FACTOR_KEY is set,
  -- otherwise "plain:<base32>". Never returned by the API after enrolment is confirmed.
  secret text NOT NULL,
  created_at timestamptz NOT NULL,
  -- Null while enrolment waits for its first code.
  confirmed_at timestamptz,
  -- The last 30-second step whose code was accepted: a code for it or an earlier step is refused,
  -- so an overheard code cannot be replayed.
  last_used_step integer,
  failed_count integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  -- SHA-256 (hex) of each recovery code not yet used.
  recovery_code_hashes jsonb NOT NULL DEFAULT '[]'::jsonb
);

-- A session that has passed the password but not yet the second factor can do nothing but enrol,
-- verify, look at itself or sign out. Null: a full session.
ALTER TABLE auth_sessions ADD COLUMN second_factor_pending text
  CHECK (second_factor_pending IN ('enrolment_required', 'code_required'));
