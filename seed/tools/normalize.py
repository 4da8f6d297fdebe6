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
    "peel_national_grade_counts.csv": ("peel-national-grade-counts", "high",
        "National grade distributions from HMIC/HMICFRS news pages (URL per row)."),
}

TITLES = {'ref-forces': 'The 43 territorial police forces of England and Wales: ONS codes, names, regions', 'ons-pfa-mye2018': 'ONS police force area data tables: mid-2018 population and 2017-based household projections', 'ho-officer-fte-2015': 'Home Office police workforce: police officer FTE by force, September 2014 to September 2015', 'peel-pillar-judgments': 'HMIC/HMICFRS PEEL pillar grades 2015 to 2018/19 for 11 forces', 'peel-2016-effectiveness-all43': 'PEEL effectiveness 2016 grades for all 43 forces (news list)', 'peel-2017-legitimacy-all43': 'PEEL legitimacy 2017 grades for all 43 forces', 'peel-question-area-judgments': 'PEEL question- and area-level grades for a few forces, 2016 to 2023-25', 'peel-national-grade-counts': 'National distributions of PEEL pillar grades'}


def dataset_source(name):
    key, trust, note = DATASETS[name]
    first = (ORIG / name).read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
    note = f"{note} File header: {first}"
    licence = OGL if name.startswith(("ons", "ho", "forces", "peel_pillar", "peel_national", "peel_2017")) else OGL_FACTS
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
    values.append(["population", code, "as at 30 June 2018", r["MYE2018"], pop_src, "ONS mid-2018 population estimate", 0])
    values.append(["households", code, "as at 30 June 2018", r["SNHP2017"], pop_src, "ONS 2017-based household projection for 2018", 0])

fte_src = dataset_source("ho_police_officer_fte_2014_2015.csv")
FTE_REGIONS = {  # Home Office region labels -> ONS codes; region rows precede their forces
    "North East": "E12000001", "North West": "E12000002", "Yorkshire and the Humber": "E12000003",
    "East Midlands": "E12000004", "Eastern": "E12000006", "London": "E12000007",
    "South East": "E12000008", "South West": "E12000009", "Wales": WALES,
    "Total 43 forces": NATIONAL,
}
FTE_SKIPPED = {"Central Service Secondments", "British Transport Police", "Total"}
fte_cols = {"September 2014": "as at 30 September 2014", "March 2015": "as at 31 March 2015",
            "September 2015": "as at 30 September 2015"}
seen_west_midlands = False
for r in read("ho_police_officer_fte_2014_2015.csv"):
    name = r["Force/Region"]
    if name in FTE_SKIPPED:
        continue
    if name == "West Midlands":
        # The file lists the region first and the force last within it.
        code = "E12000005" if not seen_west_midlands else force_code(name)
        seen_west_midlands = True
    elif name in FTE_REGIONS:
        code = FTE_REGIONS[name]
    else:
        code = force_code(name)
    for col, label in fte_cols.items():
        # Two decimals: the cleaned copy carries float noise (1358.1599999999996).
        v = round(float(r[col]), 2)
        values.append(["officer-fte", code, label, repr(v), fte_src,
                       f"Home Office figure as printed: {r[col]}", 0])

write("periods.csv", ["label", "kind", "start_date", "end_date"],
      [[k, *v] for k, v in periods.items()])
write("metric_values.csv", ["metric", "area_code", "period", "value", "source", "note", "derived"], values)

# ---------------------------------------------------------------- judgments
CYCLE = {"2014": 2014, "2015": 2015, "2016": 2016, "2017": 2017, "2018": 2018, "2021/22": 2021, "2023-25": 2023}
QUESTION_CODES = {  # (year, wording as printed) -> (pillar, code)
    ("2016", "Preventing crime tackling anti-social behaviour and keeping people safe"): ("effectiveness", "prevention"),
    ("2016", "Investigating crime and reducing re-offending"): ("effectiveness", "investigation"),
    ("2016", "Protecting those who are vulnerable from harm and supporting victims"): ("effectiveness", "vulnerability"),
    ("2016", "Tackling serious and organised crime"): ("effectiveness", "serious-organised-crime"),
    ("2017", "Preventing crime and tackling anti-social behaviour"): ("effectiveness", "prevention"),
    ("2017", "Investigating crime and reducing re-offending"): ("effectiveness", "investigation"),
    ("2017", "Protecting vulnerable people"): ("effectiveness", "vulnerability"),
    ("2017", "Tackling serious and organised crime"): ("effectiveness", "serious-organised-crime"),
    ("2017", "Understanding demand (efficiency)"): ("efficiency", "understanding-demand"),
    ("2017", "Use of resources (efficiency)"): ("efficiency", "use-of-resources"),
    ("2017", "Use of resources to manage demand (efficiency)"): ("efficiency", "use-of-resources"),
    ("2017", "Planning for the future (efficiency)"): ("efficiency", "planning-for-future"),
    ("2017", "Planning for future demand (efficiency)"): ("efficiency", "planning-for-future"),
    ("2017", "Treating all the people it serves with fairness and respect (legitimacy)"): ("legitimacy", "fair-treatment"),
    ("2017", "Ensuring its workforce behaves ethically and lawfully (legitimacy)"): ("legitimacy", "ethical-behaviour"),
    ("2017", "Treating its workforce with fairness and respect (legitimacy)"): ("legitimacy", "workforce-fairness"),
    ("2018", "How well does the force plan for the future? (efficiency)"): ("efficiency", "planning-for-future"),
    ("2018", "Preventing crime tackling anti-social behaviour and keeping people safe"): ("effectiveness", "prevention"),
    ("2018", "How well does the force use its resources to meet the demand it faces?"): ("efficiency", "use-of-resources"),
    ("2021/22", "Investigating crime"): ("", "investigating-crime"),
    ("2021/22", "Responding to the public"): ("", "responding-to-public"),
    ("2021/22", "Building, supporting and protecting the workforce"): ("", "building-workforce"),
    ("2023-25", "Police powers and public treatment"): ("", "police-powers"),
    ("2023-25", "Preventing and deterring crime and antisocial behaviour and reducing vulnerability"): ("", "preventing-crime"),
    ("2023-25", "Managing offenders and suspects"): ("", "managing-offenders"),
    ("2023-25", "Building, supporting and protecting the workforce"): ("", "building-workforce"),
    ("2023-25", "Responding to the public"): ("", "responding-to-public"),
    ("2023-25", "Leadership and force management"): ("", "leadership"),
    ("2023-25", "Investigating crime"): ("", "investigating-crime"),
    ("2023-25", "Protecting vulnerable people"): ("", "protecting-vulnerable"),
}

judgments = {}  # (code, year, pillar, question) -> row; the first (most trusted) file wins
PRIORITY = ["peel_pillar_judgments_2015_2018.csv", "peel_question_and_area_judgments.csv",
            "peel_2017_legitimacy_all43.csv", "peel_2016_effectiveness_all43.csv"]


def add_judgment(code, cycle, pillar, question, grade, src, derived, note, printed):
    key = (code, CYCLE[cycle], pillar, question)
    row = [code, CYCLE[cycle], pillar, question, grade, src, derived, note, printed]
    old = judgments.get(key)
    if old is None:
        judgments[key] = row
    elif old[4] != grade:
        sys.exit(f"judgment {key}: {old[4]!r} from {old[5]} disagrees with {grade!r} from {src}")
    # else: the same grade from a less trusted file adds nothing


for name in PRIORITY:
    ds = dataset_source(name)
    for r in read(name):
        code = force_code(r["force"], r["pfa_code"])
        if name == "peel_question_and_area_judgments.csv":
            if r["question_or_area"].startswith("count_only"):
                continue  # handled as grade counts below
            pillar, q = QUESTION_CODES[(r["peel_cycle"], r["question_or_area"])]
            src = url_source(r["source_url"], name)
            note = r["note"]
            add_judgment(code, r["peel_cycle"], pillar, q, r["grade"], src, 1 if note.startswith("inferred") else 0,
                         note, r["question_or_area"])
        elif name == "peel_pillar_judgments_2015_2018.csv":
            add_judgment(code, r["peel_year"], r["pillar"].lower(), "overall", r["grade"],
                         url_source(r["source_url"], name), 0, "", "")
        elif name == "peel_2016_effectiveness_all43.csv":
            add_judgment(code, r["peel_year"], "effectiveness", "overall", r["grade"], ds, 0, "",
                         r["name_as_printed"])
        else:
            derived = 1 if r["derived"] == "yes" else 0
            add_judgment(code, r["peel_year"], "legitimacy", "overall", r["grade"], ds, derived,
                         "derived from 'all other forces were judged as good'" if derived else "", "")
write("judgments.csv", ["area_code", "year", "pillar", "question", "grade", "source", "derived", "note", "name_as_printed"],
      sorted(judgments.values(), key=lambda r: (r[1], r[2], r[3], r[0])))

# ---------------------------------------------------------------- grade counts
counts = []  # area_code, year, pillar, grade, count, source
gc_name = "peel_national_grade_counts.csv"
dataset_source(gc_name)
for r in read(gc_name):
    src = url_source(r["source_url"], gc_name)
    for col, grade in [("outstanding", "Outstanding"), ("good", "Good"), ("adequate", "Adequate"),
                       ("requires_improvement", "Requires improvement"), ("inadequate", "Inadequate"),
                       ("not_graded", "Not graded")]:
        if r[col] != "":
            counts.append([NATIONAL, r["peel_year"], r["pillar"].lower(), grade, r[col], src])
qa = "peel_question_and_area_judgments.csv"
for r in read(qa):
    text = r["question_or_area"]
    if not text.startswith("count_only"):
        continue
    m = re.match(r"count_only: (\d+) areas graded -> (.*)$", text)
    if not m:
        sys.exit(f"cannot read count_only row {text!r}")
    total = 0
    for part in m.group(2).split(";"):
        grade, n = part.strip().rsplit(" ", 1)
        total += int(n)
        counts.append([force_code(r["force"], r["pfa_code"]), CYCLE[r["peel_cycle"]], "", grade, n,
                       url_source(r["source_url"], qa)])
    if total != int(m.group(1)):
        sys.exit(f"count_only row {text!r}: parts sum to {total}")
write("grade_counts.csv", ["area_code", "year", "pillar", "grade", "count", "source"], counts)

# ---------------------------------------------------------------- sources
write("sources.csv", ["key", "kind", "location", "title", "publisher", "licence", "trust", "note"],
      sorted(sources.values()))
print(f"areas {len(areas)}, values {len(values)}, judgments {len(judgments)}, counts {len(counts)}, sources {len(sources)}")
