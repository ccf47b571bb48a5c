-- bench/dossiers.sql: loads many dossiers of unit 1, in the database, for bench/dossiers.sh.
-- The same SQL runs on SQLite and PostgreSQL. bench/dossiers.sh sends it after a preamble
-- of its engine that made these temporary tables:
--   bench_param (now_s, per_day, base_id, unit_code, nproc): the time of the load, dossiers
--               per working day, the id before the first new dossier, the unit's code;
--   bench_n (i):  1..N;
--   bench_day (d, day, midnight): working day d (0 = oldest) as "YYMMDD" and the UTC second
--               of its local midnight (UTC+7); the last one is the working day before today.
-- and made the staff: 2 clerks, 3 specialists, 1 leader.
--
-- Each dossier i is received on working day (i-1)/per_day with number (i-1)%per_day+1,
-- between 07:30 and 16:30 local, for one of the unit's procedures, due after its legal
-- time. Of a thousand: 20 refused, 15 withdrawn, the rest returned (8 % of those late),
-- except that those received in the last 21 days are still open in part (received,
-- processing, awaiting signature, result ready): the queues hold the last three weeks and
-- the open ones past their due time are overdue. Events as the flow writes them: receive,
-- take, submit, sign, return (or refuse, or withdraw), with the step's outcome.

CREATE TEMP TABLE bench_staff AS
SELECT role, row_number() OVER (PARTITION BY role ORDER BY id) - 1 AS slot, id,
	display_name AS name
FROM app_user WHERE unit_id = 1 AND role IN ('clerk', 'specialist', 'leader');

CREATE TEMP TABLE bench_proc AS
SELECT row_number() OVER (ORDER BY p.id) - 1 AS k, p.id AS procedure_id, v.id AS version_id,
	v.legal_time_kind AS kind, v.legal_time_amount AS amount
FROM procedure p JOIN procedure_version v ON v.id = p.current_version_id
WHERE p.unit_id = 1 AND p.is_active = 1;

UPDATE bench_param SET nproc = (SELECT count(*) FROM bench_proc);

-- h: a scrambled number per dossier, for the mixes.
CREATE TEMP TABLE bench_h AS
SELECT n.i, (n.i - 1) / p.per_day AS d, (n.i - 1) % p.per_day + 1 AS seq,
	(CAST(n.i AS BIGINT) * 2654435761) % 1000003 AS h
FROM bench_n n CROSS JOIN bench_param p;

CREATE TEMP TABLE bench_d AS
SELECT h.i, h.seq, dy.day, pr.procedure_id, pr.version_id,
	dy.midnight + 27000 + (h.seq - 1) * 32400 / p.per_day AS received_at,
	CASE pr.kind
		WHEN 'same_day' THEN dy.midnight + 61200
		WHEN 'working_hours' THEN dy.midnight + 27000 + (h.seq - 1) * 32400 / p.per_day
			+ pr.amount * 3600
		ELSE dy.midnight + ((pr.amount * 7 + 4) / 5) * 86400 + 61200 END AS due_at,
	h.h % 1000 AS r, (h.h / 1000) % 7 AS r2, (h.h / 7000) % 8 AS r3
FROM bench_h h
	CROSS JOIN bench_param p
	JOIN bench_day dy ON dy.d = h.d
	JOIN bench_proc pr ON pr.k = (h.h / 1000) % p.nproc;

CREATE TEMP TABLE bench_s AS
SELECT d.*,
	CASE
		WHEN d.r < 20 THEN 'refused'
		WHEN d.r < 35 THEN 'withdrawn'
		WHEN d.received_at > p.now_s - 21 * 86400 AND d.r < 300 THEN 'received'
		WHEN d.received_at > p.now_s - 21 * 86400 AND d.r < 550 THEN 'processing'
		WHEN d.received_at > p.now_s - 21 * 86400 AND d.r < 700 THEN 'awaiting_signature'
		WHEN d.received_at > p.now_s - 21 * 86400 AND d.r < 800 THEN 'result_ready'
		ELSE 'returned' END AS status,
	CASE
		WHEN d.r < 20 THEN d.received_at + 1800
		WHEN d.r >= 920 THEN d.due_at + (1 + d.r % 5) * 86400
		ELSE d.received_at + (d.due_at - d.received_at) * (1 + d.r % 10) / 12 END AS fin0
FROM bench_d d CROSS JOIN bench_param p;

-- The result: never in the future (a recent late one is simply not finished long ago).
CREATE TEMP TABLE bench_f AS
SELECT s.*, CASE WHEN s.fin0 > p.now_s - 600 THEN p.now_s - 600 ELSE s.fin0 END AS fin
FROM bench_s s CROSS JOIN bench_param p;

CREATE TEMP TABLE bench_t AS
SELECT f.*,
	CASE WHEN f.status IN ('result_ready', 'returned')
		THEN f.received_at + (f.fin - f.received_at) / 4
		ELSE f.received_at + 3600 END AS t_take,
	CASE WHEN f.status IN ('result_ready', 'returned')
		THEN f.received_at + 3 * (f.fin - f.received_at) / 4
		ELSE f.received_at + 7200 END AS t_submit,
	CASE WHEN f.fin + 3600 * (1 + f.r % 20) > p.now_s - 60 THEN p.now_s - 60
		ELSE f.fin + 3600 * (1 + f.r % 20) END AS t_return
FROM bench_f f CROSS JOIN bench_param p;

INSERT INTO dossier (id, unit_id, code, procedure_id, procedure_version_id, channel,
	applicant_name, applicant_id_number, applicant_address, applicant_phone, applicant_email,
	documents, sets, received_at, due_at, status, national_status, delivery, finished_at,
	returned_at, created_by)
SELECT p.base_id + t.i, 1,
	p.unit_code || '-' || t.day || '-' || substr(CAST(10000 + t.seq AS TEXT), 2),
	t.procedure_id, t.version_id,
	CASE WHEN t.r2 < 2 THEN 'online' ELSE 'counter' END,
	CASE t.r3 WHEN 0 THEN 'Nguyễn Văn An' WHEN 1 THEN 'Trần Thị Bích' WHEN 2 THEN 'Lê Văn Cường'
		WHEN 3 THEN 'Phạm Thị Dung' WHEN 4 THEN 'Hoàng Văn Em' WHEN 5 THEN 'Võ Thị Phương'
		WHEN 6 THEN 'Đặng Văn Giang' ELSE 'Bùi Thị Hạnh' END,
	'0' || substr(CAST(100000000000 + (CAST(t.i AS BIGINT) * 48271) % 100000000000 AS TEXT), 2),
	'Số ' || CAST(1 + t.r % 200 AS TEXT) || ' Lê Lợi, Phường 9',
	'09' || substr(CAST(100000000 + (CAST(t.i AS BIGINT) * 7919) % 100000000 AS TEXT), 2),
	'', '[]', 1, t.received_at, t.due_at, t.status,
	CASE t.status WHEN 'received' THEN 2 WHEN 'processing' THEN 4
		WHEN 'awaiting_signature' THEN 4 WHEN 'result_ready' THEN 9 WHEN 'returned' THEN 10
		WHEN 'withdrawn' THEN 7 ELSE 3 END,
	CASE WHEN t.r2 < 2 THEN 'online' ELSE 'counter' END,
	CASE WHEN t.status IN ('result_ready', 'returned', 'refused') THEN t.fin END,
	CASE WHEN t.status = 'returned' THEN t.t_return END,
	CASE WHEN t.r2 < 2 THEN NULL ELSE c.id END
FROM bench_t t
	CROSS JOIN bench_param p
	JOIN bench_staff c ON c.role = 'clerk' AND c.slot = t.i % 2;

-- The day's numbers, so that a new intake continues after the last loaded one.
INSERT INTO dossier_sequence (unit_id, day, last_number)
SELECT 1, day, max(seq) FROM bench_t GROUP BY day;

-- Events. outcome: late after the due time, on time on its local day, else early.
INSERT INTO dossier_event (dossier_id, unit_id, at, actor_id, actor_name, role, action,
	from_status, to_status, note, step_due_at, outcome)
SELECT p.base_id + t.i, 1, t.received_at,
	CASE WHEN t.r2 < 2 THEN NULL ELSE c.id END,
	CASE WHEN t.r2 < 2 THEN 'online' ELSE c.name END,
	CASE WHEN t.r2 < 2 THEN '' ELSE 'clerk' END,
	'receive', NULL, 'received', '', t.received_at, 'on_time'
FROM bench_t t CROSS JOIN bench_param p
	JOIN bench_staff c ON c.role = 'clerk' AND c.slot = t.i % 2;

INSERT INTO dossier_event (dossier_id, unit_id, at, actor_id, actor_name, role, action,
	from_status, to_status, note, step_due_at, outcome)
SELECT p.base_id + t.i, 1, t.fin, c.id, c.name, 'clerk', 'refuse', 'received', 'refused',
	'Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường.', t.due_at,
	CASE WHEN t.fin > t.due_at THEN 'late'
		WHEN (t.fin + 25200) / 86400 = (t.due_at + 25200) / 86400 THEN 'on_time'
		ELSE 'early' END
FROM bench_t t CROSS JOIN bench_param p
	JOIN bench_staff c ON c.role = 'clerk' AND c.slot = t.i % 2
WHERE t.status = 'refused';

INSERT INTO dossier_event (dossier_id, unit_id, at, actor_id, actor_name, role, action,
	from_status, to_status, note, step_due_at, outcome)
SELECT p.base_id + t.i, 1, t.t_take, c.id, c.name, 'specialist', 'take', 'received',
	'processing', '', t.due_at,
	CASE WHEN t.t_take > t.due_at THEN 'late'
		WHEN (t.t_take + 25200) / 86400 = (t.due_at + 25200) / 86400 THEN 'on_time'
		ELSE 'early' END
FROM bench_t t CROSS JOIN bench_param p
	JOIN bench_staff c ON c.role = 'specialist' AND c.slot = t.i % 3
WHERE t.status IN ('withdrawn', 'processing', 'awaiting_signature', 'result_ready',
	'returned');

INSERT INTO dossier_event (dossier_id, unit_id, at, actor_id, actor_name, role, action,
	from_status, to_status, note, step_due_at, outcome)
SELECT p.base_id + t.i, 1, t.t_submit, c.id, c.name, 'specialist', 'submit', 'processing',
	'awaiting_signature', '', t.due_at,
	CASE WHEN t.t_submit > t.due_at THEN 'late'
		WHEN (t.t_submit + 25200) / 86400 = (t.due_at + 25200) / 86400 THEN 'on_time'
		ELSE 'early' END
FROM bench_t t CROSS JOIN bench_param p
	JOIN bench_staff c ON c.role = 'specialist' AND c.slot = t.i % 3
WHERE t.status IN ('awaiting_signature', 'result_ready', 'returned');

INSERT INTO dossier_event (dossier_id, unit_id, at, actor_id, actor_name, role, action,
	from_status, to_status, note, step_due_at, outcome)
SELECT p.base_id + t.i, 1, t.fin, c.id, c.name, 'leader', 'sign', 'awaiting_signature',
	'result_ready', '', t.due_at,
	CASE WHEN t.fin > t.due_at THEN 'late'
		WHEN (t.fin + 25200) / 86400 = (t.due_at + 25200) / 86400 THEN 'on_time'
		ELSE 'early' END
FROM bench_t t CROSS JOIN bench_param p
	JOIN bench_staff c ON c.role = 'leader' AND c.slot = 0
WHERE t.status IN ('result_ready', 'returned');

INSERT INTO dossier_event (dossier_id, unit_id, at, actor_id, actor_name, role, action,
	from_status, to_status, note, step_due_at, outcome)
SELECT p.base_id + t.i, 1, t.t_return, c.id, c.name, 'clerk', 'return', 'result_ready',
	'returned', '', t.due_at,
	CASE WHEN t.t_return > t.due_at THEN 'late'
		WHEN (t.t_return + 25200) / 86400 = (t.due_at + 25200) / 86400 THEN 'on_time'
		ELSE 'early' END
FROM bench_t t CROSS JOIN bench_param p
	JOIN bench_staff c ON c.role = 'clerk' AND c.slot = t.i % 2
WHERE t.status = 'returned';

INSERT INTO dossier_event (dossier_id, unit_id, at, actor_id, actor_name, role, action,
	from_status, to_status, note, step_due_at, outcome)
SELECT p.base_id + t.i, 1, t.received_at + 10800, c.id, c.name, 'clerk', 'withdraw',
	'processing', 'withdrawn', 'Công dân xin rút hồ sơ.', t.due_at,
	CASE WHEN t.received_at + 10800 > t.due_at THEN 'late'
		WHEN (t.received_at + 10800 + 25200) / 86400 = (t.due_at + 25200) / 86400
			THEN 'on_time'
		ELSE 'early' END
FROM bench_t t CROSS JOIN bench_param p
	JOIN bench_staff c ON c.role = 'clerk' AND c.slot = t.i % 2
WHERE t.status = 'withdrawn';
