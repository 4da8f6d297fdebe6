-- peel: the whole current schema of a peel database, in one file.
--
-- A peel database holds what HMIC/HMICFRS PEEL inspections of the 43 police forces of
-- England and Wales stated: graded judgments on inspection questions, figures beside the
-- England and Wales value, and areas for improvement, each fact tied to its source.
--
-- The schema version lives in `PRAGMA user_version` (set by peel, not here): peel builds a
-- new file from this script, migrates an older file step by step (src/db.rs), and refuses
-- a file from a newer peel. Per-connection settings (foreign_keys, trusted_schema,
-- busy_timeout) are set by peel on every open, because SQLite does not store them.
--
-- Conventions: every table has an INTEGER PRIMARY KEY surrogate id plus a natural unique
-- key (code, slug, label) that analysts and imports use; dates are ISO 8601 text checked
-- with date(); closed sets are CHECK constraints, so a bad value fails at insert time.

-- Key/value facts about the file: schema version, peel version, built-at, row counts.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Where a fact came from: a web page (kind 'url') or a file (kind 'file': a seed research
-- file or an imported report). `trust` grades how far the source can be relied on and
-- `note` says why.
CREATE TABLE sources (
    source_id INTEGER PRIMARY KEY,
    key       TEXT NOT NULL UNIQUE,               -- stable handle: 'ons-pfa-mye2018', 'url:https://...', 'report:<sha256>'
    kind      TEXT NOT NULL CHECK (kind IN ('url', 'file')),
    location  TEXT NOT NULL,                      -- the URL, or the file name as given
    title     TEXT NOT NULL,
    publisher TEXT,
    licence   TEXT,
    trust     TEXT NOT NULL CHECK (trust IN ('high', 'medium-high', 'medium', 'low')),
    note      TEXT,
    sha256    TEXT CHECK (sha256 IS NULL OR (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'))
);

-- Forces, regions, countries and England and Wales. `code` is the ONS code: E23/W15 police
-- force areas, E12 regions, E92/W92 countries, K04000001 England and Wales.
CREATE TABLE areas (
    area_id     INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (length(code) = 9 AND code GLOB '[EWK][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    slug        TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),
    name        TEXT NOT NULL,                    -- full name: 'Cambridgeshire Constabulary'
    short_name  TEXT NOT NULL,                    -- 'Cambridgeshire'
    kind        TEXT NOT NULL CHECK (kind IN ('force', 'region', 'country', 'national')),
    parent_id   INTEGER REFERENCES areas (area_id),  -- force -> region (Wales for Welsh forces) -> country -> national
    country     TEXT NOT NULL CHECK (country IN ('England', 'Wales', 'England and Wales')),
    aliases     TEXT NOT NULL DEFAULT '',         -- '|'-separated names other publishers print ('Avon & Somerset')
    source_id   INTEGER REFERENCES sources (source_id),
    CHECK ((kind = 'national') = (parent_id IS NULL))
);
CREATE INDEX areas_parent ON areas (parent_id);

-- A span of time or a point in time, labelled as reports print it.
-- '12 months to 30 June 2015' is a '12-months' period from 2014-07-01 to 2015-06-30;
-- 'as at 30 June 2015' is a 'point' with no start.
CREATE TABLE periods (
    period_id  INTEGER PRIMARY KEY,
    label      TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('12-months', 'point', 'financial-year', 'quarter', 'calendar-year')),
    start_date TEXT CHECK (start_date IS NULL OR date(julianday(start_date)) IS start_date),
    end_date   TEXT NOT NULL CHECK (date(julianday(end_date)) IS end_date),
    CHECK ((kind = 'point') = (start_date IS NULL)),
    CHECK (start_date IS NULL OR start_date <= end_date),
    UNIQUE (kind, start_date, end_date)
);
CREATE INDEX periods_end ON periods (end_date);

-- Grading scales and their grades. `rank` orders grades within a scale (higher is better);
-- 'Not graded' has no rank. 'peel-4' is PEEL 2014 to 2018/19; 'peel-5' (with Adequate)
-- is PEEL 2021/22 on. Compare grades across scales by rank within each scale.
CREATE TABLE grade_scales (
    scale_id INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE CHECK (code IN ('peel-4', 'peel-5')),
    name     TEXT NOT NULL
);
CREATE TABLE grades (
    grade_id INTEGER PRIMARY KEY,
    scale_id INTEGER NOT NULL REFERENCES grade_scales (scale_id),
    name     TEXT NOT NULL CHECK (name IN ('Outstanding', 'Good', 'Adequate', 'Requires improvement', 'Inadequate', 'Not graded')),
    rank     INTEGER CHECK (rank IS NULL OR rank BETWEEN 1 AND 5),
    meaning  TEXT NOT NULL,
    CHECK ((name = 'Not graded') = (rank IS NULL)),
    UNIQUE (scale_id, name),
    UNIQUE (scale_id, rank)
);

-- PEEL programme years ("cycles"). `year` is the first calendar year (2018 for 2018/19);
-- `label` is how HMICFRS names the cycle. Each cycle grades on one scale.
CREATE TABLE cycles (
    cycle_id    INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 2014 AND 2100),
    label       TEXT NOT NULL UNIQUE,
    scale_id    INTEGER NOT NULL REFERENCES grade_scales (scale_id),
    has_pillars INTEGER NOT NULL CHECK (has_pillars IN (0, 1)),
    note        TEXT
);

-- What a cycle graded, or could have graded: an item is a pillar's headline question
-- (level 'pillar'), a question within a pillar (2014 to 2018/19), or an area of policing
-- (2021/22 on, no pillar). `code` is the normalised item code, unique across cycles
-- (`P15_EFFE`, `Q17_E1`, `A23_LEAD`); `wording` is HMICFRS's for that cycle. `graded` is 0
-- for items HMIC/HMICFRS never graded (2014 effectiveness overall and legitimacy,
-- specialist capabilities). `series` is the code of the first item in a chain HMICFRS kept
-- from cycle to cycle (`Q17_E1` and `Q18_E1` have series `Q16_E1`), and an item's own code
-- where it starts or stands alone: follow a question across years by its series.
CREATE TABLE questions (
    question_id INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES cycles (cycle_id),
    level       TEXT NOT NULL CHECK (level IN ('pillar', 'question', 'area')),
    pillar      TEXT CHECK (pillar IN ('effectiveness', 'efficiency', 'legitimacy')),
    code        TEXT NOT NULL UNIQUE CHECK (code <> '' AND code NOT GLOB '*[^A-Za-z0-9_]*'),
    wording     TEXT NOT NULL CHECK (wording <> ''),
    graded      INTEGER NOT NULL DEFAULT 1 CHECK (graded IN (0, 1)),
    series      TEXT NOT NULL CHECK (series <> ''),
    CHECK ((level = 'area') = (pillar IS NULL))
);
CREATE INDEX questions_cycle ON questions (cycle_id, level, pillar);
CREATE INDEX questions_series ON questions (series);

-- One published report, imported from its text. `source_id` is the imported file
-- (name and SHA-256), so the same text cannot be imported twice.
CREATE TABLE reports (
    report_id   INTEGER PRIMARY KEY,
    area_id     INTEGER NOT NULL REFERENCES areas (area_id),
    cycle_id    INTEGER NOT NULL REFERENCES cycles (cycle_id),
    pillar      TEXT CHECK (pillar IN ('effectiveness', 'efficiency', 'legitimacy')),
    title       TEXT NOT NULL,
    published   TEXT CHECK (published IS NULL OR published GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
    isbn        TEXT,
    source_id   INTEGER NOT NULL UNIQUE REFERENCES sources (source_id),
    imported_at TEXT NOT NULL
);
CREATE INDEX reports_area ON reports (area_id, cycle_id);

-- A grade given to a force on an item. `source_id` is where the grade is stated (an
-- upstream URL, or an imported report with `report_id` and `source_line`); other sources
-- stating the same grade are in `judgment_sources`. `trust` is this grade's: 'high' when
-- the inspectorate's own text states it, 'medium' for a secondary source, 'low' for a
-- derived grade. `derived` marks grades inferred (by elimination from published counts)
-- rather than read; `cited` marks a report citing an earlier inspection's grade;
-- `carried_over` marks a judgment HMICFRS carried into this cycle from an earlier one
-- (the question was not re-inspected).
CREATE TABLE judgments (
    judgment_id  INTEGER PRIMARY KEY,
    area_id      INTEGER NOT NULL REFERENCES areas (area_id),
    question_id  INTEGER NOT NULL REFERENCES questions (question_id),
    grade_id     INTEGER NOT NULL REFERENCES grades (grade_id),
    source_id    INTEGER NOT NULL REFERENCES sources (source_id),
    report_id    INTEGER REFERENCES reports (report_id) ON DELETE CASCADE,
    source_line  INTEGER CHECK (source_line IS NULL OR source_line > 0),
    trust        TEXT NOT NULL CHECK (trust IN ('high', 'medium-high', 'medium', 'low')),
    cited        INTEGER NOT NULL DEFAULT 0 CHECK (cited IN (0, 1)),
    derived      INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1)),
    carried_over INTEGER NOT NULL DEFAULT 0 CHECK (carried_over IN (0, 1)),
    note         TEXT,
    UNIQUE (area_id, question_id),
    CHECK (derived = 0 OR trust = 'low')
);
CREATE INDEX judgments_question ON judgments (question_id, grade_id);
CREATE INDEX judgments_report ON judgments (report_id);

-- Further sources that state a judgment's grade (a grade seen in two files keeps both).
CREATE TABLE judgment_sources (
    judgment_id INTEGER NOT NULL REFERENCES judgments (judgment_id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources (source_id),
    trust       TEXT NOT NULL CHECK (trust IN ('high', 'medium-high', 'medium', 'low')),
    derived     INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1)),
    source_line INTEGER CHECK (source_line IS NULL OR source_line > 0),
    note        TEXT,
    PRIMARY KEY (judgment_id, source_id),
    CHECK (derived = 0 OR trust = 'low')
) WITHOUT ROWID;

-- How many forces (national rows) or areas (a force's rows, 2021/22 on) got each grade,
-- as published, where the grades were not all named. `partial` is 1 when the source gives
-- only some of the counts (the rest are not stated, which is not zero); `trust` and `note`
-- are the source row's.
CREATE TABLE grade_counts (
    grade_count_id INTEGER PRIMARY KEY,
    area_id   INTEGER NOT NULL REFERENCES areas (area_id),
    cycle_id  INTEGER NOT NULL REFERENCES cycles (cycle_id),
    pillar    TEXT CHECK (pillar IN ('effectiveness', 'efficiency', 'legitimacy')),
    grade_id  INTEGER NOT NULL REFERENCES grades (grade_id),
    count     INTEGER NOT NULL CHECK (count >= 0),
    partial   INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1)),
    trust     TEXT NOT NULL CHECK (trust IN ('high', 'medium-high', 'medium', 'low')),
    source_id INTEGER NOT NULL REFERENCES sources (source_id),
    note      TEXT
);
CREATE UNIQUE INDEX grade_counts_key ON grade_counts (area_id, cycle_id, ifnull(pillar, ''), grade_id);

-- A kind of figure. Units form a closed set so that comparisons never mix rates.
CREATE TABLE metrics (
    metric_id        INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE CHECK (code <> '' AND code NOT GLOB '*[^a-z0-9-]*'),
    name             TEXT NOT NULL,
    unit             TEXT NOT NULL CHECK (unit IN ('count', 'persons', 'households', 'fte', 'percent', 'percent change',
                                                   'per 1,000 population', 'per 1,000 households', 'per million population')),
    higher_is_better INTEGER CHECK (higher_is_better IN (0, 1)),  -- NULL where better/worse is not meaningful
    definition       TEXT NOT NULL,
    -- Which edition of a published statistic the series is, where the publisher revises
    -- (ONS mid-year estimates, the Home Office workforce tables): one metric, one edition.
    edition          TEXT,
    -- 1 for the metrics a force's profile (`peel run force`) shows: those peel ships and
    -- those read from reports; 0 for metrics an import created (thousands of offence
    -- codes would bury the profile; `trend` and `compare` show them).
    in_profile       INTEGER NOT NULL DEFAULT 0 CHECK (in_profile IN (0, 1)),
    -- For a rate per 1,000 residents peel derives: the code of the metric it divides by
    -- the population (`load::rates`); NULL for every other metric.
    rate_of          TEXT
);

-- One figure: a metric for an area and period. Unique on (metric, area, period); the
-- index order (metric, period, area) serves "all areas on a metric for a period".
CREATE TABLE metric_values (
    value_id    INTEGER PRIMARY KEY,
    metric_id   INTEGER NOT NULL REFERENCES metrics (metric_id),
    period_id   INTEGER NOT NULL REFERENCES periods (period_id),
    area_id     INTEGER NOT NULL REFERENCES areas (area_id),
    value       NUMERIC NOT NULL CHECK (typeof(value) IN ('integer', 'real')),
    source_id   INTEGER NOT NULL REFERENCES sources (source_id),
    report_id   INTEGER REFERENCES reports (report_id) ON DELETE CASCADE,
    source_line INTEGER CHECK (source_line IS NULL OR source_line > 0),
    derived     INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1)),
    note        TEXT,
    -- This figure's trust where it differs from its source's (one corrected row of a file).
    trust       TEXT CHECK (trust IS NULL OR trust IN ('high', 'medium-high', 'medium', 'low')),
    -- A rate peel derived: the figures it divides (a rate goes when either does).
    numerator_id   INTEGER REFERENCES metric_values (value_id) ON DELETE CASCADE
                   CHECK (numerator_id IS NULL OR derived = 1),
    denominator_id INTEGER REFERENCES metric_values (value_id) ON DELETE CASCADE
                   CHECK (denominator_id IS NULL OR derived = 1)
);
CREATE UNIQUE INDEX metric_values_key ON metric_values (metric_id, period_id, area_id);
CREATE INDEX metric_values_numerator ON metric_values (numerator_id) WHERE numerator_id IS NOT NULL;
CREATE INDEX metric_values_denominator ON metric_values (denominator_id) WHERE denominator_id IS NOT NULL;
CREATE INDEX metric_values_area ON metric_values (area_id, metric_id, period_id);
-- Only figures from imported reports have a report_id (for ON DELETE CASCADE): bulk
-- imports leave it NULL, so the index skips NULLs rather than hold one entry per figure.
CREATE INDEX metric_values_report ON metric_values (report_id) WHERE report_id IS NOT NULL;

-- How many figures each period has for each metric, and per period in all, kept by the
-- triggers below on every insert, delete and re-keying of a figure, so that listing the
-- periods (`peel run periods`) reads one row per period rather than counting millions of
-- figures. `peel check` recounts them.
CREATE TABLE period_metric_counts (
    period_id INTEGER NOT NULL REFERENCES periods (period_id),
    metric_id INTEGER NOT NULL REFERENCES metrics (metric_id),
    figures   INTEGER NOT NULL CHECK (figures > 0),
    PRIMARY KEY (period_id, metric_id)
) WITHOUT ROWID;
CREATE TABLE period_counts (
    period_id INTEGER PRIMARY KEY REFERENCES periods (period_id),
    metrics   INTEGER NOT NULL CHECK (metrics >= 0),
    figures   INTEGER NOT NULL CHECK (figures >= 0)
);
CREATE TRIGGER metric_values_counted AFTER INSERT ON metric_values BEGIN
    INSERT INTO period_metric_counts (period_id, metric_id, figures)
    VALUES (NEW.period_id, NEW.metric_id, 1)
    ON CONFLICT (period_id, metric_id) DO UPDATE SET figures = figures + 1;
END;
CREATE TRIGGER metric_values_uncounted AFTER DELETE ON metric_values BEGIN
    DELETE FROM period_metric_counts
     WHERE period_id = OLD.period_id AND metric_id = OLD.metric_id AND figures = 1;
    UPDATE period_metric_counts SET figures = figures - 1
     WHERE period_id = OLD.period_id AND metric_id = OLD.metric_id;
END;
CREATE TRIGGER metric_values_recounted AFTER UPDATE OF metric_id, period_id ON metric_values
WHEN OLD.metric_id IS NOT NEW.metric_id OR OLD.period_id IS NOT NEW.period_id BEGIN
    DELETE FROM period_metric_counts
     WHERE period_id = OLD.period_id AND metric_id = OLD.metric_id AND figures = 1;
    UPDATE period_metric_counts SET figures = figures - 1
     WHERE period_id = OLD.period_id AND metric_id = OLD.metric_id;
    INSERT INTO period_metric_counts (period_id, metric_id, figures)
    VALUES (NEW.period_id, NEW.metric_id, 1)
    ON CONFLICT (period_id, metric_id) DO UPDATE SET figures = figures + 1;
END;
-- period_counts follows period_metric_counts (an upsert's DO UPDATE fires the update
-- trigger).
CREATE TRIGGER period_metric_counts_added AFTER INSERT ON period_metric_counts BEGIN
    INSERT INTO period_counts (period_id, metrics, figures) VALUES (NEW.period_id, 1, NEW.figures)
    ON CONFLICT (period_id) DO UPDATE SET metrics = metrics + 1, figures = figures + NEW.figures;
END;
CREATE TRIGGER period_metric_counts_changed AFTER UPDATE ON period_metric_counts BEGIN
    UPDATE period_counts SET figures = figures - OLD.figures + NEW.figures
     WHERE period_id = NEW.period_id;
END;
CREATE TRIGGER period_metric_counts_removed AFTER DELETE ON period_metric_counts BEGIN
    UPDATE period_counts SET metrics = metrics - 1, figures = figures - OLD.figures
     WHERE period_id = OLD.period_id;
END;

-- Per metric: how many figures over how many periods, and its latest period, kept by the
-- triggers below from period_metric_counts, so that listing the metrics (`peel run
-- metrics`) never counts millions of figures. `peel check` recounts them.
CREATE TABLE metric_counts (
    metric_id        INTEGER PRIMARY KEY REFERENCES metrics (metric_id),
    figures          INTEGER NOT NULL CHECK (figures >= 0),
    periods          INTEGER NOT NULL CHECK (periods >= 0),
    latest_period_id INTEGER REFERENCES periods (period_id)
);
CREATE INDEX period_metric_counts_metric ON period_metric_counts (metric_id);
CREATE TRIGGER metric_counts_added AFTER INSERT ON period_metric_counts BEGIN
    INSERT INTO metric_counts (metric_id, figures, periods, latest_period_id)
    VALUES (NEW.metric_id, NEW.figures, 1, NEW.period_id)
    ON CONFLICT (metric_id) DO UPDATE SET
        figures = figures + NEW.figures,
        periods = periods + 1,
        latest_period_id = CASE
            WHEN (SELECT end_date FROM periods WHERE period_id = NEW.period_id)
                 > ifnull((SELECT end_date FROM periods WHERE period_id = latest_period_id), '')
            THEN NEW.period_id ELSE latest_period_id END;
END;
CREATE TRIGGER metric_counts_changed AFTER UPDATE ON period_metric_counts BEGIN
    UPDATE metric_counts SET figures = figures - OLD.figures + NEW.figures
     WHERE metric_id = NEW.metric_id;
END;
CREATE TRIGGER metric_counts_removed AFTER DELETE ON period_metric_counts BEGIN
    UPDATE metric_counts SET
        figures = figures - OLD.figures,
        periods = periods - 1,
        latest_period_id = CASE WHEN latest_period_id = OLD.period_id THEN (
            SELECT pc.period_id FROM period_metric_counts pc JOIN periods p ON p.period_id = pc.period_id
             WHERE pc.metric_id = OLD.metric_id ORDER BY p.end_date DESC, pc.period_id LIMIT 1)
            ELSE latest_period_id END
     WHERE metric_id = OLD.metric_id;
END;

-- An "area for improvement" a report states, under the question it belongs to.
CREATE TABLE improvement_areas (
    improvement_id INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES questions (question_id),
    ordinal     INTEGER NOT NULL CHECK (ordinal > 0),
    text        TEXT NOT NULL CHECK (text <> ''),
    source_line INTEGER CHECK (source_line IS NULL OR source_line > 0),
    UNIQUE (report_id, question_id, ordinal)
);

-- Analysts' own named queries, with :named parameters. They live in the file so they
-- travel with it.
CREATE TABLE saved_queries (
    name        TEXT PRIMARY KEY NOT NULL CHECK (name <> '' AND name NOT GLOB '*[^a-z0-9_-]*'),
    description TEXT NOT NULL DEFAULT '',
    sql         TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;

-- What every table, view and column means, so the file explains itself to any SQLite
-- client (`SELECT * FROM documentation WHERE object = 'v_judgments'`). Object rows have
-- no column_name.
CREATE TABLE documentation (
    object         TEXT NOT NULL,
    column_name    TEXT,
    kind           TEXT NOT NULL CHECK (kind IN ('table', 'view', 'column')),
    meaning        TEXT NOT NULL CHECK (meaning <> ''),
    unit           TEXT,
    allowed_values TEXT,
    CHECK ((kind = 'column') = (column_name IS NOT NULL))
);
CREATE UNIQUE INDEX documentation_key ON documentation (object, ifnull(column_name, ''));

-- Every judgment with its area, cycle, item, grade and source, one row each. `year` is
-- the cycle's first year (2018 for 2018/19); `cycle` its label. `source` is what a reader
-- can follow: the upstream URL, or the imported report's title and line; `other_sources`
-- lists further sources stating the same grade, one per line.
CREATE VIEW v_judgments AS
SELECT a.code        AS area_code,
       a.short_name  AS area_name,
       a.kind        AS area_kind,
       c.year        AS year,
       c.label       AS cycle,
       q.level       AS level,
       q.pillar      AS pillar,
       q.code        AS question_code,
       q.wording     AS question,
       q.series      AS series,
       g.name        AS grade,
       g.rank        AS grade_rank,
       s.code        AS scale,
       CASE WHEN j.report_id IS NOT NULL
            THEN 'report: ' || (SELECT r.title FROM reports r WHERE r.report_id = j.report_id)
                 || ' (' || a.short_name || ')' || ifnull(', line ' || j.source_line, '')
            ELSE src.location END AS source,
       (SELECT group_concat(coalesce('report: ' || (SELECT r.title FROM reports r WHERE r.source_id = js.source_id)
                                    || ' (' || a.short_name || ')' || ifnull(', line ' || js.source_line, ''),
                                    os.location), char(10))
          FROM judgment_sources js JOIN sources os ON os.source_id = js.source_id
         WHERE js.judgment_id = j.judgment_id) AS other_sources,
       j.trust       AS trust,
       j.derived     AS derived,
       j.carried_over AS carried_over,
       j.cited       AS cited,
       j.report_id   AS report_id,
       j.source_line AS source_line,
       j.note        AS note
FROM judgments j
JOIN areas a         ON a.area_id = j.area_id
JOIN questions q     ON q.question_id = j.question_id
JOIN cycles c        ON c.cycle_id = q.cycle_id
JOIN grades g        ON g.grade_id = j.grade_id
JOIN grade_scales s  ON s.scale_id = g.scale_id
JOIN sources src     ON src.source_id = j.source_id;

-- For each item a cycle graded: how many of the 43 forces have a judgment on it in this
-- database (`forces_held`, counting 'Not graded' judgments, which `not_graded` counts
-- apart), and which forces have none (`forces_not_held`, names in order). Every answer
-- that counts grades says what it covers from here.
CREATE VIEW v_item_coverage AS
SELECT c.year        AS year,
       c.label       AS cycle,
       q.level       AS level,
       q.pillar      AS pillar,
       q.code        AS question_code,
       q.wording     AS question,
       q.series      AS series,
       (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id AND f.kind = 'force'
         WHERE j.question_id = q.question_id) AS forces_held,
       (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id AND f.kind = 'force'
         JOIN grades g ON g.grade_id = j.grade_id
         WHERE j.question_id = q.question_id AND g.rank IS NULL) AS not_graded,
       (SELECT count(*) FROM areas f WHERE f.kind = 'force') AS forces,
       (SELECT group_concat(short_name, ', ') FROM (
          SELECT f.short_name FROM areas f
          WHERE f.kind = 'force' AND NOT EXISTS (
            SELECT 1 FROM judgments j WHERE j.area_id = f.area_id AND j.question_id = q.question_id)
          ORDER BY f.short_name)) AS forces_not_held
FROM questions q
JOIN cycles c ON c.cycle_id = q.cycle_id
WHERE q.graded = 1;

-- Grades held beside the counts HMIC/HMICFRS published, grade by grade: national rows
-- count the forces' grades on each pillar of a cycle (`forces_held` says how many forces
-- that covers); force rows count one force's area grades in a cycle from 2021/22. A
-- `published` of NULL is a count not published (or not held); `published_partial` is 1
-- when the source gave only some of the counts.
CREATE VIEW v_grade_tally AS
SELECT n.code AS area_code, n.short_name AS area_name, 'national' AS scope,
       c.year AS year, c.label AS cycle, q.pillar AS pillar, g.name AS grade, g.rank AS grade_rank,
       (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id AND f.kind = 'force'
         WHERE j.question_id = q.question_id AND j.grade_id = g.grade_id) AS held,
       (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id AND f.kind = 'force'
         WHERE j.question_id = q.question_id) AS forces_held,
       gc.count AS published,
       gc.partial AS published_partial,
       (SELECT location FROM sources WHERE source_id = gc.source_id) AS published_source
FROM questions q
JOIN cycles c ON c.cycle_id = q.cycle_id
JOIN grades g ON g.scale_id = c.scale_id
JOIN areas n ON n.kind = 'national'
LEFT JOIN grade_counts gc ON gc.area_id = n.area_id AND gc.cycle_id = c.cycle_id
                         AND gc.pillar IS q.pillar AND gc.grade_id = g.grade_id
WHERE q.level = 'pillar' AND q.graded = 1
UNION ALL
SELECT a.code, a.short_name, 'force',
       c.year, c.label, NULL, g.name, g.rank,
       (SELECT count(*) FROM judgments j JOIN questions q ON q.question_id = j.question_id
         WHERE j.area_id = a.area_id AND q.cycle_id = c.cycle_id AND q.level = 'area'
           AND j.grade_id = g.grade_id),
       NULL,
       gc.count,
       gc.partial,
       (SELECT location FROM sources WHERE source_id = gc.source_id)
FROM areas a
CROSS JOIN cycles c
JOIN grades g ON g.scale_id = c.scale_id
LEFT JOIN grade_counts gc ON gc.area_id = a.area_id AND gc.cycle_id = c.cycle_id
                         AND gc.pillar IS NULL AND gc.grade_id = g.grade_id
WHERE a.kind = 'force' AND c.has_pillars = 0;

-- Every figure with the England and Wales value of the same metric and period beside it
-- (NULL when not known). Like is compared with like: a rate gets its difference from and
-- ratio to England and Wales's rate; a count (count, persons, households, fte) gets its
-- share of England and Wales's total instead, never a difference or ratio; a percentage
-- change gets its difference (in points) but no ratio, which a sign would turn around. `note` is the
-- figure's caveat and `national_note` England and Wales's; `numerator` and `denominator`
-- are the figures a derived rate divides.
CREATE VIEW v_metric_values AS
SELECT a.code          AS area_code,
       a.short_name    AS area_name,
       a.kind          AS area_kind,
       m.code          AS metric_code,
       m.name          AS metric_name,
       m.unit          AS unit,
       p.label         AS period_label,
       p.kind          AS period_kind,
       p.start_date    AS period_start,
       p.end_date      AS period_end,
       v.value         AS value,
       nv.value        AS national_value,
       CASE WHEN m.unit NOT IN ('count', 'persons', 'households', 'fte')
            THEN v.value - nv.value END AS difference,
       CASE WHEN m.unit NOT IN ('count', 'persons', 'households', 'fte', 'percent change') AND nv.value <> 0
            THEN round(v.value * 1.0 / nv.value, 4) END AS ratio,
       v.derived       AS derived,
       src.location    AS source,
       v.source_line   AS source_line,
       v.report_id     AS report_id,
       CASE WHEN m.unit IN ('count', 'persons', 'households', 'fte') AND nv.value <> 0
            THEN round(100.0 * v.value / nv.value, 2) END AS share_of_national_pct,
       coalesce(v.trust, src.trust) AS trust,
       v.note          AS note,
       nv.note         AS national_note,
       m.edition       AS edition,
       (SELECT x.value FROM metric_values x WHERE x.value_id = v.numerator_id) AS numerator,
       (SELECT x.value FROM metric_values x WHERE x.value_id = v.denominator_id) AS denominator
FROM metric_values v
JOIN areas a    ON a.area_id = v.area_id
JOIN metrics m  ON m.metric_id = v.metric_id
JOIN periods p  ON p.period_id = v.period_id
JOIN sources src ON src.source_id = v.source_id
LEFT JOIN metric_values nv
       ON nv.metric_id = v.metric_id
      AND nv.period_id = v.period_id
      AND nv.area_id = (SELECT area_id FROM areas WHERE code = 'K04000001');

-- Areas for improvement with their report, force and question.
CREATE VIEW v_improvements AS
SELECT a.code        AS area_code,
       a.short_name  AS area_name,
       a.kind        AS area_kind,
       c.year        AS year,
       c.label       AS cycle,
       q.pillar      AS pillar,
       q.code        AS question_code,
       q.wording     AS question,
       i.ordinal     AS ordinal,
       i.text        AS text,
       r.title       AS report,
       i.source_line AS source_line
FROM improvement_areas i
JOIN reports r   ON r.report_id = i.report_id
JOIN areas a     ON a.area_id = r.area_id
JOIN questions q ON q.question_id = i.question_id
JOIN cycles c    ON c.cycle_id = q.cycle_id;
