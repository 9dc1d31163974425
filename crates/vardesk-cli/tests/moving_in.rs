//! Moving in from the previous tool (DOMAIN.md §11, CLI.md "Moving in"): other tools'
//! exports, as they write them, imported without editing.

mod common;
use common::Books;
use serde_json::Value;

fn books() -> Books {
    let books = Books::empty();
    books.ok(&["init", "--company", "Acme IT GmbH", "--country", "DE"]);
    books.ok(&["settings", "set", "vat_id", "DE136695976"]);
    books.ok(&["settings", "set", "iban", "DE89 3704 0044 0532 0130 00"]);
    books
}

/// Writes `text` (with Windows line ends, as these tools write them) and imports it.
fn import(books: &Books, name: &str, text: &str, extra: &[&str]) -> Value {
    let path = books.dir.path().join(name);
    std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    let mut args = vec!["customers", "import", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    books.json(&args)
}

fn customer(books: &Books, name: &str) -> Value {
    let list = books.json(&["customers", "list", "--search", name]);
    list["customers"][0].clone()
}

#[test]
fn invoice_ninja_xero_quickbooks_invoiceshelf_hubspot_and_a_german_list_import_as_written() {
    let books = books();
    // Invoice Ninja v5, Reports › Clients with its default columns.
    let ninja = import(
        &books,
        "client.csv",
        "Name,Number,Client User,Client Assigned User,Balance,Paid to Date,Client Currency,Website,Private Notes,Industry,Client Size,Client Phone,Street,Apt/Suite,City,State/Province,Postal Code,Country,Shipping Street,Shipping Apt/Suite,Shipping City,Shipping State/Province,Shipping Postal Code,Shipping Country,Client Payment Terms,VAT Number,ID Number,Public Notes,Contact Phone,First Name,Last Name,Email\n\
         Brauerei Hopfenglück GmbH,0001,,,1190.00,0.00,EUR,https://hopfen.example,Key account,,,+49 89 1234,Leopoldstraße 12,2. OG,München,Bayern,80802,Germany,,,,,,,Net 30,DE129273398,,,,Anna,Huber,anna@hopfen.example\n",
        &[],
    );
    assert_eq!(ninja["imported"], 1, "{ninja}");
    assert_eq!(ninja["mapping"]["Name"], "name");
    assert_eq!(ninja["mapping"]["Apt/Suite"], "address_line2");
    assert!(ninja["mapping"]["Balance"].is_null());
    let c = customer(&books, "Hopfenglück");
    assert_eq!(c["country"], "DE");
    assert_eq!(c["contact_name"], "Anna Huber");
    assert_eq!(c["vat_id"], "DE129273398");
    assert_eq!(c["payment_terms_days"], 30);

    // Xero contacts: ContactName is the organisation, first and last name its person.
    let xero = import(
        &books,
        "Contacts.csv",
        "*ContactName,AccountNumber,EmailAddress,FirstName,LastName,POAttentionTo,POAddressLine1,POAddressLine2,POAddressLine3,POAddressLine4,POCity,PORegion,POPostalCode,POCountry,SAAttentionTo,SAAddressLine1,SAAddressLine2,SAAddressLine3,SAAddressLine4,SACity,SARegion,SAPostalCode,SACountry,PhoneNumber,FaxNumber,MobileNumber,TaxNumber\n\
         Harbour Lights Ltd,HL01,accounts@harbour.example,Ewan,McLeod,,1 Quay Street,,,,Glasgow,,G1 4AB,United Kingdom,,,,,,,,,,0141 555 0100,,,GB123456789\n",
        &[],
    );
    assert_eq!(xero["imported"], 1, "{xero}");
    assert_eq!(xero["mapping"]["*ContactName"], "name");
    let c = customer(&books, "Harbour Lights");
    assert_eq!(
        (c["country"].as_str(), c["city"].as_str()),
        (Some("GB"), Some("Glasgow"))
    );
    assert_eq!(c["contact_name"], "Ewan McLeod");

    // QuickBooks Online's customer contact list: title lines, then the header.
    let qbo = import(
        &books,
        "Customer Contact List.csv",
        "Acme IT GmbH\nCustomer Contact List\n\nCustomer full name,Email,Full name,Bill address,Phone\n\
         \"Maple Dental, LLC\",office@maple.example,Dr. Jane Roe,\"12 Elm St, Springfield\",555-0100\n",
        &[],
    );
    assert_eq!(qbo["imported"], 1, "{qbo}");
    let c = customer(&books, "Maple Dental");
    assert_eq!(c["contact_name"], "Dr. Jane Roe");

    // InvoiceShelf's customer export (snake_case, UTF-8 with BOM).
    let shelf = import(
        &books,
        "customers-2026-11-27.csv",
        "\u{feff}id,name,contact_name,company_name,email,phone,website,currency,billing_street_1,billing_street_2,billing_city,billing_zip,billing_country\n\
         7,Fjord Consulting AS,Kari Nordmann,Fjord Consulting AS,post@fjord.example,+47 22 00 00 00,,NOK,Karl Johans gate 1,,Oslo,0154,Norway\n",
        &[],
    );
    assert_eq!(shelf["imported"], 1, "{shelf}");
    let c = customer(&books, "Fjord");
    assert_eq!(
        (c["country"].as_str(), c["currency"].as_str()),
        (Some("NO"), Some("NOK"))
    );

    // HubSpot companies.
    let hubspot = import(
        &books,
        "hubspot-crm-exports-all-companies.csv",
        "Record ID,Company name,Company Domain Name,Street Address,City,Postal Code,Country/Region,Phone Number\n\
         1234567,Lumière Architectes,lumiere.example,12 rue de Rivoli,Paris,75001,France,+33 1 23 45 67 89\n",
        &[],
    );
    assert_eq!(hubspot["imported"], 1, "{hubspot}");
    assert_eq!(customer(&books, "Lumière")["country"], "FR");

    // A German Excel list: semicolons, Windows-1252, German headers and country names.
    let german = "Firma;Ansprechpartner;E-Mail;Straße;PLZ;Ort;Land;USt-IdNr.\r\n\
                  Bäckerei Groß KG;Jörg Groß;info@gross.example;Hauptstraße 5;1010;Wien;Österreich;ATU13585627\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(german);
    let path = books.dir.path().join("Kunden.csv");
    std::fs::write(&path, &bytes).unwrap();
    let de = books.json(&["customers", "import", path.to_str().unwrap()]);
    assert_eq!(de["imported"], 1, "{de}");
    let c = customer(&books, "Bäckerei");
    assert_eq!(c["country"], "AT");
    assert_eq!(c["vat_id"], "ATU13585627");
    assert_eq!(c["contact_name"], "Jörg Groß");
}

#[test]
fn a_mapping_is_chosen_by_hand_refused_when_hostile_and_saved_by_name() {
    let books = books();
    let path = books.dir.path().join("old-erp.csv");
    std::fs::write(
        &path,
        "Kürzel,Bezeichnung,Zusatz,Stadt\r\nK1,Contoso Ltd,Stammkunde,Leeds\r\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    // Nothing names the customer: the required field is named.
    let err = books.refused(&["customers", "import", file, "--dry-run"]);
    assert!(
        err.contains("No column is mapped to \"Customer name\""),
        "{err}"
    );
    // Two columns on one field.
    let err = books.refused(&[
        "customers",
        "import",
        file,
        "--map",
        "Bezeichnung=name",
        "--map",
        "Kürzel=name",
    ]);
    assert!(err.contains("both mapped to"), "{err}");
    // By hand, saved by name, and offered again for the same header line.
    let preview = books.json(&[
        "customers",
        "import",
        file,
        "--map",
        "Bezeichnung=name",
        "--map",
        "Zusatz=notes",
        "--save-mapping",
        "Altes ERP",
    ]);
    assert_eq!(preview["imported"], 1, "{preview}");
    assert_eq!(preview["ignored_columns"][0], "Kürzel");
    let again = books.dir.path().join("old-erp-2.csv");
    std::fs::write(
        &again,
        "Kürzel,Bezeichnung,Zusatz,Stadt\r\nK2,Fabrikam Inc,Neukunde,York\r\n",
    )
    .unwrap();
    let dry = books.json(&["customers", "import", again.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry["mapping_name"], "Altes ERP", "{dry}");
    assert_eq!(dry["mapping"]["Bezeichnung"], "name");
    assert_eq!(dry["valid"], 1);
    let named = books.json(&[
        "customers",
        "import",
        again.to_str().unwrap(),
        "--mapping",
        "Altes ERP",
    ]);
    assert_eq!(named["imported"], 1);
    assert_eq!(customer(&books, "Fabrikam")["notes"], "Neukunde");
    let err = books.refused(&["customers", "import", file, "--mapping", "Xero"]);
    assert!(err.contains("no saved mapping named \"Xero\""), "{err}");
}

#[test]
fn the_invoice_series_continues_where_the_previous_system_stopped() {
    let books = books();
    let err = books.refused(&["settings", "set", "next_invoice_number", "zero"]);
    assert!(err.contains("whole number"), "{err}");
    let out = books.ok(&["settings", "set", "next_invoice_number", "418"]);
    assert!(out.contains("0418"), "{out}");
    let customer = books.customer(&[
        "--name",
        "Contoso GmbH",
        "--country",
        "DE",
        "--postal-code",
        "10115",
        "--city",
        "Berlin",
        "--email",
        "ap@contoso.example",
    ]);
    books.subscribe(
        &customer,
        "Microsoft 365 E3",
        "3",
        "33.70",
        "19",
        "2026-11-01",
    );
    books.json(&["billing", "run", "2026-11", "--issue"]);
    let numbers: Vec<String> = books.json(&["invoices", "list"])["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["number"].as_str().map(str::to_string))
        .collect();
    assert_eq!(numbers.len(), 1);
    assert!(numbers[0].ends_with("-0418"), "{numbers:?}");
    // Only upwards, past what is taken.
    let err = books.refused(&["settings", "set", "next_invoice_number", "400"]);
    assert!(err.contains("419 or more"), "{err}");
    // `check` explains the jump instead of reporting a gap.
    let check = books.json(&["check"]);
    assert_eq!(check["ok"], true, "{check}");
    assert!(
        check["explained"]
            .to_string()
            .contains("continued from the previous system at 418"),
        "{check}"
    );
}
