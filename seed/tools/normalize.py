#!/usr/bin/env python3
"""Derive peel's normalised seed tables from the research files in seed/original/.

The research files (copied unchanged from the project's reference data) each carry their
source on their first line and, for judgments, a source URL per row. peel's loader reads
the normalised tables written here, so that every row names its area by ONS code and its
source by a key in sources.csv. Run it after changing anything in seed/original/:

    python3 seed/tools/normalize.py

The build never runs this script: its outputs are committed and embedded in the binary.
It fails loudly (non-zero exit) on anything it cannot map, and on two sources that
disagree about the same judgment.
"""

import csv
import io
import re
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent
ORIG = SEED / "original"

OGL = "Open Government Licence v3.0"
OGL_FACTS = "facts reported by a third party; the underlying HMIC/HMICFRS judgments are published under the " + OGL

NATIONAL = "K04000001"
ENGLAND = "E92000001"
WALES = "W92000004"


def read(name):
    """Rows of a research file, after its one-line '# source' comment."""
    lines = (ORIG / name).read_text(encoding="utf-8").splitlines(keepends=True)
    if not lines[0].startswith("#"):
        sys.exit(f"{name}: expected a '# source' comment on line 1")
    return list(csv.DictReader(io.StringIO("".join(lines[1:]))))


def write(name, header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    (SEED / name).write_text(out.getvalue(), encoding="utf-8")


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ---------------------------------------------------------------- sources
sources = {}  # key -> row


def source(key, kind, location, title, publisher, licence, trust, note):
    row = [key, kind, location, title, publisher, licence, trust, note]
    if key in sources and sources[key] != row:
        sys.exit(f"source {key} defined twice with different details")
    sources[key] = row
    return key


DATASETS = {
    "forces_england_wales_43.csv": ("ref-forces", "high",
        "ONS police force area codes, names and regions; mid-2018 population. Cross-checked across three public repositories (research notes)."),
    "ons_pfa_population_mye2018.csv": ("ons-pfa-mye2018", "high",
        "ONS police force area data tables (MYE2018 population; 2017-based household projections), via M-O-P-D/popm."),
    "ho_police_officer_fte_2014_2015.csv": ("ho-officer-fte-2015", "medium-high",
        "Home Office 'Police workforce, England and Wales' officer FTE, via a third-party cleaned copy (Resistance-Lab/resistancelab_data); values copied verbatim."),
    "peel_pillar_judgments_2015_2018.csv": ("peel-pillar-judgments", "high",
        "Pillar grades hand-transcribed from HMIC/HMICFRS force assessment pages (one URL per row)."),
    "peel_2016_effectiveness_all43.csv": ("peel-2016-effectiveness-all43", "medium-high",
        "A news list of HMIC PEEL effectiveness 2016 grades for all 43 forces; consistent with HMIC force pages where checked."),
    "peel_2017_legitimacy_all43.csv": ("peel-2017-legitimacy-all43", "high",
        "HMICFRS press page naming the outstanding and requires-improvement forces; the Good rows are DERIVED from 'all other forces were judged as good'."),
    "peel_question_and_area_judgments.csv": ("peel-question-area-judgments", "medium",
        "Question- and area-level grades hand-transcribed from force press releases and news reports (URL per row)."),
    "peel_grades_2014_2025.csv": ("peel-grades-2014-2025", "high",
        "The audited PEEL grade record (see original/GRADES.md): one source URL, trust level, derived flag and note per row."),
    "peel_area_grade_counts_2021_2025.csv": ("peel-area-grade-counts", "high",
        "Audited per-force counts of area grades, 2021/22 and 2023-25, where the areas were not all named (URL per row)."),
    "peel_national_grade_counts_additions.csv": ("peel-national-grade-counts-additions", "high",
        "Audited national pillar-grade distributions missing from peel_national_grade_counts.csv, plus cross-checks (URL per row)."),
    "peel_national_grade_counts.csv": ("peel-national-grade-counts", "high",
        "National grade distributions from HMIC/HMICFRS news pages (URL per row)."),
}

TITLES = {'ref-forces': 'The 43 territorial police forces of England and Wales: ONS codes, names, regions', 'ons-pfa-mye2018': 'ONS police force area data tables: mid-2018 population and 2017-based household projections', 'ho-officer-fte-2015': 'Home Office police workforce: police officer FTE by force, September 2014 to September 2015', 'peel-pillar-judgments': 'HMIC/HMICFRS PEEL pillar grades 2015 to 2018/19 for 11 forces', 'peel-2016-effectiveness-all43': 'PEEL effectiveness 2016 grades for all 43 forces (news list)', 'peel-2017-legitimacy-all43': 'PEEL legitimacy 2017 grades for all 43 forces', 'peel-question-area-judgments': 'PEEL question- and area-level grades for a few forces, 2016 to 2023-25', 'peel-national-grade-counts': 'National distributions of PEEL pillar grades', 'peel-grades-2014-2025': 'PEEL grades 2014 to 2023-25, audited (1,067 grades)', 'peel-area-grade-counts': 'PEEL area grade counts per force, 2021/22 and 2023-25, audited', 'peel-national-grade-counts-additions': 'PEEL national grade distributions: additions and cross-checks, audited'}


def dataset_source(name):
    key, trust, note = DATASETS[name]
    first = (ORIG / name).read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
    note = f"{note} File header: {first}"
    licence = OGL if name.startswith(("ons", "ho", "forces", "peel_pillar", "peel_national", "peel_2017")) else OGL_FACTS
    if name in ("peel_grades_2014_2025.csv", "peel_area_grade_counts_2021_2025.csv"):
        licence = "facts from HMIC/HMICFRS pages (" + OGL + ") and secondary sources; trust per row"
    return source(key, "file", f"seed/original/{name}", TITLES[key], "peel research notes", licence, trust, note)


def url_source(url, via_name):
    """A per-row URL source, inheriting trust from the research file it was read from."""
    _, trust, note = DATASETS[via_name]
    host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    official = "justiceinspectorates.gov.uk" in host
    publisher = "HMIC/HMICFRS" if official else host
    title = ("HMIC/HMICFRS page: " if official else "News report: ") + url.rstrip("/").split("/")[-1][:120]
    licence = OGL if official else OGL_FACTS
    key = "url:" + url
    if key in sources:
        return key
    return source(key, "url", url, title, publisher, licence, trust, note)


# ---------------------------------------------------------------- areas
forces = read("forces_england_wales_43.csv")
pop = read("ons_pfa_population_mye2018.csv")
force_src = dataset_source("forces_england_wales_43.csv")
pop_src = dataset_source("ons_pfa_population_mye2018.csv")

region_codes = {r["name"]: r["code"] for r in pop if r["code"].startswith("E12")}
region_codes["Wales"] = WALES

areas = []  # code, slug, name, short_name, kind, parent_code, country, aliases, source
areas.append([NATIONAL, "england-and-wales", "England and Wales", "England and Wales", "national", "", "England and Wales", "E&W|national", pop_src])
areas.append([ENGLAND, "england", "England", "England", "country", NATIONAL, "England", "", pop_src])
areas.append([WALES, "wales", "Wales", "Wales", "country", NATIONAL, "Wales", "", pop_src])
for name, code in sorted(region_codes.items(), key=lambda kv: kv[1]):
    if code == WALES:
        continue
    short = name.replace(" (region)", "")
    areas.append([code, slug(short) + "-region", short + " region", short, "region", ENGLAND, "England", name if name != short else "", pop_src])

ALIASES = {  # names other publishers print, so that seed files and later imports resolve
    "E23000001": "Metropolitan|Met|Met Police|MPS|Metropolitan Police (London)",  # London's force, beside the City of London's
    "E23000034": "London, City of|City of London",
    "E23000036": "Avon & Somerset",
    "E23000035": "Devon & Cornwall",
    "W15000004": "Dyfed Powys",
}
for f in forces:
    region = f["region"]
    if region not in region_codes:
        sys.exit(f"forces: unknown region {region!r}")
    areas.append([f["pfa_code"], f["data_police_uk_slug"], f["force_name"], f["short_name"], "force",
                  region_codes[region], f["country"], ALIASES.get(f["pfa_code"], ""), force_src])
write("areas.csv", ["code", "slug", "name", "short_name", "kind", "parent_code", "country", "aliases", "source"], areas)

by_short = {a[3].lower(): a[0] for a in areas if a[4] == "force"}
for a in areas:
    if a[4] == "force":
        for alias in filter(None, a[7].split("|")):
            by_short[alias.lower()] = a[0]


def force_code(name, code=None):
    c = by_short.get(name.strip().lower())
    if c is None:
        sys.exit(f"unknown force name {name!r}")
    if code and code != c:
        sys.exit(f"force {name!r}: code {code} disagrees with {c}")
    return c


# ---------------------------------------------------------------- periods and metric values
periods = {
    "as at 30 June 2018": ("point", "", "2018-06-30"),
    "as at 30 September 2014": ("point", "", "2014-09-30"),
    "as at 31 March 2015": ("point", "", "2015-03-31"),
    "as at 30 September 2015": ("point", "", "2015-09-30"),
}
values = []  # metric, area_code, period_label, value, source, note, derived
for r in pop:
    code = r["code"]
    if not code:
        continue  # 'Beds Cambs Herts': an aggregate the source repository added, with no ONS code
    # The mid-2018 estimate as the ONS PFA tables print it (rounded to 100): an earlier
    # edition than the population series loaded from seed/metrics/, so its own metric.
    values.append(["population-mye2018", code, "as at 30 June 2018", r["MYE2018"], pop_src, "ONS mid-2018 population estimate, rounded to 100", 0])
    values.append(["households", code, "as at 30 June 2018", r["SNHP2017"], pop_src, "ONS 2017-based household projection for 2018", 0])

# The officer FTE research file (September 2014, March 2015, September 2015) is superseded
# by the workforce series in seed/metrics/: its September figures equal the September
# publications' exactly, and its March 2015 figures are an earlier edition of the open data
# table's (the Met's differs by 374 FTE), which a series must not mix. Its source stays.
dataset_source("ho_police_officer_fte_2014_2015.csv")
periods = {k: v for k, v in periods.items() if k == "as at 30 June 2018"}

write("periods.csv", ["label", "kind", "start_date", "end_date"],
      [[k, *v] for k, v in periods.items()])
write("metric_values.csv", ["metric", "area_code", "period", "value", "source", "note", "derived"], values)

# ---------------------------------------------------------------- grades
# The grades are loaded by peel's own grade importer (`peel import grades`), in this order:
#   1. original/peel_grades_2014_2025.csv, the audited record, as it is;
#   2. grades_project_files.csv (written here): the older project files' grades in the
#      same layout, so that a grade seen in both keeps both sources and the rows the
#      audited file lacks (2016 effectiveness and 2017 legitimacy for the rest of the 43,
#      GMP's 2017 'Not graded') are added;
#   3. peel_grades_confirmed_additions.csv: GRADES.md's candidates, each re-confirmed;
#   4. the national counts and the per-force area counts, through the same importer.
# This script checks what peel would otherwise only find at build time: every item code is
# in items.csv with the same wording, and no two files disagree about a grade.

GRADE_HEADER = ["ons_code", "force", "cycle", "level", "pillar", "item_code", "item", "grade",
                "source_url", "trust", "derived", "note"]
items = {r["code"]: r for r in csv.DictReader(io.StringIO((SEED / "items.csv").read_text(encoding="utf-8")))}
short_of = {f["pfa_code"]: f["short_name"] for f in forces}


def check_item(where, cycle, level, pillar, code, wording):
    it = items.get(code)
    if it is None:
        sys.exit(f"{where}: item {code} is not in seed/items.csv")
    if (it["cycle"], it["level"], it["pillar"]) != (cycle, level, pillar):
        sys.exit(f"{where}: item {code} is {it['cycle']}/{it['level']}/{it['pillar']} in items.csv, not {cycle}/{level}/{pillar}")
    if wording is not None and it["wording"] != wording:
        sys.exit(f"{where}: item {code} wording {wording!r} differs from items.csv {it['wording']!r}")


audited = {}  # (ons_code, item_code) -> grade
for name in ["peel_grades_2014_2025.csv", "peel_grades_confirmed_additions.csv"]:
    path = ORIG / name if (ORIG / name).exists() else SEED / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, r in enumerate(csv.DictReader(io.StringIO("".join(lines[1:]))), start=3):
        check_item(f"{name} line {i}", r["cycle"], r["level"], r["pillar"], r["item_code"], r["item"])
        force_code(r["force"], r["ons_code"])
        key = (r["ons_code"], r["item_code"])
        if key in audited and audited[key] != r["grade"]:
            sys.exit(f"{name} line {i}: {key} is {r['grade']!r} here but {audited[key]!r} in an earlier file")
        audited[key] = r["grade"]

CYCLE_LABEL = {"2014": "2014", "2015": "2015", "2016": "2016", "2017": "2017", "2018": "2018/19",
               "2021/22": "2021/22", "2023-25": "2023-25"}
YY = {"2014": "14", "2015": "15", "2016": "16", "2017": "17", "2018/19": "18"}
PILLAR_SUFFIX = {"effectiveness": "EFFE", "efficiency": "EFFI", "legitimacy": "LEGI"}
ITEM_CODES = {  # (cycle, wording as printed in the older files) -> item code
    ("2016", "Preventing crime tackling anti-social behaviour and keeping people safe"): "Q16_E1",
    ("2016", "Investigating crime and reducing re-offending"): "Q16_E2",
    ("2016", "Protecting those who are vulnerable from harm and supporting victims"): "Q16_E3",
    ("2016", "Tackling serious and organised crime"): "Q16_E4",
    ("2017", "Preventing crime and tackling anti-social behaviour"): "Q17_E1",
    ("2017", "Investigating crime and reducing re-offending"): "Q17_E2",
    ("2017", "Protecting vulnerable people"): "Q17_E3",
    ("2017", "Tackling serious and organised crime"): "Q17_E4",
    ("2017", "Understanding demand (efficiency)"): "Q17_F1",
    ("2017", "Use of resources (efficiency)"): "Q17_F2",
    ("2017", "Use of resources to manage demand (efficiency)"): "Q17_F2",
    ("2017", "Planning for the future (efficiency)"): "Q17_F3",
    ("2017", "Planning for future demand (efficiency)"): "Q17_F3",
    ("2017", "Treating all the people it serves with fairness and respect (legitimacy)"): "Q17_L1",
    ("2017", "Ensuring its workforce behaves ethically and lawfully (legitimacy)"): "Q17_L2",
    ("2017", "Treating its workforce with fairness and respect (legitimacy)"): "Q17_L3",
    ("2018", "How well does the force plan for the future? (efficiency)"): "Q18_F2",
    ("2018", "Preventing crime tackling anti-social behaviour and keeping people safe"): "Q18_E1",
    ("2018", "How well does the force use its resources to meet the demand it faces?"): "Q18_F1",
    ("2021/22", "Investigating crime"): "A21_INV",
    ("2021/22", "Responding to the public"): "A21_RESP",
    ("2021/22", "Building, supporting and protecting the workforce"): "A21_WORK",
    ("2023-25", "Police powers and public treatment"): "A23_PPT",
    ("2023-25", "Preventing and deterring crime and antisocial behaviour and reducing vulnerability"): "A23_PREV",
    ("2023-25", "Managing offenders and suspects"): "A23_OFF",
    ("2023-25", "Building, supporting and protecting the workforce"): "A23_WORK",
    ("2023-25", "Responding to the public"): "A23_RESP",
    ("2023-25", "Leadership and force management"): "A23_LEAD",
    ("2023-25", "Investigating crime"): "A23_INV",
    ("2023-25", "Protecting vulnerable people"): "A23_VULN",
}


def header_url(name):
    """The URL a research file's '# source:' line names (its one upstream page)."""
    first = (ORIG / name).read_text(encoding="utf-8").splitlines()[0]
    m = re.search(r"https?://\S+", first)
    if not m:
        sys.exit(f"{name}: no URL on the source line")
    return m.group(0)


project = {}  # (ons_code, item_code) -> row in GRADE_HEADER layout; first file wins
PRIORITY = ["peel_pillar_judgments_2015_2018.csv", "peel_question_and_area_judgments.csv",
            "peel_2017_legitimacy_all43.csv", "peel_2016_effectiveness_all43.csv"]


def add_grade(name, code, cycle, item_code, grade, url, trust, derived, note):
    it = items[item_code]
    if " (" in url:  # 'URL (an aside)': the aside belongs in the note
        url, aside = url.split(" (", 1)
        note += f" Source aside: {aside.rstrip(')')}."
    if audited.get((code, item_code), grade) != grade:
        sys.exit(f"{name}: {short_of[code]} {item_code} is {grade!r} here but {audited[(code, item_code)]!r} in the audited file")
    key = (code, item_code)
    old = project.get(key)
    if old is not None:
        if old[7] != grade:
            sys.exit(f"{name}: {key} is {grade!r} here but {old[7]!r} in {old[-1]}")
        return  # the same grade from a less trusted project file adds nothing
    project[key] = [code, short_of[code], cycle, it["level"], it["pillar"], item_code, it["wording"], grade,
                    url, "low" if derived else trust, derived, note]


for name in PRIORITY:
    dataset_source(name)
    for i, r in enumerate(read(name), start=3):
        code = force_code(r["force"], r["pfa_code"])
        where = f"seed/original/{name} line {i}"
        if name == "peel_question_and_area_judgments.csv":
            if r["question_or_area"].startswith("count_only"):
                continue  # the audited counts file holds these (checked below)
            cycle = CYCLE_LABEL[r["peel_cycle"]]
            item_code = ITEM_CODES[(r["peel_cycle"], r["question_or_area"])]
            derived = 1 if r["note"].startswith("inferred") else 0
            note = f"Older project file ({where}), printed as {r['question_or_area']!r}."
            if r["note"]:
                note += f" Its note: {r['note']}"
            add_grade(name, code, cycle, item_code, r["grade"], r["source_url"], "medium", derived, note)
        elif name == "peel_pillar_judgments_2015_2018.csv":
            cycle = CYCLE_LABEL[r["peel_year"]]
            item_code = f"P{YY[cycle]}_{PILLAR_SUFFIX[r['pillar'].lower()]}"
            note = f"Older project file ({where}): grade stated on the HMIC/HMICFRS force page."
            add_grade(name, code, cycle, item_code, r["grade"], r["source_url"], "high", 0, note)
        elif name == "peel_2016_effectiveness_all43.csv":
            add_grade(name, code, "2016", "P16_EFFE", r["grade"], header_url(name), "medium", 0,
                      f"Older project file ({where}): a news list of the 2016 effectiveness grades of all 43 forces, "
                      f"printed as {r['name_as_printed']!r}; consistent with HMIC force pages where checked.")
        else:
            derived = 1 if r["derived"] == "yes" else 0
            note = f"Older project file ({where}): the HMICFRS 2017 legitimacy press page "
            note += ("names the outstanding and requires-improvement forces and says all other forces were judged good; "
                     "this force is not named, so its Good grade is derived from 'all other forces'."
                     if derived else "names this force's grade.")
            add_grade(name, code, "2017", "P17_LEGI", r["grade"], header_url(name), "high", derived, note)

out = io.StringIO()
w = csv.writer(out, lineterminator="\n")
out.write("# source: peel's older project research files (seed/original/peel_pillar_judgments_2015_2018.csv, "
          "peel_question_and_area_judgments.csv, peel_2016_effectiveness_all43.csv, peel_2017_legitimacy_all43.csv) "
          "in the layout of peel_grades_2014_2025.csv, written by seed/tools/normalize.py; URL per row. trust: high = "
          "inspectorate text states the grade; medium = secondary source; low = derived.\n")
w.writerow(GRADE_HEADER)
for row in sorted(project.values(), key=lambda r: (r[2], r[5], r[1])):
    w.writerow(row)
(SEED / "grades_project_files.csv").write_text(out.getvalue(), encoding="utf-8")

# ---------------------------------------------------------------- grade counts
# The older file's count-only rows must agree with the audited per-force counts file,
# which replaces them.
dataset_source("peel_national_grade_counts.csv")
area_counts = {}
lines = (ORIG / "peel_area_grade_counts_2021_2025.csv").read_text(encoding="utf-8").splitlines(keepends=True)
for r in csv.DictReader(io.StringIO("".join(lines[1:]))):
    area_counts[(r["ons_code"], r["cycle"])] = r
COUNT_COLUMNS = {"Outstanding": "outstanding", "Good": "good", "Adequate": "adequate",
                 "Requires improvement": "requires_improvement", "Inadequate": "inadequate"}
for r in read("peel_question_and_area_judgments.csv"):
    text = r["question_or_area"]
    if not text.startswith("count_only"):
        continue
    m = re.match(r"count_only: (\d+) areas graded -> (.*)$", text)
    new = area_counts.get((r["pfa_code"], r["peel_cycle"]))
    if not m or new is None:
        sys.exit(f"count_only row {text!r} has no row in the audited counts file")
    for part in m.group(2).split(";"):
        grade, n = part.strip().rsplit(" ", 1)
        if new[COUNT_COLUMNS[grade]] != n:
            sys.exit(f"count_only row {text!r}: {grade} {n} differs from the audited counts file")
for name in ["peel_grades_2014_2025.csv", "peel_area_grade_counts_2021_2025.csv",
             "peel_national_grade_counts_additions.csv"]:
    dataset_source(name)

# The per-force counts load as they are, less the one row whose source does not say which
# cycle it belongs to (a count must belong to a cycle to be compared with anything).
kept = [lines[0], lines[1]]
left_out = []
for line, r in zip(lines[2:], csv.DictReader(io.StringIO("".join(lines[1:])))):
    if r["cycle"] in CYCLE_LABEL.values():
        kept.append(line)
    else:
        left_out.append(f"{r['force']} ({r['cycle']})")
if left_out != ["Dyfed-Powys (2021/22 or 2023-25 (not stated))"]:
    sys.exit(f"area counts left out: {left_out}; expected only the Dyfed-Powys row")
(SEED / "area_grade_counts.csv").write_text("".join(kept), encoding="utf-8")

# The older national counts file gains the trust and note columns of the additions file:
# high for the inspectorate's own pages, medium for news (the audited trust scale).
out = io.StringIO()
w = csv.writer(out, lineterminator="\n")
out.write("# source: seed/original/peel_national_grade_counts.csv (HMIC/HMICFRS news and press pages, URL per row) "
          "in the layout of peel_national_grade_counts_additions.csv, written by seed/tools/normalize.py.\n")
w.writerow(["peel_year", "pillar", "outstanding", "good", "adequate", "requires_improvement", "inadequate",
            "not_graded", "source_url", "trust", "note"])
for i, r in enumerate(read("peel_national_grade_counts.csv"), start=3):
    official = "justiceinspectorates.gov.uk" in r["source_url"]
    w.writerow([r["peel_year"], r["pillar"], r["outstanding"], r["good"], r["adequate"], r["requires_improvement"],
                r["inadequate"], r["not_graded"], r["source_url"], "high" if official else "medium",
                f"Older project file (seed/original/peel_national_grade_counts.csv line {i}): "
                + ("HMIC/HMICFRS page." if official else "news report of the national distribution.")])
(SEED / "national_grade_counts.csv").write_text(out.getvalue(), encoding="utf-8")

# ---------------------------------------------------------------- figure series
# The audited per-force series (original/METRICS-README.md), with each research metric
# renamed to peel's code for its edition: a metric holds one edition of a statistic, so a
# series never mixes two (the 2001-2010 population is the ONS mid-2020 edition, 2011 on the
# mid-2023 one; 30 September workforce figures come from the September publications, 31
# March ones from the open data table). Rows are otherwise as the research wrote them:
# source URL, trust and note per row. The files are read from the research folder when it
# is there (they are not copied into original/, to keep the repository small; every row
# names its upstream source).
SERIES = {
    "ons_pfa_population_2011_2023.csv": {"population": "population"},
    "ons_pfa_population_2001_2010.csv": {"population": "population-2020-edition"},
    "ho_police_workforce_mar2007_mar2023.csv": {m: m for m in [
        "officer-fte", "officer-headcount", "staff-fte", "pcso-fte", "pcso-headcount",
        "designated-officer-fte", "special-constable-headcount"]},
    "ho_police_workforce_sep2014_sep2019.csv": {m: m + "-sep" for m in [
        "officer-fte", "staff-fte", "pcso-fte", "designated-officer-fte", "special-constable-headcount"]},
    "ho_police_officer_fte_mar2025.csv": {"officer-fte": "officer-fte-jan2026"},
    "ons_recorded_crime_excl_fraud_pfa_fy2003_2018.csv": {"recorded-crime-excl-fraud": "recorded-crime"},
    "ho_recorded_crime_pfa_fy2025.csv": {"recorded-crime-excl-fraud": "recorded-crime-prc2026"},
    "ho_crime_outcomes_charge_rate_pfa_fy2018_fy2019.csv": {m: m for m in [
        "outcomes-offences-recorded-in-year", "outcomes-charged-summonsed", "charge-summons-rate"]},
    "ons_crime_severity_score_pfa_fy2003_fy2023.csv": {"crime-severity-score": "crime-severity-score"},
    "ho_arrests_pfa_fy2007_fy2018.csv": {"arrests": "arrests"},
    "ho_stop_search_pfa_fy2007_fy2019.csv": {m: m for m in [
        "stop-search-all", "stop-search-s1-pace", "stop-search-resultant-arrests"]},
    # Not embedded in the binary (8 MB): `peel import csv seed/metrics/<this file>`.
    "ons_recorded_crime_by_offence_pfa_fy2003_fy2018.csv": None,
}
RESEARCH = SEED.parent.parent / "shared" / "data" / "metrics"
if RESEARCH.exists():
    metric_codes = {r["code"] for r in csv.DictReader(io.StringIO((SEED / "metrics.csv").read_text(encoding="utf-8")))}
    for name, renames in SERIES.items():
        lines = (RESEARCH / name).read_text(encoding="utf-8").splitlines(keepends=True)
        if not lines[0].startswith("# source:"):
            sys.exit(f"{name}: expected a '# source:' line")
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        out.write(lines[0].rstrip("\n") + f" [peel: research file {name}, metric codes renamed to peel's by seed/tools/normalize.py]\n")
        reader = csv.DictReader(io.StringIO("".join(lines[1:])))
        w.writerow(reader.fieldnames)
        for r in reader:
            if renames is None:
                code = "recorded-crime-" + slug(r["metric"].split(":", 1)[1])
            elif r["metric"] in renames:
                code = renames[r["metric"]]
            else:
                sys.exit(f"{name}: unmapped metric {r['metric']!r}")
            if renames is not None and code not in metric_codes:
                sys.exit(f"{name}: metric {code} is not in seed/metrics.csv")
            r["metric"] = code
            w.writerow([r[f] for f in reader.fieldnames])
        (SEED / "metrics" / name).write_text(out.getvalue(), encoding="utf-8")

# ---------------------------------------------------------------- sources
write("sources.csv", ["key", "kind", "location", "title", "publisher", "licence", "trust", "note"],
      sorted(sources.values()))
print(f"areas {len(areas)}, values {len(values)}, project grades {len(project)}, sources {len(sources)}")
