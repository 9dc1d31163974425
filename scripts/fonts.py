"""Prepares the two DejaVu Sans faces VarDesk embeds in its PDFs (run once; the results are
committed in crates/vardesk-pdf/fonts/, this records how they were made).

  python3 -m venv /tmp/ftv && /tmp/ftv/bin/pip install fonttools==4.*
  /tmp/ftv/bin/python scripts/fonts.py DejaVuSans.ttf DejaVuSans-Bold.ttf   # DejaVu 2.37

Kept: the characters of the scripts below, with the originals' outlines and widths.
Removed: the other scripts, the hinting (the PDF is
printed or scaled, viewers hint on their own), the layout tables printpdf never reads
(GSUB, GPOS, MATH, kern: it neither shapes nor kerns) and the glyph names; the name table keeps
the family, style, version, copyright and the licence URL (the licence itself ships beside
the fonts in LICENSE-DejaVu.txt). The reason is speed and size: every PDF embeds a subset
of these faces, and before this half of each subset was the long name table, and reading the
faces was a tenth of a whole `vardesk invoices pdf` process."""

import sys
from fontTools.ttLib import TTFont
from fontTools import subset

KEEP_NAMES = {0, 1, 2, 3, 4, 5, 6, 14}

# The scripts and symbols documents of European partners use. Left out: right-to-left and
# other complex scripts (Hebrew, Arabic, N'Ko, Lao, Tifinagh, Canadian syllabics), which
# printpdf would print unshaped and in the wrong direction anyway, Braille, mathematical
# alphanumerics, game pieces and the private use area.
UNICODES = [
    (0x0000, 0x058F),  # Latin, IPA, combining marks, Greek, Cyrillic, Armenian
    (0x10A0, 0x10FF),  # Georgian
    (0x1D00, 0x1FFF),  # phonetic extensions, Latin extended additional, Greek extended
    (0x2000, 0x27BF),  # punctuation, currency, letterlike, arrows, maths, shapes, dingbats
    (0x2C60, 0x2C7F),  # Latin extended C
    (0x2E00, 0x2E7F),  # supplemental punctuation
    (0xA640, 0xA69F),  # Cyrillic extended B
    (0xA720, 0xA7FF),  # Latin extended D
    (0xFB00, 0xFB4F),  # ligatures
    (0xFFF0, 0xFFFF),  # specials (the replacement character)
]

for source in sys.argv[1:]:
    font = TTFont(source)
    options = subset.Options()
    options.glyph_names = False
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH", "kern", "FFTM", "LTSH", "VDMX", "hdmx"]
    options.name_IDs = sorted(KEEP_NAMES)
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.recalc_bounds = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(
        unicodes=[u for first, last in UNICODES for u in range(first, last + 1)]
    )
    subsetter.subset(font)
    font.save(source)
