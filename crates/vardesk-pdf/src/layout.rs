//! The one layout module every VarDesk document is built on: A4 or Letter pages, the
//! embedded DejaVu Sans fonts (subset), text that is measured, aligned and wrapped, rules
//! and bands, tables that break across pages with their header repeated, and a footer
//! with "Page X of Y". Coordinates are millimetres from the top-left corner.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use printpdf::{
    Color, FontId, ImageCompression, ImageOptimizationOptions, Line, LinePoint, Mm, Op, PaintMode,
    ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon,
    PolygonRing, Pt, RawImage, Rect, Rgb, TextItem, WindingOrder, XObject, XObjectId,
    XObjectTransform,
};

const REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

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
/// instead of 700. Unknown characters print as the font's empty box, never as an error.
fn subset(bytes: &[u8], full: &ParsedFont, chars: &BTreeSet<char>, name: &str) -> ParsedFont {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};
    let mut glyphs: Vec<u16> = chars
        .iter()
        .filter_map(|c| full.lookup_glyph_index(*c as u32))
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
    let mut face = subsetted.unwrap_or_else(|| full.clone());
    face.font_name = Some(name.to_string());
    face
}

/// The two faces, parsed once per process (for measuring; documents embed subsets).
static FACES: LazyLock<(ParsedFont, ParsedFont)> = LazyLock::new(|| {
    let parse = |b: &[u8]| ParsedFont::from_bytes(b, 0, &mut Vec::new());
    match (parse(REGULAR_TTF), parse(BOLD_TTF)) {
        (Some(regular), Some(bold)) => (regular, bold),
        _ => unreachable!("the embedded DejaVu fonts parse"),
    }
});

/// Parses the fonts now, so the first document does not pay for it.
pub fn warm_up() {
    LazyLock::force(&FACES);
}

fn face(style: Style) -> &'static ParsedFont {
    match style {
        Style::Regular => &FACES.0,
        Style::Bold => &FACES.1,
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
    let face = face(style);
    let units: u32 = text
        .chars()
        .map(|c| {
            let glyph = face.lookup_glyph_index(c as u32).unwrap_or(0);
            u32::from(face.get_glyph_width(glyph).unwrap_or(0))
        })
        .sum();
    let points = units as f32 * size / f32::from(face.units_per_em);
    points * 25.4 / 72.0
}

/// Breaks `text` into lines no wider than `width` mm (at spaces; long words are cut).
pub fn wrap(text: &str, width: f32, size: f32, style: Style) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width_mm(&candidate, size, style) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the column is cut where it no longer fits.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if width_mm(&piece, size, style) > width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
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
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font_id(style)),
                size: Pt(size),
            },
            Op::SetFillColor { col: color(rgb) },
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

    /// Many filled rectangles (x, y, w, h in mm from the top-left) as one path and one fill:
    /// a QR code's modules.
    pub fn rectangles(&mut self, rects: &[(f32, f32, f32, f32)], rgb: (u8, u8, u8)) {
        let rings = rects
            .iter()
            .map(|&(x, y, w, h)| PolygonRing {
                points: self.path(&[(x, y), (x + w, y), (x + w, y + h), (x, y + h)]),
            })
            .collect();
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetFillColor { col: color(rgb) },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings,
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
            Op::RestoreGraphicsState,
        ]);
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
            (Style::Regular, REGULAR_TTF, "AAAAAA+DejaVuSans"),
            (Style::Bold, BOLD_TTF, "AAAAAB+DejaVuSans-Bold"),
        ];
        for (style, bytes, name) in fonts {
            // "AAAAAA+" marks a subset font (ISO 32000-1, 9.6.4).
            let cut = subset(bytes, face(style), &self.used[style as usize], name);
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
    if options.optimize {
        lo.compress();
    }
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = lo.save_to(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_promised_character_has_a_glyph_in_the_subset() {
        let text = "Müller & Söhne GmbH Łódź Ærø Zoë Ångström-Łukasiewicz O'Brien €1.234,50 – “ő”";
        let chars: BTreeSet<char> = text.chars().collect();
        for (bytes, full) in [(REGULAR_TTF, &FACES.0), (BOLD_TTF, &FACES.1)] {
            let cut = subset(bytes, full, &chars, "X");
            for c in text.chars() {
                assert!(
                    cut.lookup_glyph_index(c as u32).is_some_and(|g| g != 0),
                    "{c}"
                );
            }
        }
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
}
