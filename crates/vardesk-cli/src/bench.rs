//! `vardesk bench`: performance figures on generated data in a temporary database.
//! Figures are printed, never asserted: goals are in the issue, not in tests.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use vardesk_core::settings::SettingsForm;
use vardesk_core::CoreError;
use vardesk_store::customers::CustomerQuery;
use vardesk_store::Store;

/// How many rows the customer list asks for at a time (the UI's page size).
pub const LIST_LIMIT: u32 = 200;

const WORDS: [&str; 16] = [
    "Müller",
    "Łódź",
    "Nordlicht",
    "Contoso",
    "Fabrikam",
    "Ærø",
    "O'Brien",
    "Zürcher",
    "Adatum",
    "Tailspin",
    "Göteborg",
    "Brasserie",
    "Highland",
    "Kowalski",
    "Reykjavík",
    "Alpine",
];
const FORMS: [&str; 6] = ["GmbH", "Ltd", "AB", "Sp. z o.o.", "SARL", "Inc."];
const CITIES: [&str; 8] = [
    "Berlin", "Kraków", "Cork", "Zürich", "Utrecht", "Seattle", "Lyon", "Århus",
];

/// A customer CSV with `rows` distinct, realistic rows.
pub fn customer_csv(rows: usize) -> Vec<u8> {
    let mut out =
        String::from("\u{feff}name;contact_name;email;city;country;mailboxes;mailbox_gb;notes\r\n");
    for i in 0..rows {
        let word = WORDS[i % WORDS.len()];
        let form = FORMS[(i / WORDS.len()) % FORMS.len()];
        let city = CITIES[i % CITIES.len()];
        out.push_str(&format!(
            "\"{word} {form} {i}\";Contact {i};info{i}@example{}.com;{city};DE;{};{}.5;\"note {i}\"\r\n",
            i % 97,
            i % 300,
            i % 1000
        ));
    }
    out.into_bytes()
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

pub fn run(quick: bool, as_json: bool) -> Result<(), CoreError> {
    let customers = if quick { 2_000 } else { 10_000 };
    let dir = tempfile::tempdir()
        .map_err(|e| CoreError::validation("bench", format!("No temporary folder: {e}.")))?;
    let mut store = Store::open_or_create(&dir.path().join("bench.sqlite3"))?;
    // A complete company: what every issued invoice must carry (§9).
    store.save_settings(&SettingsForm {
        company_name: "Bench".into(),
        ..vardesk_store::sample::sample_company()
    })?;

    let csv = customer_csv(customers);
    let started = Instant::now();
    let outcome = store.import_customers(&csv)?;
    let import_time = started.elapsed();

    let queries = [
        "müller",
        "lodz",
        "gmbh 12",
        "info4711@",
        "zürich",
        "no-such-customer",
        "a",
        "",
    ];
    let rounds = if quick { 10 } else { 40 };
    let mut per_query = Vec::new();
    let mut all = Vec::new();
    for q in queries {
        let query = CustomerQuery {
            search: q.into(),
            limit: LIST_LIMIT,
            ..Default::default()
        };
        let mut times = Vec::with_capacity(rounds);
        let mut total = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            total = store.list_customers(&query)?.total;
            times.push(t.elapsed());
        }
        times.sort();
        all.extend(times.iter().copied());
        per_query.push(json!({
            "query": q, "matches": total,
            "median_ms": millis(percentile(&times, 0.5)),
            "p95_ms": millis(percentile(&times, 0.95)),
        }));
    }
    all.sort();
    let quotes = quote_figures(&mut store, if quick { 50 } else { 300 })?;
    let annuity = annuity_figures(&mut store, quick)?;
    let reconciliation = reconcile_figures(&mut store, dir.path(), quick)?;
    let backup = backup_figures(&store, dir.path())?;
    let process = process_figures(dir.path(), if quick { 30 } else { 100 })?;
    let report = json!({
        "process": process,
        "quotes": quotes,
        "annuity": annuity,
        "reconciliation": reconciliation,
        "backup": backup,
        "customer_import": {
            "rows": outcome.imported,
            "seconds": (import_time.as_secs_f64() * 1000.0).round() / 1000.0,
            "goal_seconds": 2,
        },
        "customer_search": {
            "customers": customers,
            "page_size": LIST_LIMIT,
            "median_ms": millis(percentile(&all, 0.5)),
            "p95_ms": millis(percentile(&all, 0.95)),
            "max_ms": millis(*all.last().unwrap_or(&Duration::ZERO)),
            "goal_ms": 10,
            "queries": per_query,
        },
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
    });
    if as_json {
        println!("{report}");
    } else {
        print_human(&report);
    }
    Ok(())
}

/// Median of `runs` timings of `f`.
fn median_of(
    runs: usize,
    mut f: impl FnMut() -> Result<(), CoreError>,
) -> Result<Duration, CoreError> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(percentile(&times, 0.5))
}

/// Estimate round trip (engine + store, no IPC) and quote PDFs with the fonts loaded.
fn quote_figures(store: &mut Store, runs: usize) -> Result<Value, CoreError> {
    let today = vardesk_store::today();
    let customer = store
        .list_customers(&CustomerQuery {
            limit: 1,
            ..Default::default()
        })?
        .customers[0]
        .id;
    let mut form = store.new_quote_form(customer, today)?;
    form.estimator.mailboxes = "180".into();
    form.estimator.mailbox_gb = "2150".into();
    let estimate = median_of(runs, || store.evaluate_quote(&form).map(|_| ()))?;

    let one_page = store.save_quote(None, &form, today)?;
    vardesk_pdf::warm_up();
    let small = vardesk_documents::views::quote_pdf(store, &one_page)?;
    let small_time = median_of(runs, || {
        vardesk_documents::views::quote_pdf(store, &one_page).map(|_| ())
    })?;

    for i in 0..500 {
        form.lines.push(vardesk_core::quote::LineForm {
            kind: "one_time".into(),
            source: "manual".into(),
            description: format!("Workstation {i}: Outlook profile, OneDrive and Intune enrolment"),
            quantity: "1.5".into(),
            unit: "hour".into(),
            unit_price: "95".into(),
            tax_rate_percent: "19".into(),
            ..Default::default()
        });
    }
    let long = store.save_quote(None, &form, today)?;
    let large = vardesk_documents::views::quote_pdf(store, &long)?;
    let large_time = median_of(runs.min(50), || {
        vardesk_documents::views::quote_pdf(store, &long).map(|_| ())
    })?;
    Ok(json!({
        "estimate_round_trip_ms": millis(estimate), "estimate_goal_ms": 1,
        "pdf_1_page_ms": millis(small_time), "pdf_1_page_goal_ms": 2,
        "pdf_1_page_kb": (small.len() as f64 / 102.4).round() / 10.0, "pdf_1_page_goal_kb": 40,
        "pdf_500_lines_ms": millis(large_time), "pdf_500_lines_goal_ms": 20,
        "pdf_500_lines_kb": (large.len() as f64 / 102.4).round() / 10.0,
    }))
}

/// Whole `vardesk invoices pdf` processes on the sample books (an euro invoice, so with
/// its payment QR code), as a script would run them, beside `vardesk --version`: the cost
/// of starting at all.
fn process_figures(dir: &std::path::Path, runs: usize) -> Result<Value, CoreError> {
    let today = vardesk_store::today();
    let db = dir.join("sample-books.sqlite3");
    let invoice = {
        let mut store = Store::open_or_create(&db)?;
        store.save_settings(&vardesk_store::sample::sample_company())?;
        store.load_sample_data(today)?;
        store
            .list_invoices(Some("issued"), None, today)?
            .into_iter()
            .find(|r| r.currency.code() == "EUR")
            .map(|r| r.id)
            .ok_or_else(|| {
                CoreError::validation("bench", "The sample books have no euro invoice.")
            })?
    };
    // The window's path to the same PDF: the store read, the view model, the bytes.
    let in_app = {
        let store = Store::open(&db)?;
        vardesk_pdf::warm_up();
        median_of(runs, || {
            vardesk_documents::views::invoice_pdf(&store, invoice, today).map(|_| ())
        })?
    };
    let exe = std::env::current_exe()
        .map_err(|e| CoreError::validation("bench", format!("No path to this program: {e}.")))?;
    let out = dir.join("invoice.pdf");
    let time = |args: &[&std::ffi::OsStr]| -> Result<(Duration, Duration), CoreError> {
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            let status = std::process::Command::new(&exe)
                .args(args)
                .stdout(std::process::Stdio::null())
                .status()
                .map_err(|e| CoreError::validation("bench", format!("{e}")))?;
            times.push(t.elapsed());
            if !status.success() {
                return Err(CoreError::validation("bench", format!("{args:?} failed.")));
            }
        }
        times.sort();
        Ok((percentile(&times, 0.5), percentile(&times, 0.95)))
    };
    let id = invoice.to_string();
    let (pdf, pdf_p95) = time(&[
        "--db".as_ref(),
        db.as_os_str(),
        "invoices".as_ref(),
        "pdf".as_ref(),
        id.as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ])?;
    let (start, _) = time(&["--version".as_ref()])?;
    Ok(json!({
        "invoice_pdf_ms": millis(pdf), "invoice_pdf_p95_ms": millis(pdf_p95),
        "invoice_pdf_goal_ms": 5, "version_ms": millis(start),
        "invoice_pdf_in_app_ms": millis(in_app), "invoice_pdf_in_app_goal_ms": 2,
    }))
}

/// Projection over 10,000 subscriptions (database to result) and the dashboard's figures
/// over 100,000 invoices (a third with payments), generated straight into the tables.
fn annuity_figures(store: &mut Store, quick: bool) -> Result<Value, CoreError> {
    let (subscriptions, invoices) = if quick {
        (2_000, 20_000)
    } else {
        (10_000, 100_000)
    };
    let today = vardesk_store::today();
    store.write(|tx| {
        let err = |e: rusqlite::Error| CoreError::validation("bench", e.to_string());
        let customers: Vec<i64> = {
            let mut stmt = tx.prepare("SELECT id FROM customers").map_err(err)?;
            let ids = stmt.query_map([], |r| r.get(0)).map_err(err)?;
            ids.collect::<rusqlite::Result<_>>().map_err(err)?
        };
        let mut sub = tx
            .prepare(
                "INSERT INTO subscriptions (customer_id, description, currency, quantity_e4,
                    unit_price_e4, unit_cost_e4, tax_rate_e2, interval, start_date, created_at,
                    updated_at)
                 VALUES (?1, 'Microsoft 365 Business Premium', 'EUR', ?2, 220000, 176000, 1900,
                    ?3, ?4, '', '')",
            )
            .map_err(err)?;
        for i in 0..subscriptions {
            let start = today - chrono::Days::new(30) + chrono::Days::new((i % 900) as u64);
            let interval = if i % 5 == 0 { "annual" } else { "monthly" };
            sub.execute(rusqlite::params![
                customers[i % customers.len()],
                ((i % 40) + 1) as i64 * 10_000,
                interval,
                start.to_string()
            ])
            .map_err(err)?;
        }
        let mut invoice = tx
            .prepare(
                "INSERT INTO invoices (customer_id, status, currency, number, issue_date, due_date,
                    total_minor, subtotal_minor, tax_minor, created_at, updated_at,
                    customer_snapshot, company_snapshot)
                 VALUES (?1, 'draft', 'EUR', ?2, ?3, ?4, ?5, ?5, 0, '', '', '{}', '{}')",
            )
            .map_err(err)?;
        let mut payment = tx
            .prepare(
                "INSERT INTO payments (invoice_id, amount_minor, paid_on, created_at)
                 VALUES (?1, ?2, ?3, '')",
            )
            .map_err(err)?;
        for i in 0..invoices {
            let issued = today - chrono::Days::new((i % 720) as u64);
            let total = 10_000 + (i % 5_000) as i64 * 100;
            invoice
                .execute(rusqlite::params![
                    customers[i % customers.len()],
                    format!("B-{i:07}"),
                    issued.to_string(),
                    (issued + chrono::Days::new(14)).to_string(),
                    total
                ])
                .map_err(err)?;
            // Issued the way the app issues (draft → issued), so the triggers keep the open
            // balances; then a third is paid, half of those in full.
            let id = tx.last_insert_rowid();
            tx.execute("UPDATE invoices SET status = 'issued' WHERE id = ?1", [id])
                .map_err(err)?;
            if i % 3 == 0 {
                let paid = if i % 6 == 0 { total } else { total / 2 };
                payment
                    .execute(rusqlite::params![id, paid, issued.to_string()])
                    .map_err(err)?;
            }
        }
        Ok(())
    })?;
    let mut form = store.default_assumptions(today)?;
    form.months = "120".into();
    form.include_pipeline = true;
    let assumptions = form.validate()?;
    let runs = if quick { 10 } else { 30 };
    let mut end_mrr = String::new();
    let projection = median_of(runs, || {
        let r = store.projection(&assumptions, today)?;
        end_mrr = r.summary.end_mrr.to_string();
        Ok(())
    })?;
    let dashboard = median_of(runs, || store.dashboard(today).map(|_| ()))?;
    Ok(json!({
        "subscriptions": subscriptions,
        "invoices": invoices,
        "projection_120_months_ms": millis(projection), "projection_goal_ms": 50,
        "projection_end_mrr": end_mrr,
        "dashboard_ms": millis(dashboard), "dashboard_goal_ms": 50,
    }))
}

/// The distributor's bill (§10): every bench subscription made a licence with its Microsoft
/// id and every customer given a tenant; a Partner Center reconciliation file of five lines
/// per subscription (the month's charge, a seat change's refund and charge, and lines
/// matched by tenant + product or by nothing), read from disk, matched and reported.
fn reconcile_figures(
    store: &mut Store,
    dir: &std::path::Path,
    quick: bool,
) -> Result<Value, CoreError> {
    store.write(|tx| {
        let err = |e: rusqlite::Error| CoreError::validation("bench", e.to_string());
        tx.execute_batch(
            "UPDATE customers SET tenant_id = printf('%08x-0000-4000-8000-%012x', id, id);
             UPDATE subscriptions SET term = 'P1M', ms_billing = 'monthly',
                term_start = start_date, term_end = start_date,
                ms_subscription_id = printf('%08x-1111-4000-8000-%012x', id, id),
                ms_product_id = 'CFQ7TTC0LDPB', ms_sku_id = '0001';",
        )
        .map_err(err)
    })?;
    let subs: Vec<(i64, i64, i64)> = {
        let mut stmt = store
            .conn()
            .prepare("SELECT id, customer_id, quantity_e4 / 10000 FROM subscriptions ORDER BY id")
            .map_err(|e| CoreError::validation("bench", e.to_string()))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| CoreError::validation("bench", e.to_string()))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| CoreError::validation("bench", e.to_string()))?
    };
    let month = chrono::Local::now()
        .date_naive()
        .format("%-m/1/%Y")
        .to_string();
    let mut bill = String::from(
        "PartnerId,CustomerId,CustomerName,CustomerDomainName,ProductId,SkuId,SkuName,\
         ChargeType,UnitPrice,Quantity,Subtotal,Total,Currency,SubscriptionId,ChargeStartDate,\
         ChargeEndDate,EffectiveUnitPrice,BillableQuantity,BillingFrequency\n",
    );
    let lines_per_sub = 5;
    for (i, (id, customer, seats)) in subs.iter().enumerate() {
        let tenant = format!("{customer:08x}-0000-4000-8000-{customer:012x}");
        let sub = format!("{id:08x}-1111-4000-8000-{id:012x}");
        // Every tenth subscription has a seat more on the bill than billed: a leak.
        let billed = seats + i64::from(i % 10 == 0);
        let mut line = |sub: &str, charge: &str, q: i64, amount: &str| {
            bill.push_str(&format!(
                "p,{tenant},Customer {customer},,CFQ7TTC0LDPB,0001,Microsoft 365 Business \
                 Premium,{charge},17.60,{q},{amount},{amount},EUR,{sub},{month},,17.60,{q},Monthly\n"
            ));
        };
        line(
            &sub,
            "cycleCharge",
            billed,
            &format!("{}.{:02}", billed * 176 / 10, (billed * 176 % 10) * 10),
        );
        line(&sub, "addQuantity", billed, "-8.80");
        line(&sub, "addQuantity", billed, "8.80");
        line("", "cycleCharge", 1, "17.60");
        line(
            &format!("ffffffff-2222-4000-8000-{i:012x}"),
            "new",
            1,
            "17.60",
        );
    }
    let path = dir.join("bill.csv");
    std::fs::write(&path, &bill).map_err(|e| CoreError::validation("bench", e.to_string()))?;
    let runs = if quick { 3 } else { 5 };
    let mut found = 0;
    let today = vardesk_store::today();
    let time = median_of(runs, || {
        let open = || {
            std::fs::File::open(&path).map_err(|e| CoreError::validation("bench", e.to_string()))
        };
        let r = store.reconcile_bill(open, &Default::default(), today)?;
        found = r.findings.len();
        Ok(())
    })?;
    Ok(json!({
        "charge_lines": subs.len() * lines_per_sub,
        "subscriptions": subs.len(),
        "megabytes": (bill.len() as f64 / 104857.6).round() / 10.0,
        "findings": found,
        "seconds": (time.as_secs_f64() * 1000.0).round() / 1000.0,
        "goal_seconds": 2,
    }))
}

/// A backup of the whole bench database (customers, subscriptions, invoices) made the way
/// the app makes it, while this thread keeps asking for a page of customers: how long the
/// backup takes, and the slowest answer during it.
fn backup_figures(store: &Store, dir: &std::path::Path) -> Result<Value, CoreError> {
    let db = store.path().to_path_buf();
    let folder = dir.join("backups");
    let started = Instant::now();
    let worker = std::thread::spawn(move || {
        vardesk_store::backup::back_up(&db, &folder, vardesk_store::backup::BackupKind::Manual, 3)
    });
    let query = CustomerQuery {
        search: "gmbh".into(),
        limit: LIST_LIMIT,
        ..Default::default()
    };
    let mut slowest = Duration::ZERO;
    let mut answered = 0;
    while !worker.is_finished() {
        let t = Instant::now();
        store.list_customers(&query)?;
        slowest = slowest.max(t.elapsed());
        answered += 1;
    }
    let made = worker
        .join()
        .map_err(|_| CoreError::validation("bench", "The backup thread stopped."))??;
    let seconds = started.elapsed().as_secs_f64();
    Ok(json!({
        "seconds": (seconds * 1000.0).round() / 1000.0, "goal_seconds": 3,
        "megabytes": (made.bytes as f64 / 104857.6).round() / 10.0,
        "queries_during": answered,
        "slowest_query_ms": millis(slowest), "slowest_query_goal_ms": 50,
    }))
}

fn print_human(r: &Value) {
    let i = &r["customer_import"];
    let s = &r["customer_search"];
    println!("build: {}", r["build"].as_str().unwrap_or("?"));
    let q = &r["quotes"];
    println!(
        "estimate round trip (engine + store): median {} ms (goal < 1 ms)",
        q["estimate_round_trip_ms"]
    );
    println!(
        "quote PDF, 1 page: median {} ms, {} KB (goals < 2 ms, < 40 KB); 500 lines: median {} ms, {} KB (goal < 20 ms)",
        q["pdf_1_page_ms"], q["pdf_1_page_kb"], q["pdf_500_lines_ms"], q["pdf_500_lines_kb"]
    );
    let p = &r["process"];
    println!(
        "whole `vardesk invoices pdf` process (euro invoice with QR code): median {} ms, p95 {} ms (goal < 5 ms); `vardesk --version`: {} ms; the same invoice in the app (store, view model, PDF): median {} ms (goal < 2 ms)",
        p["invoice_pdf_ms"], p["invoice_pdf_p95_ms"], p["version_ms"], p["invoice_pdf_in_app_ms"]
    );
    let a = &r["annuity"];
    println!(
        "projection, 120 months over {} subscriptions (database to result): median {} ms (goal < 50 ms)",
        a["subscriptions"], a["projection_120_months_ms"]
    );
    println!(
        "dashboard figures over {} invoices and {} subscriptions: median {} ms (goal < 50 ms)",
        a["invoices"], a["subscriptions"], a["dashboard_ms"]
    );
    let rc = &r["reconciliation"];
    println!(
        "reconciliation: {} charge lines ({} MB) against {} subscriptions, read, matched and reported: {} s (goal < 2 s), {} findings",
        rc["charge_lines"], rc["megabytes"], rc["subscriptions"], rc["seconds"], rc["findings"]
    );
    let bk = &r["backup"];
    println!(
        "backup of that database ({} MB, checked): {} s (goal < 3 s); {} customer searches meanwhile, slowest {} ms (goal < 50 ms)",
        bk["megabytes"], bk["seconds"], bk["queries_during"], bk["slowest_query_ms"]
    );
    println!(
        "customer import: {} rows in {} s (goal < 2 s)",
        i["rows"], i["seconds"]
    );
    println!(
        "customer search over {} customers (page of {}): median {} ms, p95 {} ms, max {} ms (goal < 10 ms)",
        s["customers"], s["page_size"], s["median_ms"], s["p95_ms"], s["max_ms"]
    );
    for q in s["queries"].as_array().into_iter().flatten() {
        println!(
            "  {:<20} {:>6} matches  median {:>8} ms  p95 {:>8} ms",
            format!("{:?}", q["query"].as_str().unwrap_or("")),
            q["matches"],
            q["median_ms"],
            q["p95_ms"]
        );
    }
}
