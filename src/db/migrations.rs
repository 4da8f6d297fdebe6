//! The steps that take an older peel file to the current schema. Released steps are
//! frozen: they repeat parts of `schema.sql` as it was, on purpose.

/// Steps that take a file from version `i + 1` to `i + 2`. Each runs in its own
/// transaction together with the `user_version` bump. Released steps are never edited,
/// and `schema.sql` always equals version 1 plus them.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1 -> 2: bulk imports store millions of figures without a report; index only the
    // figures that have one.
    // Also: per-period counts kept by triggers, filled from the figures already there.
    "DROP INDEX metric_values_report;
     CREATE INDEX metric_values_report ON metric_values (report_id) WHERE report_id IS NOT NULL;
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
     INSERT INTO period_metric_counts (period_id, metric_id, figures)
     SELECT period_id, metric_id, count(*) FROM metric_values GROUP BY period_id, metric_id;
     -- Migrations run with triggers off (a foreign trigger must not act on them), so the
     -- per-period totals are filled here rather than by period_metric_counts_added.
     INSERT INTO period_counts (period_id, metrics, figures)
     SELECT period_id, count(*), sum(figures) FROM period_metric_counts GROUP BY period_id",
    // 2 -> 3: the whole grade record. Questions become items with normalised codes, a
    // level, a graded flag and a series linking a question across cycles; judgments gain
    // their own trust and a carried-over flag, and further sources (judgment_sources);
    // grade counts gain partial, trust and note; views for coverage and tallies. Figures
    // gain their own trust and, for derived rates, the figures they divide; metrics an
    // edition; v_metric_values compares counts by share, not difference. The
    // tables are rebuilt (SQLite cannot add CHECK constraints), with foreign keys off
    // (see `migrate`). Ids are kept, so every reference still holds.
    "DROP VIEW v_judgments;
     DROP VIEW v_improvements;
     ALTER TABLE metrics ADD COLUMN edition TEXT;
     ALTER TABLE metrics ADD COLUMN in_profile INTEGER NOT NULL DEFAULT 0 CHECK (in_profile IN (0, 1));
     UPDATE metrics SET in_profile = 1;
     ALTER TABLE metrics ADD COLUMN rate_of TEXT;
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
     INSERT INTO metric_counts (metric_id, figures, periods, latest_period_id)
     SELECT pc.metric_id, sum(pc.figures), count(*),
            (SELECT x.period_id FROM period_metric_counts x JOIN periods p ON p.period_id = x.period_id
              WHERE x.metric_id = pc.metric_id ORDER BY p.end_date DESC, x.period_id LIMIT 1)
     FROM period_metric_counts pc GROUP BY pc.metric_id;
     ALTER TABLE metric_values ADD COLUMN trust TEXT CHECK (trust IS NULL OR trust IN ('high', 'medium-high', 'medium', 'low'));
     ALTER TABLE metric_values ADD COLUMN numerator_id INTEGER REFERENCES metric_values (value_id) ON DELETE CASCADE
                   CHECK (numerator_id IS NULL OR derived = 1);
     ALTER TABLE metric_values ADD COLUMN denominator_id INTEGER REFERENCES metric_values (value_id) ON DELETE CASCADE
                   CHECK (denominator_id IS NULL OR derived = 1);
     CREATE INDEX metric_values_numerator ON metric_values (numerator_id) WHERE numerator_id IS NOT NULL;
     CREATE INDEX metric_values_denominator ON metric_values (denominator_id) WHERE denominator_id IS NOT NULL;
     DROP VIEW v_metric_values;
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
     CREATE TEMP TABLE item_codes (year INTEGER, pillar TEXT, old TEXT, code TEXT, series TEXT);
     INSERT INTO item_codes VALUES
       (2014, 'effectiveness', 'prevention', 'Q14_E1', 'Q14_E1'),
       (2014, 'effectiveness', 'investigation', 'Q14_E2', 'Q14_E2'),
       (2015, 'effectiveness', 'prevention', 'Q15_E1', 'Q15_E1'),
       (2015, 'effectiveness', 'investigation', 'Q15_E2', 'Q15_E2'),
       (2015, 'effectiveness', 'vulnerability', 'Q15_E3', 'Q15_E3'),
       (2015, 'effectiveness', 'serious-organised-crime', 'Q15_E4', 'Q15_E4'),
       (2016, 'effectiveness', 'prevention', 'Q16_E1', 'Q16_E1'),
       (2016, 'effectiveness', 'investigation', 'Q16_E2', 'Q16_E2'),
       (2016, 'effectiveness', 'vulnerability', 'Q16_E3', 'Q16_E3'),
       (2016, 'effectiveness', 'serious-organised-crime', 'Q16_E4', 'Q16_E4'),
       (2017, 'effectiveness', 'prevention', 'Q17_E1', 'Q16_E1'),
       (2017, 'effectiveness', 'investigation', 'Q17_E2', 'Q16_E2'),
       (2017, 'effectiveness', 'vulnerability', 'Q17_E3', 'Q16_E3'),
       (2017, 'effectiveness', 'serious-organised-crime', 'Q17_E4', 'Q16_E4'),
       (2017, 'efficiency', 'understanding-demand', 'Q17_F1', 'Q16_F1'),
       (2017, 'efficiency', 'use-of-resources', 'Q17_F2', 'Q16_F2'),
       (2017, 'efficiency', 'planning-for-future', 'Q17_F3', 'Q16_F3'),
       (2017, 'legitimacy', 'fair-treatment', 'Q17_L1', 'Q16_L1'),
       (2017, 'legitimacy', 'ethical-behaviour', 'Q17_L2', 'Q16_L2'),
       (2017, 'legitimacy', 'workforce-fairness', 'Q17_L3', 'Q16_L3'),
       (2018, 'effectiveness', 'prevention', 'Q18_E1', 'Q16_E1'),
       (2018, 'effectiveness', 'investigation', 'Q18_E2', 'Q16_E2'),
       (2018, 'effectiveness', 'vulnerability', 'Q18_E3', 'Q16_E3'),
       (2018, 'effectiveness', 'serious-organised-crime', 'Q18_E4', 'Q16_E4'),
       (2018, 'efficiency', 'use-of-resources', 'Q18_F1', 'Q18_F1'),
       (2018, 'efficiency', 'planning-for-future', 'Q18_F2', 'Q18_F2'),
       (2021, NULL, 'building-workforce', 'A21_WORK', 'A21_WORK'),
       (2021, NULL, 'investigating-crime', 'A21_INV', 'A21_INV'),
       (2021, NULL, 'responding-to-public', 'A21_RESP', 'A21_RESP'),
       (2023, NULL, 'building-workforce', 'A23_WORK', 'A21_WORK'),
       (2023, NULL, 'investigating-crime', 'A23_INV', 'A21_INV'),
       (2023, NULL, 'leadership', 'A23_LEAD', 'A23_LEAD'),
       (2023, NULL, 'managing-offenders', 'A23_OFF', 'A21_OFF'),
       (2023, NULL, 'police-powers', 'A23_PPT', 'A23_PPT'),
       (2023, NULL, 'preventing-crime', 'A23_PREV', 'A23_PREV'),
       (2023, NULL, 'protecting-vulnerable', 'A23_VULN', 'A21_VULN'),
       (2023, NULL, 'responding-to-public', 'A23_RESP', 'A21_RESP');
     CREATE TABLE questions_new (
    question_id INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES cycles (cycle_id),
    level       TEXT NOT NULL CHECK (level IN ('pillar', 'question', 'area')),
    pillar      TEXT CHECK (pillar IN ('effectiveness', 'efficiency', 'legitimacy')),
    code        TEXT NOT NULL UNIQUE CHECK (code <> '' AND code NOT GLOB '*[^A-Za-z0-9_]*'),
    wording     TEXT NOT NULL CHECK (wording <> ''),
    graded      INTEGER NOT NULL DEFAULT 1 CHECK (graded IN (0, 1)),
    series      TEXT NOT NULL CHECK (series <> ''),
    CHECK ((level = 'area') = (pillar IS NULL))
);;
     INSERT INTO questions_new (question_id, cycle_id, level, pillar, code, wording, graded, series)
     SELECT q.question_id, q.cycle_id,
            CASE WHEN q.pillar IS NULL THEN 'area' WHEN q.code = 'overall' THEN 'pillar' ELSE 'question' END,
            q.pillar,
            CASE WHEN q.code = 'overall'
                 THEN 'P' || substr(c.year, 3, 2) || '_'
                      || CASE q.pillar WHEN 'effectiveness' THEN 'EFFE' WHEN 'efficiency' THEN 'EFFI' ELSE 'LEGI' END
                 ELSE coalesce(m.code, 'Q_OLD_' || q.question_id) END,
            q.wording,
            CASE WHEN c.year = 2014 AND q.code = 'overall' AND q.pillar IN ('effectiveness', 'legitimacy')
                 THEN 0 ELSE 1 END,
            CASE WHEN q.code = 'overall'
                 THEN 'P14_' || CASE q.pillar WHEN 'effectiveness' THEN 'EFFE' WHEN 'efficiency' THEN 'EFFI' ELSE 'LEGI' END
                 ELSE coalesce(m.series, 'Q_OLD_' || q.question_id) END
     FROM questions q JOIN cycles c ON c.cycle_id = q.cycle_id
     LEFT JOIN item_codes m ON m.year = c.year AND m.pillar IS q.pillar AND m.old = q.code;
     DROP TABLE item_codes;
     DROP TABLE questions;
     ALTER TABLE questions_new RENAME TO questions;
     CREATE INDEX questions_cycle ON questions (cycle_id, level, pillar);
     CREATE INDEX questions_series ON questions (series);
     CREATE TABLE judgments_new (
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
);;
     INSERT INTO judgments_new (judgment_id, area_id, question_id, grade_id, source_id, report_id,
                                source_line, trust, cited, derived, carried_over, note)
     SELECT j.judgment_id, j.area_id, j.question_id, j.grade_id, j.source_id, j.report_id,
            j.source_line, CASE WHEN j.derived = 1 THEN 'low' ELSE s.trust END, j.cited, j.derived, 0, j.note
     FROM judgments j JOIN sources s ON s.source_id = j.source_id;
     DROP TABLE judgments;
     ALTER TABLE judgments_new RENAME TO judgments;
     CREATE INDEX judgments_question ON judgments (question_id, grade_id);
     CREATE INDEX judgments_report ON judgments (report_id);
     CREATE TABLE judgment_sources (
    judgment_id INTEGER NOT NULL REFERENCES judgments (judgment_id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources (source_id),
    trust       TEXT NOT NULL CHECK (trust IN ('high', 'medium-high', 'medium', 'low')),
    derived     INTEGER NOT NULL DEFAULT 0 CHECK (derived IN (0, 1)),
    source_line INTEGER CHECK (source_line IS NULL OR source_line > 0),
    note        TEXT,
    PRIMARY KEY (judgment_id, source_id),
    CHECK (derived = 0 OR trust = 'low')
) WITHOUT ROWID;;
     CREATE TABLE grade_counts_new (
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
);;
     INSERT INTO grade_counts_new (grade_count_id, area_id, cycle_id, pillar, grade_id, count, partial,
                                   trust, source_id, note)
     SELECT gc.grade_count_id, gc.area_id, gc.cycle_id, gc.pillar, gc.grade_id, gc.count, 0, s.trust,
            gc.source_id, NULL
     FROM grade_counts gc JOIN sources s ON s.source_id = gc.source_id;
     DROP TABLE grade_counts;
     ALTER TABLE grade_counts_new RENAME TO grade_counts;
     CREATE UNIQUE INDEX grade_counts_key ON grade_counts (area_id, cycle_id, ifnull(pillar, ''), grade_id);
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
JOIN sources src     ON src.source_id = j.source_id;;
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
WHERE q.graded = 1;;
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
WHERE a.kind = 'force' AND c.has_pillars = 0;;
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
JOIN cycles c    ON c.cycle_id = q.cycle_id;",
];
