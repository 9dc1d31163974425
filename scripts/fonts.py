"""Prepares the two DejaVu Sans faces VarDesk embeds in its PDFs (run once; the results are
committed in crates/vardesk-pdf/fonts/, this records how they were made).

  python3 -m venv /tmp/ftv && /tmp/ftv/bin/pip install fonttools==4.*
  /tmp/ftv/bin/python scripts/fonts.py DejaVuSans.ttf DejaVuSans-Bold.ttf   # DejaVu 2.37

Each face is also written as a Latin cut (`DejaVuSans-Latin.ttf`…: 830 of its 3,667 glyphs,
the outlines and widths unchanged): a document whose characters all fall in it embeds a
subset of that cut, which takes a quarter of the time of subsetting the whole face.

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

# The Latin cut: Latin-1 and Latin Extended-A/B (every EU language written in Latin
# letters), punctuation, currency symbols, letterlike symbols and the few arrows, operators
# and shapes documents use.
LATIN = [
    (0x0020, 0x007E),
    (0x00A0, 0x024F),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x215F),
    (0x2190, 0x2199),
    (0x2212, 0x2215),
    (0x2219, 0x221A),
    (0x221E, 0x221E),
    (0x2248, 0x2248),
    (0x2260, 0x2260),
    (0x2264, 0x2265),
    (0x25A0, 0x25A1),
    (0x25AA, 0x25AB),
    (0x25CB, 0x25CB),
    (0x25CF, 0x25CF),
    (0x25E6, 0x25E6),
    (0xFFFD, 0xFFFD),
]


def cut(source, target, ranges, options):
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for first, last in ranges for u in range(first, last + 1)])
    subsetter.subset(font)
    font.save(target)


for source in sys.argv[1:]:
    options = subset.Options()
    options.glyph_names = False
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "MATH", "kern", "FFTM", "LTSH", "VDMX", "hdmx"]
    options.name_IDs = sorted(KEEP_NAMES)
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.recalc_bounds = False
    cut(source, source, UNICODES, options)
    cut(source, source.replace(".ttf", "-Latin.ttf"), LATIN, options)
