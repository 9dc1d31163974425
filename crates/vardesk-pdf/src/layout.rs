//! The one layout module every VarDesk document is built on: A4 or Letter pages, the
//! embedded DejaVu Sans fonts (subset), text that is measured, aligned and wrapped, rules
//! and bands, tables that break across pages with their header repeated, and a footer
//! with "Page X of Y". Coordinates are millimetres from the top-left corner.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use printpdf::{
    Color, CurTransMat, FontId, ImageCompression, ImageOptimizationOptions, Line, LinePoint, Mm,
    Op, PaintMode, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point,
    Polygon, PolygonRing, Pt, RawImage, Rect, Rgb, TextItem, WindingOrder, XObject, XObjectId,
    XObjectTransform,
};

const REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
const REGULAR_LATIN_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Latin.ttf");
const BOLD_LATIN_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold-Latin.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

pub const BLACK: (u8, u8, u8) = (28, 36, 48);
pub const GREY: (u8, u8, u8) = (95, 107, 122);
pub const ACCENT: (u8, u8, u8) = (31, 95, 191);
pub const BAND: (u8, u8, u8) = (231, 239, 251);
pub const RULE: (u8, u8, u8) = (210, 216, 224);

fn color((r, g, b): (u8, u8, u8)) -> Color {
    Color::Rgb(Rgb::new(
        f32::from(r) / 255.0,
        f32::from(g) / 255.0,
        f32::from(b) / 255.0,
        None,
    ))
}

/// A TrueType font cut down to the characters a document uses: a few KB in the PDF
/// instead of 500. Unknown characters print as the font's empty box, never as an error.
fn subset(style: Style, chars: &BTreeSet<char>, name: &str) -> ParsedFont {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};
    let cut = cut_for(style, chars);
    let (bytes, metrics) = (style.ttf(cut), metrics(style, cut));
    let mut glyphs: Vec<u16> = chars
        .iter()
        .map(|c| metrics.glyph(*c))
        .filter(|g| *g != 0)
        .collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    glyphs.insert(0, 0); // .notdef first
    let subsetted = ReadScope::new(bytes)
        .read::<FontData<'_>>()
        .ok()
        .and_then(|data| data.table_provider(0).ok())
        .and_then(|provider| {
            subset(&provider, &glyphs, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()
        })
        .and_then(|bytes| ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()));
    // Subsetting our own fonts does not fail; the whole font is the safe fallback.
    let mut face = subsetted
        .or_else(|| ParsedFont::from_bytes(bytes, 0, &mut Vec::new()))
        .unwrap_or_else(|| unreachable!("the embedded DejaVu fonts parse"));
    face.font_name = Some(name.to_string());
    face
}

/// Which cut of a face: the Latin one (830 glyphs: Latin letters, punctuation, currency
/// and a few symbols) or the whole face (3,667 glyphs, also Greek, Cyrillic, Georgian…).
/// Both draw and measure a character alike; a document embeds the Latin cut when it holds
/// every character the document uses, because subsetting a quarter of the glyphs takes a
/// quarter of the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    Latin,
    Whole,
}

/// The Latin cut when it holds every one of `chars`, else the whole face.
fn cut_for(style: Style, chars: &BTreeSet<char>) -> Cut {
    let latin = metrics(style, Cut::Latin);
    if chars.iter().all(|c| latin.glyph(*c) != 0) {
        Cut::Latin
    } else {
        Cut::Whole
    }
}

impl Style {
    fn ttf(self, cut: Cut) -> &'static [u8] {
        match (self, cut) {
            (Style::Regular, Cut::Latin) => REGULAR_LATIN_TTF,
            (Style::Bold, Cut::Latin) => BOLD_LATIN_TTF,
            (Style::Regular, Cut::Whole) => REGULAR_TTF,
            (Style::Bold, Cut::Whole) => BOLD_TTF,
        }
    }
}

/// What measuring text needs of a face: character → glyph and glyph → advance. Read
/// straight from the font's cmap and hmtx tables, which takes a fraction of what parsing
/// the whole face does (that was a sixth of a `vardesk invoices pdf` process).
struct Metrics {
    /// (character, glyph), sorted by character.
    glyphs: Vec<(u32, u16)>,
    advances: Vec<u16>,
    units_per_em: u16,
}

impl Metrics {
    fn read(bytes: &[u8]) -> Option<Metrics> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::tables::cmap::Cmap;
        use allsorts::tables::{FontTableProvider, HeadTable, HheaTable, HmtxTable, MaxpTable};
        use allsorts::tag;
        let data = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
        let provider = data.table_provider(0).ok()?;
        let table = |t: u32| provider.read_table_data(t).ok();
        let head = table(tag::HEAD)?;
        let head = ReadScope::new(&head).read::<HeadTable>().ok()?;
        let maxp = table(tag::MAXP)?;
        let maxp = ReadScope::new(&maxp).read::<MaxpTable>().ok()?;
        let hhea = table(tag::HHEA)?;
        let hhea = ReadScope::new(&hhea).read::<HheaTable>().ok()?;
        let hmtx = table(tag::HMTX)?;
        let hmtx = ReadScope::new(&hmtx)
            .read_dep::<HmtxTable<'_>>((
                usize::from(maxp.num_glyphs),
                usize::from(hhea.num_h_metrics),
            ))
            .ok()?;
        let advances = (0..maxp.num_glyphs)
            .map(|g| hmtx.horizontal_advance(g).unwrap_or(0))
            .collect();
        let cmap = table(tag::CMAP)?;
        let cmap = ReadScope::new(&cmap).read::<Cmap<'_>>().ok()?;
        let (_, subtable) = allsorts::font::read_cmap_subtable(&cmap).ok()??;
        let mut glyphs = Vec::new();
        subtable.mappings_fn(|c, g| glyphs.push((c, g))).ok()?;
        glyphs.sort_unstable();
        Some(Metrics {
            glyphs,
            advances,
            units_per_em: head.units_per_em,
        })
    }

    /// The glyph of `c`, 0 (.notdef) when the font has none.
    fn glyph(&self, c: char) -> u16 {
        self.glyphs
            .binary_search_by_key(&(c as u32), |(c, _)| *c)
            .map_or(0, |i| self.glyphs[i].1)
    }

    fn advance(&self, c: char) -> u32 {
        self.glyph_advance(self.glyph(c))
    }

    fn glyph_advance(&self, glyph: u16) -> u32 {
        u32::from(self.advances.get(usize::from(glyph)).copied().unwrap_or(0))
    }
}

fn read_metrics(style: Style, cut: Cut) -> Metrics {
    Metrics::read(style.ttf(cut)).unwrap_or_else(|| unreachable!("the embedded DejaVu fonts parse"))
}

/// The faces' metrics, each read once per process when first needed (the whole faces'
/// only for a document with a character outside the Latin cuts).
static LATIN_METRICS: LazyLock<[Metrics; 2]> = LazyLock::new(|| {
    [
        read_metrics(Style::Regular, Cut::Latin),
        read_metrics(Style::Bold, Cut::Latin),
    ]
});
static WHOLE_METRICS: LazyLock<[Metrics; 2]> = LazyLock::new(|| {
    [
        read_metrics(Style::Regular, Cut::Whole),
        read_metrics(Style::Bold, Cut::Whole),
    ]
});

/// Reads the fonts' metrics now, so the first document does not pay for it.
pub fn warm_up() {
    LazyLock::force(&LATIN_METRICS);
    LazyLock::force(&WHOLE_METRICS);
}

fn metrics(style: Style, cut: Cut) -> &'static Metrics {
    match cut {
        Cut::Latin => &LATIN_METRICS[style as usize],
        Cut::Whole => &WHOLE_METRICS[style as usize],
    }
}

fn font_id(style: Style) -> FontId {
    // Fixed resource names: the same document gives the same bytes.
    FontId(match style {
        Style::Regular => "F1".into(),
        Style::Bold => "F2".into(),
    })
}

/// Width of `text` in mm at `size` points (printpdf neither kerns nor shapes, so this is
/// exactly what is drawn).
pub fn width_mm(text: &str, size: f32, style: Style) -> f32 {
    units_to_mm(
        text.chars().map(|c| char_units(c, style)).sum(),
        size,
        style,
    )
}

/// A character's advance in font units (the same in both cuts).
fn char_units(c: char, style: Style) -> u32 {
    match metrics(style, Cut::Latin).glyph(c) {
        0 => metrics(style, Cut::Whole).advance(c),
        glyph => metrics(style, Cut::Latin).glyph_advance(glyph),
    }
}

fn units_to_mm(units: u32, size: f32, style: Style) -> f32 {
    let points = units as f32 * size / f32::from(metrics(style, Cut::Latin).units_per_em);
    points * 25.4 / 72.0
}

/// Breaks `text` into lines no wider than `width` mm (at spaces; long words are cut).
/// Advances add up (no kerning), so each character is measured once.
pub fn wrap(text: &str, width: f32, size: f32, style: Style) -> Vec<String> {
    let fits = |units: u32| units_to_mm(units, size, style) <= width;
    let space = char_units(' ', style);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let (mut line, mut line_units) = (String::new(), 0_u32);
        for word in paragraph.split(' ') {
            let word_units: u32 = word.chars().map(|c| char_units(c, style)).sum();
            let joined = if line.is_empty() {
                word_units
            } else {
                line_units + space + word_units
            };
            if fits(joined) {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_units = joined;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the column is cut where it no longer fits.
            let (mut piece, mut piece_units) = (String::new(), 0_u32);
            for c in word.chars() {
                let c_units = char_units(c, style);
                if !piece.is_empty() && !fits(piece_units + c_units) {
                    lines.push(std::mem::take(&mut piece));
                    piece_units = 0;
                }
                piece.push(c);
                piece_units += c_units;
            }
            line = piece;
            line_units = piece_units;
        }
        lines.push(line);
    }
    lines
}

/// One table column: its header, width in mm and alignment.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub width: f32,
    pub align: Align,
}

/// Pages under construction.
pub struct Layout {
    paper: (f32, f32),
    pub left: f32,
    pub right: f32,
    top: f32,
    bottom: f32,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// Characters printed, per style: the embedded fonts are cut down to these.
    used: [BTreeSet<char>; 2],
    images: Vec<(XObjectId, RawImage)>,
    /// The font, size and colour the current page's text was last set in: the next text in
    /// the same sets neither again (both outlive a text object in PDF, and every other
    /// drawing restores the graphics state it changes). A fifth of the operators of a long
    /// quote, each turned into PDF syntax one by one.
    text_state: Option<(Style, u32, (u8, u8, u8))>,
    /// The next free line (mm from the top of the current page).
    pub y: f32,
}

impl Layout {
    pub fn new(paper: Paper) -> Layout {
        let (w, h) = paper.size_mm();
        Layout {
            paper: (w, h),
            left: 18.0,
            right: w - 18.0,
            top: 16.0,
            bottom: h - 22.0,
            pages: Vec::new(),
            ops: Vec::new(),
            text_state: None,
            used: [BTreeSet::new(), BTreeSet::new()],
            images: Vec::new(),
            y: 16.0,
        }
    }

    pub fn width(&self) -> f32 {
        self.right - self.left
    }

    fn point(&self, x: f32, y: f32) -> Point {
        Point::new(Mm(x), Mm(self.paper.1 - y))
    }

    /// Text with its baseline at `y`; `x` is the left edge, or the right edge when right-aligned.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        style: Style,
        rgb: (u8, u8, u8),
        align: Align,
        s: &str,
    ) {
        let x = match align {
            Align::Left => x,
            Align::Right => x - width_mm(s, size, style),
        };
        let pos = self.point(x, y);
        self.used[style as usize].extend(s.chars());
        self.ops.push(Op::StartTextSection);
        let (was, now) = (self.text_state, (style, size.to_bits(), rgb));
        if was.is_none_or(|(st, sz, _)| (st, sz) != (now.0, now.1)) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id(style)),
                size: Pt(size),
            });
        }
        if was.is_none_or(|(_, _, c)| c != rgb) {
            self.ops.push(Op::SetFillColor { col: color(rgb) });
        }
        self.text_state = Some(now);
        self.ops.extend([
            Op::SetTextCursor { pos },
            Op::ShowText {
                items: vec![TextItem::Text(s.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, rgb: (u8, u8, u8)) {
        let corner = self.point(x, y + h);
        let mut rect = Rect::from_xywh(corner.x, corner.y, Mm(w).into(), Mm(h).into());
        rect.mode = Some(PaintMode::Fill);
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetFillColor { col: color(rgb) },
            Op::DrawRectangle { rectangle: rect },
            Op::RestoreGraphicsState,
        ]);
    }

    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness_pt: f32, rgb: (u8, u8, u8)) {
        self.polyline(&[(x1, y), (x2, y)], thickness_pt, rgb);
    }

    /// Points in mm from the top-left as PDF path points.
    fn path(&self, points: &[(f32, f32)]) -> Vec<LinePoint> {
        points
            .iter()
            .map(|&(x, y)| LinePoint {
                p: self.point(x, y),
                bezier: false,
            })
            .collect()
    }

    /// A line through `points` (mm from the top-left), for charts.
    pub fn polyline(&mut self, points: &[(f32, f32)], thickness_pt: f32, rgb: (u8, u8, u8)) {
        if points.len() < 2 {
            return;
        }
        let line = Line {
            points: self.path(points),
            is_closed: false,
        };
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetOutlineColor { col: color(rgb) },
            Op::SetOutlineThickness {
                pt: Pt(thickness_pt),
            },
            Op::DrawLine { line },
            Op::RestoreGraphicsState,
        ]);
    }

    /// A filled shape through `points` (mm from the top-left), for chart areas.
    pub fn polygon(&mut self, points: &[(f32, f32)], rgb: (u8, u8, u8)) {
        if points.len() < 3 {
            return;
        }
        let ring = PolygonRing {
            points: self.path(points),
        };
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetFillColor { col: color(rgb) },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![ring],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
            Op::RestoreGraphicsState,
        ]);
    }

    /// Fills rectangles of whole cells of a grid whose top-left corner is at (x, y) and
    /// whose cells are `cell` mm square: (column, row, columns wide, rows tall). Drawn in
    /// cell units under a transformation, so the page holds small integers rather than
    /// thousands of long coordinates (a QR code is hundreds of rectangles).
    pub fn grid_cells(
        &mut self,
        (x, y): (f32, f32),
        cell: f32,
        cells: &[(u16, u16, u16, u16)],
        rgb: (u8, u8, u8),
    ) {
        let corner = self.point(x, y);
        let pt = Mm(cell).into_pt().0;
        // A hair taller than its cells, so rows touch with no seam on screen.
        let overlap = 0.02;
        self.ops.reserve(cells.len() + 4);
        self.ops.extend([
            Op::SaveGraphicsState,
            // Cell units, y growing down the page from the grid's top-left corner.
            Op::SetTransformationMatrix {
                matrix: CurTransMat::Raw([pt, 0.0, 0.0, -pt, corner.x.0, corner.y.0]),
            },
            Op::SetFillColor { col: color(rgb) },
        ]);
        self.ops
            .extend(cells.iter().map(|&(col, row, w, h)| Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(f32::from(col)),
                    y: Pt(f32::from(row)),
                    width: Pt(f32::from(w)),
                    height: Pt(f32::from(h) + overlap),
                    mode: Some(PaintMode::Fill),
                    winding_order: Some(WindingOrder::NonZero),
                },
            }));
        self.ops.push(Op::RestoreGraphicsState);
    }

    /// Places a PNG or JPEG with its top-left corner at (x, y), scaled to fit `max_w` ×
    /// `max_h` mm. Returns the height used, or `None` when the bytes are not an image.
    pub fn image(&mut self, bytes: &[u8], x: f32, y: f32, max_w: f32, max_h: f32) -> Option<f32> {
        let image = RawImage::decode_from_bytes(bytes, &mut Vec::new()).ok()?;
        let (px_w, px_h) = (image.width as f32, image.height as f32);
        if px_w < 1.0 || px_h < 1.0 {
            return None;
        }
        let scale = (max_w / px_w).min(max_h / px_h);
        let (w, h) = (px_w * scale, px_h * scale);
        let id = XObjectId(format!("Im{}", self.images.len() + 1));
        self.images.push((id.clone(), image));
        let corner = self.point(x, y + h);
        self.ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(corner.x),
                translate_y: Some(corner.y),
                // printpdf sizes an image as pixels / dpi inches.
                dpi: Some(px_w * 25.4 / w),
                ..Default::default()
            },
        });
        Some(h)
    }

    pub fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.ops));
        self.text_state = None;
        self.y = self.top;
    }

    /// Starts a new page unless `height` mm still fit; true when it did.
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > self.bottom {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// A paragraph wrapped to the content width.
    pub fn paragraph(&mut self, text: &str, size: f32, style: Style, rgb: (u8, u8, u8)) {
        let line_h = size * 0.5;
        for line in wrap(text, self.width(), size, style) {
            self.ensure(line_h);
            self.y += line_h;
            let (x, y) = (self.left, self.y);
            self.text(x, y, size, style, rgb, Align::Left, &line);
        }
    }

    fn table_header(&mut self, columns: &[Column]) {
        let h = 7.0;
        let (left, width, y) = (self.left, self.width(), self.y);
        self.fill(left, y, width, h, BAND);
        let mut x = self.left;
        for c in columns {
            let tx = match c.align {
                Align::Left => x + 1.5,
                Align::Right => x + c.width - 1.5,
            };
            self.text(tx, y + 4.8, 8.0, Style::Bold, BLACK, c.align, &c.title);
            x += c.width;
        }
        self.y += h;
    }

    /// A table whose rows wrap their cells; the header repeats on every page it spans.
    /// `bold_rows` marks rows printed in bold (none for plain line tables).
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let size = 8.5;
        let line_h = 4.2;
        self.ensure(7.0 + line_h + 3.0);
        self.table_header(columns);
        for row in rows {
            let cells: Vec<Vec<String>> = columns
                .iter()
                .zip(row)
                .map(|(c, text)| wrap(text, c.width - 3.0, size, Style::Regular))
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * line_h + 2.4;
            if self.ensure(height) {
                self.table_header(columns);
            }
            let mut x = self.left;
            for (c, lines) in columns.iter().zip(&cells) {
                for (i, line) in lines.iter().enumerate() {
                    let y = self.y + 1.0 + line_h * (i as f32 + 1.0) - 0.8;
                    let tx = match c.align {
                        Align::Left => x + 1.5,
                        Align::Right => x + c.width - 1.5,
                    };
                    self.text(tx, y, size, Style::Regular, BLACK, c.align, line);
                }
                x += c.width;
            }
            self.y += height;
            let (left, right, y) = (self.left, self.right, self.y);
            self.rule(left, right, y, 0.3, RULE);
        }
    }

    /// Finishes the pages (footer with `page_of`, "Page {page} of {pages}", on each) and
    /// writes the PDF. The same content gives the same bytes: fixed resource names, dates
    /// and file id.
    pub fn finish(self, title: &str, footer: &str, page_of: &str, stable_id: &str) -> Vec<u8> {
        self.finish_with(title, footer, page_of, stable_id, None)
    }

    /// Like [`Layout::finish`], as a PDF/A-3b with the e-invoice attached (Factur-X).
    pub fn finish_facturx(
        self,
        title: &str,
        footer: &str,
        page_of: &str,
        stable_id: &str,
        facturx: &crate::pdfa::FacturX<'_>,
    ) -> Vec<u8> {
        self.finish_with(title, footer, page_of, stable_id, Some(facturx))
    }

    fn finish_with(
        mut self,
        title: &str,
        footer: &str,
        page_of: &str,
        stable_id: &str,
        facturx: Option<&crate::pdfa::FacturX<'_>>,
    ) -> Vec<u8> {
        self.pages.push(std::mem::take(&mut self.ops));
        let count = self.pages.len();
        let (w, h) = self.paper;
        let pages: Vec<Vec<Op>> = std::mem::take(&mut self.pages);
        let mut pdf_pages = Vec::with_capacity(count);
        for (i, ops) in pages.into_iter().enumerate() {
            self.ops = ops;
            // What the page's text was last set in is not known here: set it again.
            self.text_state = None;
            let (left, right) = (self.left, self.right);
            self.rule(left, right, h - 19.5, 0.4, RULE);
            // The footer's own lines (company, bank, tax ids), each wrapped, at most four.
            // The first line leaves room for the page label at its right; the others use
            // the whole width.
            let mut lines: Vec<String> = Vec::new();
            for part in footer.split('\n') {
                let room = if lines.is_empty() {
                    self.width() - 24.0
                } else {
                    self.width()
                };
                lines.extend(wrap(part, room, 7.0, Style::Regular));
            }
            lines.truncate(4);
            for (n, line) in lines.iter().enumerate() {
                self.text(
                    left,
                    h - 16.0 + n as f32 * 3.1,
                    7.0,
                    Style::Regular,
                    GREY,
                    Align::Left,
                    line,
                );
            }
            let page_label = page_of
                .replace("{page}", &(i + 1).to_string())
                .replace("{pages}", &count.to_string());
            self.text(
                right,
                h - 16.0,
                7.5,
                Style::Regular,
                GREY,
                Align::Right,
                &page_label,
            );
            pdf_pages.push(PdfPage::new(Mm(w), Mm(h), std::mem::take(&mut self.ops)));
        }
        let mut doc = PdfDocument::new(title);
        doc.metadata.info.creator = "VarDesk".into();
        doc.metadata.info.producer = "VarDesk".into();
        let fonts = [
            (Style::Regular, "AAAAAA+DejaVuSans"),
            (Style::Bold, "AAAAAB+DejaVuSans-Bold"),
        ];
        for (style, name) in fonts {
            // "AAAAAA+" marks a subset font (ISO 32000-1, 9.6.4).
            let cut = subset(style, &self.used[style as usize], name);
            doc.resources
                .fonts
                .map
                .insert(font_id(style), PdfFont::new(cut));
        }
        for (id, image) in std::mem::take(&mut self.images) {
            doc.resources.xobjects.map.insert(id, XObject::Image(image));
        }
        doc.with_pages(pdf_pages);
        save_deterministic(&doc, stable_id, facturx.map(|fx| (title, fx)))
    }
}

/// `PdfDocument::save` with a stable file id (printpdf numbers ids from a process-wide
/// counter) and without the empty PDF/X marker it writes by default.
fn save_deterministic(
    doc: &PdfDocument,
    stable_id: &str,
    facturx: Option<(&str, &crate::pdfa::FacturX<'_>)>,
) -> Vec<u8> {
    let options = PdfSaveOptions {
        // Logos stay lossless and at their size (the default re-encodes as JPEG and shrinks).
        image_optimization: Some(ImageOptimizationOptions {
            format: Some(ImageCompression::Flate),
            max_image_size: None,
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut lo = doc.to_lopdf_document(&options, &mut Vec::new());
    if let Ok(ids) = lo.trailer.get_mut(b"ID").and_then(|o| o.as_array_mut()) {
        for id in ids.iter_mut() {
            if let Ok(bytes) = id.as_str_mut() {
                *bytes = stable_id.as_bytes().to_vec();
            }
        }
    }
    if let Ok(info) = lo.trailer.get(b"Info").and_then(|o| o.as_reference()) {
        if let Ok(dict) = lo.get_object_mut(info).and_then(|o| o.as_dict_mut()) {
            dict.remove(b"GTS_PDFXVersion");
        }
    }
    if let Some((title, fx)) = facturx {
        crate::pdfa::make_facturx(&mut lo, title, fx);
    }
    for object in lo.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            if stream.allows_compression {
                deflate(stream);
            }
        }
    }
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = lo.save_to(&mut out);
    out
}

/// Compresses a stream (unless it already has a filter) at a fast level: level 9, lopdf's
/// choice, took a third of a whole `vardesk invoices pdf` process for files a few per cent
/// smaller.
pub(crate) fn deflate(stream: &mut lopdf::Stream) {
    use std::io::Write;
    if stream.dict.get(b"Filter").is_ok() {
        return;
    }
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(stream.content.len() / 2),
        flate2::Compression::new(DEFLATE_LEVEL),
    );
    // Writing to memory cannot fail.
    let _ = encoder.write_all(&stream.content);
    if let Ok(compressed) = encoder.finish() {
        if compressed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

const DEFLATE_LEVEL: u32 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    /// The subset of `text`'s characters, checked: every character has a glyph drawn as
    /// wide as it was measured.
    fn checked_subset(style: Style, text: &str) -> ParsedFont {
        let chars: BTreeSet<char> = text.chars().collect();
        let cut = subset(style, &chars, "X");
        for c in text.chars() {
            let glyph = cut.lookup_glyph_index(c as u32).unwrap_or(0);
            assert!(glyph != 0, "{c}");
            assert_eq!(
                u32::from(cut.get_glyph_width(glyph).unwrap_or(0)),
                char_units(c, style),
                "{c}"
            );
        }
        cut
    }

    #[test]
    fn every_promised_character_has_a_glyph_in_the_subset() {
        let latin =
            "Müller & Söhne GmbH Łódź Ærø Zoë Ångström-Łukasiewicz O'Brien €1.234,50 – “ő” \
                     Ștefan Čapek № 5 → −3";
        // One Greek or Cyrillic letter and the whole face is subset instead.
        let other = format!("{latin} Σοφία Жуков");
        for style in [Style::Regular, Style::Bold] {
            checked_subset(style, latin);
            checked_subset(style, &other);
            assert_eq!(cut_for(style, &latin.chars().collect()), Cut::Latin);
            assert_eq!(cut_for(style, &other.chars().collect()), Cut::Whole);
        }
    }

    #[test]
    fn metrics_agree_with_each_face_for_every_character() {
        for style in [Style::Regular, Style::Bold] {
            for (cut, at_least) in [(Cut::Latin, 750), (Cut::Whole, 3500)] {
                let face = ParsedFont::from_bytes(style.ttf(cut), 0, &mut Vec::new()).unwrap();
                let ours = metrics(style, cut);
                assert!(ours.glyphs.len() > at_least, "{cut:?}");
                assert_eq!(ours.units_per_em, face.units_per_em);
                for &(c, glyph) in &ours.glyphs {
                    let c = char::from_u32(c).unwrap();
                    assert_eq!(face.lookup_glyph_index(c as u32), Some(glyph), "{c}");
                    let width = u32::from(face.get_glyph_width(glyph).unwrap_or(0));
                    assert_eq!(ours.advance(c), width, "{c}");
                }
                // Characters the font lacks measure as its .notdef box.
                assert_eq!(ours.glyph('\u{10FFFD}'), 0);
            }
        }
    }

    #[test]
    fn the_latin_cut_measures_every_character_as_the_whole_face_does() {
        for style in [Style::Regular, Style::Bold] {
            let (latin, whole) = (metrics(style, Cut::Latin), metrics(style, Cut::Whole));
            assert_eq!(latin.units_per_em, whole.units_per_em);
            for &(c, _) in &latin.glyphs {
                let c = char::from_u32(c).unwrap();
                assert_eq!(latin.advance(c), whole.advance(c), "{c}");
            }
            // What documents print: every EU language in Latin letters, and the symbols.
            for c in "ÄÖÜßÆØÅÉÈÊËÍÓÚÑÇĄĆĘŁŃŚŹŻČĎĚŇŘŠŤŮŽŐŰĞİŞȘȚĀĒĪŌŪÐÞ€£¥–—‘’‚“”„…•№™→−≤≥×÷".chars()
            {
                assert_ne!(latin.glyph(c), 0, "{c}");
                assert_ne!(latin.glyph(c.to_lowercase().next().unwrap()), 0, "{c}");
            }
        }
    }

    #[test]
    fn text_sets_its_font_and_colour_only_when_they_change_on_the_page() {
        let mut l = Layout::new(Paper::A4);
        let names = |ops: &[Op]| -> String {
            ops.iter()
                .map(|op| match op {
                    Op::SetFont { .. } => "Tf ",
                    Op::SetFillColor { .. } => "rg ",
                    Op::ShowText { .. } => "Tj ",
                    Op::SaveGraphicsState => "q ",
                    Op::RestoreGraphicsState => "Q ",
                    _ => "",
                })
                .collect()
        };
        let text = |l: &mut Layout, style, size, rgb| {
            l.text(10.0, 10.0, size, style, rgb, Align::Left, "x")
        };
        text(&mut l, Style::Regular, 9.0, BLACK);
        text(&mut l, Style::Regular, 9.0, BLACK);
        // A fill restores the state it changed: the next text in black sets nothing again.
        l.fill(0.0, 0.0, 5.0, 5.0, BAND);
        text(&mut l, Style::Regular, 9.0, BLACK);
        text(&mut l, Style::Regular, 9.0, GREY);
        text(&mut l, Style::Bold, 9.0, GREY);
        text(&mut l, Style::Bold, 10.0, GREY);
        assert_eq!(names(&l.ops), "Tf rg Tj Tj q rg Q Tj rg Tj Tf Tj Tf Tj ");
        // A new page starts without a font or colour.
        l.new_page();
        text(&mut l, Style::Bold, 10.0, GREY);
        assert_eq!(names(&l.ops), "Tf rg Tj ");
    }

    #[test]
    fn wrapping_respects_the_width() {
        let lines = wrap(
            "Mailbox migration of the remaining shared mailboxes and archives",
            30.0,
            9.0,
            Style::Regular,
        );
        assert!(lines.len() > 1);
        assert!(lines
            .iter()
            .all(|l| width_mm(l, 9.0, Style::Regular) <= 30.0));
        let long = wrap(
            "Ångström-Łukasiewicz-Müller-Söhne-Ærø-Zoë",
            15.0,
            9.0,
            Style::Regular,
        );
        assert!(
            long.len() > 1
                && long
                    .iter()
                    .all(|l| width_mm(l, 9.0, Style::Regular) <= 15.0)
        );
    }

    #[test]
    fn wrapping_is_greedy_and_loses_no_word() {
        let text = "Migration of 60 Exchange 2016 mailboxes, 180 GB archives and 25 GB public \
                    folders for Zoë Ångström-Łukasiewicz AB — a  double space";
        for width in [8.0, 20.0, 33.3, 61.0, 500.0] {
            let lines = wrap(text, width, 8.5, Style::Bold);
            // Nothing lost: the lines give back the words in order.
            let words = |s: &str| s.split(' ').filter(|w| !w.is_empty()).collect::<String>();
            assert_eq!(words(&lines.join(" ")), words(text), "{width}");
            for pair in lines.windows(2) {
                let Some(next) = pair[1].split(' ').next() else {
                    continue;
                };
                let fits = width_mm(&format!("{} {next}", pair[0]), 8.5, Style::Bold) <= width;
                let cut_word = width_mm(next, 8.5, Style::Bold) > width;
                // A line ends only where the next word would not fit (or is itself cut).
                assert!(
                    !fits || cut_word || pair[1].is_empty() || pair[0].is_empty(),
                    "{width}: {pair:?}"
                );
            }
        }
    }
}
