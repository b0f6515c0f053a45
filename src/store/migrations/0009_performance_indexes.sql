-- Indexes found by the performance benchmark (npm run bench; docs/performance.md).
--
-- A clinic's doses on some dates (the Today board, the care alerts of each person on it, the
-- day's reconciliation, closing a session, the missed-dose job, the commissioners' dashboard):
-- without this, every such read walked all of the clinic's doses since it opened, and the board
-- did so once per person on it.
CREATE INDEX doses_clinic_day ON doses (clinic_id, clinic_date, session_code);

-- A person's dosing exceptions still in force (read in every dosing step and for every person on
-- the board): the primary key starts (clinic_id, exception_id) and does not find them.
CREATE INDEX dosing_exceptions_person ON dosing_exceptions (clinic_id, service_user_id, valid_until);
