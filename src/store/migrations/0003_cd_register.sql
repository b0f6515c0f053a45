-- The controlled-drug register: pages (drug, form, strength, location), their entries (append-only,
-- hash-chained), discrepancies found by stock checks and their resolutions, and the separate
-- record of patient returns (never back into stock) and their destruction.

CREATE TABLE cd_items (
  clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
  item_id uuid NOT NULL,
  drug text NOT NULL,
  form text NOT NULL,
  strength_mg integer NOT NULL CHECK (strength_mg > 0),
  location text NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, item_id)
);
CREATE UNIQUE INDEX cd_items_page ON cd_items (clinic_id, lower(drug), lower(form), strength_mg, lower(location));

CREATE TABLE cd_entries (
  clinic_id uuid NOT NULL,
  item_id uuid NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  kind text NOT NULL CHECK (kind IN ('receipt', 'supply_administration', 'supply_take_home', 'part_ampoule_waste',
    'return_to_supplier', 'destruction', 'transfer_out', 'transfer_in', 'stock_check', 'correction')),
  details jsonb NOT NULL,
  quantity integer NOT NULL,
  quantity_change integer NOT NULL,
  balance_after integer NOT NULL CHECK (balance_after >= 0),
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by uuid NOT NULL REFERENCES staff (staff_id),
  witness_id uuid REFERENCES staff (staff_id),
  note text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (clinic_id, item_id, seq),
  FOREIGN KEY (clinic_id, item_id) REFERENCES cd_items (clinic_id, item_id)
);
CREATE INDEX cd_entries_day ON cd_entries (clinic_id, occurred_at);

CREATE TABLE cd_discrepancies (
  clinic_id uuid NOT NULL,
  discrepancy_id uuid NOT NULL,
  item_id uuid NOT NULL,
  stock_check_seq integer NOT NULL,
  expected integer NOT NULL,
  counted integer NOT NULL,
  opened_at timestamptz NOT NULL,
  opened_by uuid NOT NULL REFERENCES staff (staff_id),
  PRIMARY KEY (clinic_id, discrepancy_id),
  FOREIGN KEY (clinic_id, item_id, stock_check_seq) REFERENCES cd_entries (clinic_id, item_id, seq)
);

CREATE TABLE cd_discrepancy_resolutions (
  clinic_id uuid NOT NULL,
  discrepancy_id uuid NOT NULL,
  resolved_at timestamptz NOT NULL,
  resolved_by uuid NOT NULL REFERENCES staff (staff_id),
  note text NOT NULL,
  correction_item_id uuid,
  correction_seq integer,
  PRIMARY KEY (clinic_id, discrepancy_id),
  FOREIGN KEY (clinic_id, discrepancy_id) REFERENCES cd_discrepancies (clinic_id, discrepancy_id),
  FOREIGN KEY (clinic_id, correction_item_id, correction_seq) REFERENCES cd_entries (clinic_id, item_id, seq)
);

CREATE TABLE cd_patient_returns (
  clinic_id uuid NOT NULL,
  return_id uuid NOT NULL,
  service_user_id uuid NOT NULL,
  description text NOT NULL,
  strength_mg integer NOT NULL CHECK (strength_mg > 0),
  quantity integer NOT NULL CHECK (quantity > 0),
  returned_at timestamptz NOT NULL,
  received_by uuid NOT NULL REFERENCES staff (staff_id),
  witness_id uuid NOT NULL REFERENCES staff (staff_id),
  note text,
  PRIMARY KEY (clinic_id, return_id),
  FOREIGN KEY (clinic_id, service_user_id) REFERENCES service_users (clinic_id, service_user_id)
);

CREATE TABLE cd_patient_return_destructions (
  clinic_id uuid NOT NULL,
  return_id uuid NOT NULL,
  destroyed_at timestamptz NOT NULL,
  destroyed_by uuid NOT NULL REFERENCES staff (staff_id),
  witness_id uuid NOT NULL REFERENCES staff (staff_id),
  method text NOT NULL,
  PRIMARY KEY (clinic_id, return_id),
  FOREIGN KEY (clinic_id, return_id) REFERENCES cd_patient_returns (clinic_id, return_id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['cd_items', 'cd_entries', 'cd_discrepancies', 'cd_discrepancy_resolutions', 'cd_patient_returns', 'cd_patient_return_destructions'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION openhat_refuse_change()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION openhat_refuse_change()', t || '_no_truncate', t);
  END LOOP;
END
$$;
