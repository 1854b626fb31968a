"""Build the fonts shipped in assets/fonts/ from Debian's font packages, subset to what the game needs.

Run after ``apt-get install fonts-ebgaramond fonts-courier-prime fonts-noto-cjk`` and
``pip install fonttools``::

    .venv/bin/python tools/subset_fonts.py
    .venv/bin/python tools/subset_fonts.py --lining   # only make the shipped Garamonds' digits lining

* EB Garamond (regular, italic): the body and display face, kept to Latin, Greek, Cyrillic and
  punctuation, with lining figures as the default digits (pygame cannot switch OpenType features
  on, and the old-style figures made '+0' read '+o' and '1.' read 'I.').
* Courier Prime (regular, bold): the typewriter face of telegrams and labels.
* Noto Serif CJK TC (regular): only the characters that the scenarios, the test fixtures and the UI
  use and that the two Latin faces lack (every CJK character, plus a few symbols), so the file
  stays small. Re-run this script whenever a scenario gains a new character: the UI tests check
  that no glyph is missing.

All three are under the SIL Open Font License 1.1; the licence texts are written beside the fonts.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "fonts"
GARAMOND = Path("/usr/share/fonts/opentype/ebgaramond")
COURIER = Path("/usr/share/fonts/opentype/courier-prime")
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
NOTO_TC_INDEX = 3  # JP, KR, SC, TC, HK: the traditional characters of 1945 (條約, 蘇)

LATIN_RANGES = [(0x20, 0x5FF), (0x1E00, 0x1EFF), (0x2000, 0x22FF), (0x2500, 0x25FF), (0xFB00, 0xFB06)]
EXTRA_TEXT = "中蘇友好同盟條約 條約 莫斯科 一九四五年 ●○◆◇■□▲▼←→↑↓✓★☆·—–…"

LICENCES = {
    "OFL-EBGaramond.txt": Path("/usr/share/doc/fonts-ebgaramond/copyright"),
    "OFL-CourierPrime.txt": Path("/usr/share/doc/fonts-courier-prime/copyright"),
    "OFL-NotoSerifCJK.txt": Path("/usr/share/doc/fonts-noto-cjk/copyright"),
}


def text_chars() -> set[str]:
    """Every character in the scenarios, fixtures and UI sources, plus the title and the seal."""
    chars = set(EXTRA_TEXT)
    globs = ["scenarios/*.yaml", "tests/**/*.yaml", "src/negotiation/ui/**/*.py", "assets/**/*.json"]
    for pattern in globs:
        for path in ROOT.glob(pattern):
            chars |= set(path.read_text(encoding="utf-8"))
    return {c for c in chars if ord(c) >= 0x20}


def subset_font(font: TTFont, unicodes: set[int], out: Path) -> None:
    """Write ``font`` kept to ``unicodes`` (layout features kept, hinting dropped)."""
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.desubroutinize = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted(unicodes))
    sub.subset(font)
    font.save(str(out))
    print(f"{out.relative_to(ROOT)}: {len(font.getBestCmap())} glyphs, {out.stat().st_size // 1024} KB")


def lining_figures(font: TTFont) -> int:
    """Point the digits of ``font``'s character maps at its lining figures (the ``lnum`` feature); return how many."""
    lnum: dict[str, str] = {}
    gsub = font["GSUB"].table
    for rec in gsub.FeatureList.FeatureRecord:
        if rec.FeatureTag != "lnum":
            continue
        for index in rec.Feature.LookupListIndex:
            for table in gsub.LookupList.Lookup[index].SubTable:
                table = getattr(table, "ExtSubTable", table)
                lnum.update(getattr(table, "mapping", None) or {})
    changed = 0
    for cmap in font["cmap"].tables:
        if not cmap.isUnicode():
            continue
        for code in range(ord("0"), ord("9") + 1):
            glyph = cmap.cmap.get(code)
            if glyph in lnum:
                cmap.cmap[code] = lnum[glyph]
                changed += 1
    return changed


def cmap_of(path: Path) -> set[int]:
    return set(TTFont(str(path)).getBestCmap())


def make_lining(path: Path) -> None:
    """Rewrite a shipped font with lining figures as its default digits."""
    font = TTFont(str(path))
    n = lining_figures(font)
    font.save(str(path))
    print(f"{path.relative_to(ROOT)}: {n} digit mappings now lining")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    garamonds = [OUT / f"{name}.otf" for name in ("EBGaramond12-Regular", "EBGaramond12-Italic")]
    if "--lining" in sys.argv[1:]:
        for path in garamonds:
            make_lining(path)
        return 0
    latin = {u for lo, hi in LATIN_RANGES for u in range(lo, hi + 1)}
    for path in garamonds:
        subset_font(TTFont(str(GARAMOND / path.name)), latin, path)
        make_lining(path)
    for src, dest in (("Courier Prime.otf", "CourierPrime-Regular.otf"), ("Courier Prime Bold.otf",
                                                                           "CourierPrime-Bold.otf")):
        subset_font(TTFont(str(COURIER / src)), latin, OUT / dest)
    covered = cmap_of(OUT / "EBGaramond12-Regular.otf") & cmap_of(OUT / "EBGaramond12-Italic.otf") \
        & cmap_of(OUT / "CourierPrime-Regular.otf")
    wanted = {ord(c) for c in text_chars()} - covered
    wanted |= {ord(c) for c in EXTRA_TEXT}
    cjk = TTCollection(str(NOTO)).fonts[NOTO_TC_INDEX]
    have = set(cjk.getBestCmap())
    missing = sorted(chr(u) for u in wanted - have if u > 0x20)
    if missing:
        print("no font has: " + " ".join(f"{c} U+{ord(c):04X}" for c in missing), file=sys.stderr)
    subset_font(cjk, wanted & have, OUT / "NotoSerifTC-Subset.otf")
    for dest, src in LICENCES.items():
        text = src.read_text(encoding="utf-8")
        m = re.search(r"SIL OPEN FONT LICENSE Version 1\.1.*", text, re.S)
        body = m.group(0) if m else text
        lines = [ln[1:] if ln.startswith(" ") else ln for ln in body.splitlines()]
        lines = ["" if ln.strip() == "." else ln for ln in lines]
        header = f"Licence of the font(s) built from Debian package {src.parent.name} (copyright file follows)\n\n"
        (OUT / dest).write_text(header + _copyright_lines(text) + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return 0


def _copyright_lines(text: str) -> str:
    return "\n".join(ln for ln in text.splitlines() if ln.startswith("Copyright:") or ln.startswith("Source:"))


if __name__ == "__main__":
    sys.exit(main())
