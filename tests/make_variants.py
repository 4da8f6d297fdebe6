#!/usr/bin/env python3
"""Derive text-extraction variants of the seed report for the parser tests.

Usage: python3 tests/make_variants.py   (from the crate root; stdlib only)

Reads tests/fixtures/reports/peel-effectiveness-2015-cambridgeshire.txt and
writes tests/fixtures/reports/variants/<name>.txt. Every variant says the
same thing as the seed, so the parser must yield the same facts (line
numbers aside where lines move). The outputs are committed; the Rust build
never runs this script. The transformations are deterministic.

Variants:
  crlf              CRLF line ends
  cr                lone CR line ends
  formfeed-headers  page breaks every 45 lines: footer URL + page number,
                    form feed, running header (half of them padded with
                    blank lines, half not)
  hardwrap-80       every paragraph, heading and long table row wrapped at
                    80 columns; long words and compounds hyphenated across
                    lines
  ligatures         fi fl ff ffi ffl as U+FB01.. ligatures
  nbsp              no-break, en, thin and zero-width spaces in phrases
  quotes-dashes     straight<->curly quotes, en/em dashes, U+2010/U+2011
                    hyphens, dash and bullet-glyph list markers
  superscripts      footnote markers swapped between the U+00B9 style and
                    the pdftotext ^{4 5} style; markers added to a grade,
                    headings and numbers
  thousands         thin / narrow no-break spaces as thousands separators
  spaces-tables     table and contents columns separated by runs of spaces
                    instead of tabs
  all               all of the above combined (with CRLF line ends)
"""

import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures", "reports")
SEED = os.path.join(FIXTURES, "peel-effectiveness-2015-cambridgeshire.txt")
OUT = os.path.join(FIXTURES, "variants")

SUP = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
UNSUP = {v: k for k, v in zip("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")}
SUP_CHARS = "".join(UNSUP)


def crlf(text):
    return text.replace("\n", "\r\n")


def cr(text):
    return text.replace("\n", "\r")


def formfeed_headers(text, every=45):
    lines = text.split("\n")
    header = "PEEL: Police effectiveness 2015 \u2013 Cambridgeshire Constabulary"
    footer = "www.justiceinspectorates.gov.uk/hmic"
    out = []
    page = 1
    for i, line in enumerate(lines):
        if i > 0 and i % every == 0:
            page += 1
            if page % 2 == 0:
                out += ["", footer, str(page - 1), "\f" + header, ""]
            else:
                out += [footer, str(page - 1), "\f" + header]
        out.append(line)
    return "\n".join(out)


def _split_word(word, room, counter):
    """Split `word` so the left part plus '-' fits in `room`, or None."""
    # A compound: break after one of its hyphens.
    if re.fullmatch(r"[A-Za-z]+(-[A-Za-z]+)+[.,;:)]*", word):
        cut = -1
        for m in re.finditer("-", word):
            if m.end() <= room:
                cut = m.end()
        if cut > 0:
            return word[:cut], word[cut:]
    # A long plain word: hyphenate every other chance, leaving >= 4 / >= 3 letters.
    core = re.fullmatch(r"([A-Za-z]{10,})([.,;:)]*)", word)
    if core and room >= 6:
        counter[0] += 1
        if counter[0] % 2 == 1:
            letters = core.group(1)
            p = min(room - 1, len(letters) - 3)
            if p >= 4:
                return letters[:p] + "-", letters[p:] + core.group(2)
    return None


def wrap_prose(line, width, counter):
    # Keep "^{4 5 6}" markers in one piece.
    protected = re.sub(r"\^\{[^}]*\}", lambda m: m.group(0).replace(" ", "\x00"), line)
    words = protected.split(" ")
    out, cur = [], ""
    i = 0
    while i < len(words):
        w = words[i]
        cand = w if not cur else cur + " " + w
        if len(cand) <= width or not cur and len(w) > width:
            cur = cand
            i += 1
            continue
        # A lone dash never starts a line (it would read as a bullet).
        if w in ("-", "\u2013", "\u2014"):
            cur = cand
            i += 1
            continue
        room = width - len(cur) - 1
        split = _split_word(w, room, counter) if room > 0 else None
        if split:
            out.append(cur + " " + split[0])
            cur = ""
            words[i] = split[1]
            continue
        out.append(cur)
        cur = ""
    if cur:
        out.append(cur)
    return [x.replace("\x00", " ") for x in out]


def wrap_columns(line, width):
    # Table and contents rows: break at a tab or space, keeping the tabs.
    out = []
    while len(line) > width:
        cut = max(line.rfind("\t", 0, width), line.rfind(" ", 0, width))
        if cut <= 0:
            break
        out.append(line[:cut])
        line = line[cut + 1:]
    out.append(line)
    return out


def hardwrap(text, width=80):
    counter = [0]
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
        elif "\t" in line or "  " in line.strip():
            out += wrap_columns(line, width)
        else:
            out += wrap_prose(line, width, counter)
    return "\n".join(out)


def ligatures(text):
    for plain, lig in (("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02")):
        text = text.replace(plain, lig)
    return text


def nbsp(text):
    spaces = ["\u00a0", "\u2002", "\u2003", "\u00a0", "\u205f"]
    n = [0]

    def pick(_m=None):
        n[0] += 1
        return spaces[n[0] % len(spaces)]

    # A digit then a word: "30 June", "1,000 population", "12 months".
    text = re.sub(r"(?<=\d) (?=[A-Za-z])", lambda m: pick(), text)
    for phrase in ("England and Wales", "Overall judgment", "Requires improvement", "Summary of findings",
                   "Areas for improvement", "An inspection of", "Force in numbers", "organised crime groups"):
        text = text.replace(phrase, phrase.replace(" ", "\u00a0"))
    # Zero-width spaces inside a word, trailing no-break spaces, indented lines.
    text = text.replace("Constabulary", "Consta\u200bbulary")
    lines = text.split("\n")
    for i in range(0, len(lines), 7):
        if lines[i]:
            lines[i] = lines[i] + "\u00a0"
    for i in range(3, len(lines), 11):
        if lines[i] and not lines[i].startswith("-"):
            lines[i] = "\u2003" + lines[i]
    return "\n".join(lines)


def quotes_dashes(text):
    # Curly <-> straight single quotes.
    text = text.replace("\u2018", "\x01").replace("\u2019", "\x02")
    text = re.sub(r"(?<![A-Za-z0-9])'", "\u2018", text)
    text = text.replace("'", "\u2019")
    text = text.replace("\x01", "'").replace("\x02", "'")
    # Straight double quotes to curly pairs.
    n = [0]

    def dq(_m):
        n[0] += 1
        return "\u201c" if n[0] % 2 else "\u201d"

    text = re.sub('"', dq, text)
    # Spaced dashes: en -> em, spaced hyphen -> en.
    text = text.replace(" \u2013 ", " \u2014 ")
    text = text.replace(" - ", " \u2013 ")
    # Word hyphens: every third stays ASCII, others become U+2010 / U+2011.
    k = [0]

    def hy(_m):
        k[0] += 1
        return ["-", "\u2010", "\u2011"][k[0] % 3]

    text = re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", hy, text)
    # List markers: en dash or bullet glyph instead of "- ".
    lines = text.split("\n")
    b = 0
    for i, line in enumerate(lines):
        if line.startswith("- "):
            b += 1
            lines[i] = ("\u2013 " if b % 2 else "\u2022\t") + line[2:]
    return "\n".join(lines)


def superscripts(text):
    # pdftotext-style "^{4 5 6}" -> superscript digits.
    text = re.sub(r"\^\{([0-9 ]+)\}", lambda m: m.group(1).replace(" ", "").translate(SUP), text)
    # Every other run of superscript digits -> "^{..}" style.
    n = [0]

    def swap(m):
        n[0] += 1
        if n[0] % 2:
            return "^{" + "".join(UNSUP[c] for c in m.group(0)) + "}"
        return m.group(0)

    text = re.sub("[" + SUP_CHARS + "]+", swap, text)
    lines = text.split("\n")
    # Markers stuck to a grade, headings and numbers.
    extra = {74: "\u00b3", 388: "^{9}", 402: "\u00b9\u2070", 230: "\u00b9\u2074", 232: "^{15}"}
    for ln, mark in extra.items():
        if mark and lines[ln - 1].strip():
            lines[ln - 1] = lines[ln - 1] + mark
    lines[317] = lines[317].replace("23,737 incidents", "23,737\u2075 incidents")
    return "\n".join(lines)


def thousands(text):
    seps = ["\u2009", "\u202f"]
    n = [0]

    def sep(m):
        n[0] += 1
        return m.group(1) + seps[n[0] % 2] + m.group(2)

    return re.sub(r"(\d),(\d{3})(?!\d)", sep, text)


def spaces_tables(text):
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            line = "".join(c.ljust(max(len(c) + 2, 34 if i == 0 else 12)) for i, c in enumerate(cells[:-1])) + cells[-1]
        out.append(line)
    return "\n".join(out)


def all_of(text):
    for f in (superscripts, quotes_dashes, thousands, spaces_tables, hardwrap, formfeed_headers, ligatures, nbsp,
              crlf):
        text = f(text)
    return text


VARIANTS = {
    "crlf": crlf,
    "cr": cr,
    "formfeed-headers": formfeed_headers,
    "hardwrap-80": hardwrap,
    "ligatures": ligatures,
    "nbsp": nbsp,
    "quotes-dashes": quotes_dashes,
    "superscripts": superscripts,
    "thousands": thousands,
    "spaces-tables": spaces_tables,
    "all": all_of,
}


def main():
    with open(SEED, encoding="utf-8", newline="") as f:
        seed = f.read()
    os.makedirs(OUT, exist_ok=True)
    for name, fn in VARIANTS.items():
        path = os.path.join(OUT, name + ".txt")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(fn(seed))
        print("wrote", os.path.relpath(path, os.path.dirname(HERE)))


if __name__ == "__main__":
    main()
