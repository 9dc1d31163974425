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

    // HubSpot contacts: people, no company column: each person is the customer.
    let people = import(
        &books,
        "hubspot-crm-exports-all-contacts.csv",
        "Record ID,First Name,Last Name,Email,Phone Number,Country/Region\n\
         98765,Giulia,Rossi,giulia@rossi.example,+39 06 1234567,Italia\n",
        &[],
    );
    assert_eq!(people["imported"], 1, "{people}");
    assert_eq!(customer(&books, "Giulia Rossi")["country"], "IT");
    // Spanish, Italian and French lists.
    for (file, text, name) in [
        ("clientes.csv", "Empresa;Contacto;Correo electrónico;Dirección;Código postal;Ciudad;País;NIF\nTalleres Ruiz SL;Ana Ruiz;ana@ruiz.example;Calle Mayor 1;28013;Madrid;España;B12345674\n", "Talleres Ruiz"),
        ("clienti.csv", "Ragione sociale;Referente;Email;Indirizzo;CAP;Città;Provincia;Nazione;Partita IVA\nStudio Bianchi Srl;Luca Bianchi;luca@bianchi.example;Via Roma 1;00184;Roma;RM;Italia;IT00743110157\n", "Studio Bianchi"),
        ("clients.csv", "Raison sociale;Contact;E-mail;Adresse;Code postal;Ville;Pays;N° TVA intracommunautaire\nBoulangerie Martin SARL;Paul Martin;paul@martin.example;1 rue de la Paix;75002;Paris;France;FR40303265045\n", "Boulangerie Martin"),
    ] {
        let out = import(&books, file, text, &[]);
        assert_eq!(out["imported"], 1, "{file}: {out}");
        assert!(customer(&books, name)["vat_id"].as_str().unwrap().len() > 8, "{file}");
    }

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

fn write(books: &Books, name: &str, text: &str) -> String {
    let path = books.dir.path().join(name);
    std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn open_invoices_from_invoice_ninja_xero_and_quickbooks_are_owed_paid_and_reminded() {
    let books = books();
    let customers = write(
        &books,
        "customers.csv",
        "name,country,email\nBrauerei Hopfenglück GmbH,DE,a@hopfen.example\nHarbour Lights Ltd,GB,b@harbour.example\n\"Maple Dental, LLC\",US,c@maple.example\n",
    );
    books.ok(&["customers", "import", &customers]);

    // Invoice Ninja's invoice report (default columns, trimmed of the empty ones).
    let ninja = write(
        &books,
        "invoice.csv",
        "Client Name,Client Currency,Invoice Invoice Number,Invoice Amount,Invoice Balance,Invoice Paid to Date,Invoice PO Number,Invoice Date,Invoice Due Date,Invoice Status\n\
         Brauerei Hopfenglück GmbH,EUR,R-2025-0417,1190.00,690.00,500.00,,2025-10-01,2025-10-15,Partial\n\
         Brauerei Hopfenglück GmbH,EUR,R-2025-0416,595.00,0.00,595.00,,2025-09-01,2025-09-15,Paid\n",
    );
    let preview = books.json(&["invoices", "import-open", &ninja, "--dry-run"]);
    assert_eq!(preview["valid"], 1, "{preview}");
    assert_eq!(preview["paid_left_out"], 1);
    assert_eq!(preview["mapping"]["Invoice Invoice Number"], "number");
    assert_eq!(preview["mapping"]["Invoice Balance"], "open_amount");
    assert_eq!(
        books.json(&["invoices", "import-open", &ninja])["imported"],
        1
    );

    // Xero's sales invoices: one row per line, the invoice's columns repeated.
    let xero = write(
        &books,
        "SalesInvoices.csv",
        "ContactName,EmailAddress,InvoiceNumber,Reference,InvoiceDate,DueDate,Total,TaxTotal,InvoiceAmountPaid,InvoiceAmountDue,Description,Quantity,UnitAmount,LineAmount,Currency,Type,Status\n\
         Harbour Lights Ltd,b@harbour.example,INV-0042,,15/10/2025,14/11/2025,\"1,200.00\",200.00,0.00,\"1,200.00\",Managed services,10,50.00,500.00,GBP,Sales invoice,AUTHORISED\n\
         Harbour Lights Ltd,b@harbour.example,INV-0042,,15/10/2025,14/11/2025,\"1,200.00\",200.00,0.00,\"1,200.00\",Backup,10,50.00,500.00,GBP,Sales invoice,AUTHORISED\n",
    );
    let x = books.json(&["invoices", "import-open", &xero]);
    assert_eq!(
        (x["imported"].as_u64(), x["line_rows"].as_u64()),
        (Some(1), Some(1)),
        "{x}"
    );

    // QuickBooks Online's open invoices report: title lines, US dates, "Num".
    let qbo = write(
        &books,
        "Open Invoices.csv",
        "Acme IT GmbH\nOpen Invoices\n\"As of November 27, 2026\"\n\nDate,Transaction type,Num,Customer,Due Date,Amount,Open Balance\n\
         10/03/2025,Invoice,1001,\"Maple Dental, LLC\",11/02/2025,\"2,500.00\",\"2,500.00\"\n",
    );
    let q = books.json(&["invoices", "import-open", &qbo]);
    assert_eq!(q["imported"], 1, "{q}");

    let list = books.json(&["invoices", "list"]);
    let rows = list["invoices"].as_array().unwrap();
    let imported: Vec<&Value> = rows.iter().filter(|r| r["kind"] == "imported").collect();
    assert_eq!(imported.len(), 3, "{list}");
    let ninja_row = imported
        .iter()
        .find(|r| r["number"] == "R-2025-0417")
        .unwrap();
    assert_eq!(ninja_row["balance"], "690.00");
    assert_eq!(ninja_row["status"], "overdue");
    let qbo_row = imported.iter().find(|r| r["number"] == "1001").unwrap();
    assert_eq!(
        qbo_row["due_date"], "2025-11-02",
        "month first, as the file's dates say"
    );

    // Paid like any invoice; never printed or credited as a VarDesk invoice.
    let id = ninja_row["id"].to_string();
    books.json(&["invoices", "pay", &id, "690.00", "--method", "bank"]);
    let shown = books.json(&["invoices", "show", &id]);
    assert_eq!(shown["balance"], "0.00", "{shown}");
    let pdf = books.dir.path().join("r.pdf");
    let err = books.refused(&["invoices", "pdf", &id, "--out", pdf.to_str().unwrap()]);
    assert!(err.contains("imported from the previous system"), "{err}");
    let err = books.refused(&["invoices", "credit", &id, "--all"]);
    assert!(err.contains("imported from the previous system"), "{err}");

    // Again: refused as already there; and a number VarDesk's own series would give.
    let err = books.refused(&["invoices", "import-open", &xero]);
    assert!(err.contains("INV-0042 is already in VarDesk"), "{err}");
    let ours = write(
        &books,
        "ours.csv",
        "Number,Customer,Date,Total\nINV-2026-0007,Harbour Lights Ltd,2026-11-02,100.00\n",
    );
    let err = books.refused(&["invoices", "import-open", &ours]);
    assert!(err.contains("continue the series at 8 first"), "{err}");
    books.ok(&["settings", "set", "next_invoice_number", "8"]);
    assert_eq!(
        books.json(&["invoices", "import-open", &ours])["imported"],
        1
    );

    let check = books.json(&["check"]);
    assert_eq!(check["ok"], true, "{check}");
}

#[test]
fn running_subscriptions_bill_first_the_month_the_old_tool_has_not() {
    let books = books();
    let customers = write(
        &books,
        "client.csv",
        "Name,Country,Email\nBrauerei Hopfenglück GmbH,Germany,a@hopfen.example\n",
    );
    books.ok(&["customers", "import", &customers]);
    // Invoice Ninja's recurring invoices report, and the month the old tool bills next.
    let ninja = write(
        &books,
        "recurring_invoice.csv",
        "Client Name,Client Currency,Recurring Invoice Invoice Number,Recurring Invoice Amount,Recurring Invoice Date,Recurring Invoice How Often,Recurring Invoice Next Send Date,Recurring Invoice Status\n\
         Brauerei Hopfenglück GmbH,EUR,Managed services (REC-7),480.00,2025-03-01,Monthly,2030-01-01,Active\n\
         Brauerei Hopfenglück GmbH,EUR,Fax line (REC-8),9.00,2025-03-01,Quarterly,2030-01-01,Active\n",
    );
    let err = books.refused(&["subscriptions", "import", &ninja, "--dry-run"]);
    assert!(err.contains("\"Quarterly\" billing"), "{err}");
    let dry = books.run(&["subscriptions", "import", &ninja, "--dry-run", "--json"]);
    let preview: Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(
        preview["mapping"]["Recurring Invoice Next Send Date"],
        "next_month"
    );
    assert_eq!(
        preview["first_months"][0],
        "Brauerei Hopfenglück GmbH — Managed services (REC-7): first billed 2030-01"
    );
    // Without the quarterly line.
    let monthly = write(
        &books,
        "recurring_monthly.csv",
        "Client Name,Client Currency,Recurring Invoice Invoice Number,Recurring Invoice Amount,Recurring Invoice Date,Recurring Invoice How Often,Recurring Invoice Next Send Date\n\
         Brauerei Hopfenglück GmbH,EUR,Managed services (REC-7),480.00,2025-03-01,Monthly,2030-01-01\n",
    );
    assert_eq!(
        books.json(&["subscriptions", "import", &monthly])["imported"],
        1
    );
    // December 2029 was billed by the old tool; January 2030 is VarDesk's first.
    let december = books.json(&["billing", "run", "2029-12"]);
    assert_eq!(december["invoices_created"], 0, "{december}");
    let january = books.json(&["billing", "run", "2030-01"]);
    assert_eq!(january["invoices_created"], 1, "{january}");
    assert_eq!(january["totals"]["EUR"], "480.00");
    assert_eq!(books.json(&["check"])["ok"], true);
}
