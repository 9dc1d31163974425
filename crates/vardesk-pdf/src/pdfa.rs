//! PDF/A-3b with an embedded e-invoice: the Factur-X / ZUGFeRD hybrid (§9). The printed
//! invoice gets an sRGB OutputIntent, XMP metadata declaring PDF/A-3 and the Factur-X
//! extension schema, and `factur-x.xml` attached as its `/AF` alternative representation.
//! Everything is derived from the document, so the same invoice gives the same bytes.

use chrono::NaiveDate;
use lopdf::{dictionary, Document, Object, Stream, StringFormat};

/// The XML to embed and what it is.
pub struct FacturX<'a> {
    pub xml: &'a [u8],
    /// The Factur-X conformance level: `EN 16931`.
    pub conformance: &'a str,
    /// The document's date: the PDF's creation and modification date.
    pub date: NaiveDate,
}

const FILE_NAME: &str = "factur-x.xml";

/// Turns a finished printpdf document into a PDF/A-3b Factur-X invoice.
pub(crate) fn make_facturx(lo: &mut Document, title: &str, fx: &FacturX<'_>) {
    lo.version = "1.7".into();
    let pdf_date = fx.date.format("D:%Y%m%d000000+00'00'").to_string();
    let iso_date = fx.date.format("%Y-%m-%dT00:00:00+00:00").to_string();

    // The Info dictionary and the XMP must say the same (ISO 19005-3, 6.6.3).
    if let Ok(info) = lo.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(dict) = lo.get_dictionary_mut(info) {
            for key in ["CreationDate", "ModDate"] {
                dict.set(
                    key,
                    Object::String(pdf_date.clone().into_bytes(), StringFormat::Literal),
                );
            }
            // Empty entries would each need an XMP twin; leaving them out is simpler.
            for key in ["Author", "Identifier", "Keywords", "Subject", "Trapped"] {
                dict.remove(key.as_bytes());
            }
        }
    }

    let mut icc = Stream::new(dictionary! { "N" => 3 }, srgb_profile());
    crate::layout::deflate(&mut icc);
    let icc = lo.add_object(icc);
    let intent = lo.add_object(dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFA1",
        "OutputConditionIdentifier" => Object::string_literal("sRGB IEC61966-2.1"),
        "Info" => Object::string_literal("sRGB IEC61966-2.1"),
        "DestOutputProfile" => icc,
    });

    let mut file = Stream::new(
        dictionary! {
            "Type" => "EmbeddedFile",
            "Subtype" => Object::Name(b"text/xml".to_vec()),
            "Params" => dictionary! {
                "Size" => fx.xml.len() as i64,
                "ModDate" => Object::String(pdf_date.clone().into_bytes(), StringFormat::Literal),
            },
        },
        fx.xml.to_vec(),
    );
    crate::layout::deflate(&mut file);
    let file = lo.add_object(file);
    let spec = lo.add_object(dictionary! {
        "Type" => "Filespec",
        "F" => Object::string_literal(FILE_NAME),
        "UF" => Object::string_literal(FILE_NAME),
        "Desc" => Object::string_literal("Factur-X invoice"),
        "AFRelationship" => "Alternative",
        "EF" => dictionary! { "F" => file, "UF" => file },
    });

    let mut xmp = Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp(title, &iso_date, fx.conformance).into_bytes(),
    );
    // Metadata stays uncompressed so any tool can read it (ISO 19005-3, 6.6.2.1 allows
    // either; veraPDF and the Factur-X tools read both).
    xmp.allows_compression = false;
    let xmp = lo.add_object(xmp);

    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Metadata", xmp);
        catalog.set("OutputIntents", vec![Object::Reference(intent)]);
        catalog.set("AF", vec![Object::Reference(spec)]);
        catalog.set(
            "Names",
            dictionary! {
                "EmbeddedFiles" => dictionary! {
                    "Names" => vec![Object::string_literal(FILE_NAME), Object::Reference(spec)],
                },
            },
        );
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// XMP: PDF/A-3B identification, the Dublin Core title, dates and producer as in the Info
/// dictionary, and the Factur-X fields with their extension schema description.
fn xmp(title: &str, date: &str, conformance: &str) -> String {
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>3</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>VarDesk</rdf:li></rdf:Seq></dc:creator>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>VarDesk</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>VarDesk</pdf:Producer>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
<fx:DocumentType>INVOICE</fx:DocumentType>
<fx:DocumentFileName>{FILE_NAME}</fx:DocumentFileName>
<fx:Version>1.0</fx:Version>
<fx:ConformanceLevel>{conformance}</fx:ConformanceLevel>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>fx</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentFileName</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The name of the embedded XML document</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentType</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The type of the hybrid document in capital letters, e.g. INVOICE or ORDER</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>Version</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The actual version of the standard applying to the embedded XML document</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>ConformanceLevel</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The conformance level of the embedded XML document</pdfaProperty:description></rdf:li>
</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        title = escape(title),
        bom = '\u{feff}',
    )
}

/// A small ICC v2 display profile for sRGB (IEC 61966-2.1): D50-adapted primaries and a
/// 2.2 tone curve, built here rather than shipped as a file of unclear licence.
pub fn srgb_profile() -> Vec<u8> {
    fn s15(v: f64) -> [u8; 4] {
        ((v * 65536.0).round() as i32).to_be_bytes()
    }
    fn xyz(x: f64, y: f64, z: f64) -> Vec<u8> {
        let mut t = b"XYZ \0\0\0\0".to_vec();
        for v in [x, y, z] {
            t.extend(s15(v));
        }
        t
    }
    let mut desc = b"desc\0\0\0\0".to_vec();
    let name = b"sRGB IEC61966-2.1\0";
    desc.extend((name.len() as u32).to_be_bytes());
    desc.extend(name);
    desc.extend([0u8; 8]); // no Unicode description
    desc.extend([0u8; 3]); // no ScriptCode description
    desc.extend([0u8; 67]);
    let mut cprt = b"text\0\0\0\0".to_vec();
    cprt.extend(b"No copyright, use freely\0");
    let mut curve = b"curv\0\0\0\0".to_vec();
    curve.extend(1u32.to_be_bytes());
    curve.extend(0x0233u16.to_be_bytes()); // gamma 2.2 as u8Fixed8 (2 + 51/256)
    let tags: [(&[u8; 4], Vec<u8>); 9] = [
        (b"desc", desc),
        (b"cprt", cprt),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve.clone()),
        (b"gTRC", curve.clone()),
        (b"bTRC", curve),
    ];
    let table_len = 4 + 12 * tags.len();
    let mut data = Vec::new();
    let mut table = (tags.len() as u32).to_be_bytes().to_vec();
    for (signature, bytes) in &tags {
        let offset = 128 + table_len + data.len();
        table.extend(*signature);
        table.extend((offset as u32).to_be_bytes());
        table.extend((bytes.len() as u32).to_be_bytes());
        data.extend(bytes);
        while data.len() % 4 != 0 {
            data.push(0);
        }
    }
    let size = 128 + table.len() + data.len();
    let mut header = Vec::with_capacity(128);
    header.extend((size as u32).to_be_bytes());
    header.extend([0u8; 4]); // preferred CMM
    header.extend([2, 0x10, 0, 0]); // version 2.1
    header.extend(b"mntrRGB XYZ ");
    header.extend([0x07, 0xd0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]); // 2000-01-01 00:00:00
    header.extend(b"acsp");
    header.extend([0u8; 24]); // platform, flags, manufacturer, model, attributes
    header.extend([0u8; 4]); // perceptual intent
    for v in [0.9642, 1.0, 0.8249] {
        header.extend(s15(v));
    }
    header.extend([0u8; 4]); // creator
    header.resize(128, 0);
    [header, table, data].concat()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_profile_is_a_well_formed_icc_header_and_tag_table() {
        let p = super::srgb_profile();
        assert_eq!(
            u32::from_be_bytes(p[0..4].try_into().unwrap()) as usize,
            p.len()
        );
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        assert_eq!(&p[36..40], b"acsp");
        assert_eq!(u32::from_be_bytes(p[128..132].try_into().unwrap()), 9);
        assert_eq!(p.len() % 4, 0);
    }
}
