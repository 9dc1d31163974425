//! `vardesk check`: integrity and the invariants the schema cannot express.

use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::customer::name_key;
use vardesk_core::Currency;

use crate::{all_rows, DbResult, Result, Store};

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CheckReport {
    pub ok: bool,
    pub schema_version: usize,
    pub problems: Vec<String>,
    /// Gaps that are explained (numbers lost in a restore), not problems.
    pub explained: Vec<String>,
    /// What was verified, in words (for the report a user sends to support).
    pub checked: Vec<&'static str>,
    /// How many rows the main tables hold.
    pub counts: Vec<(&'static str, i64)>,
    pub file: String,
    pub bytes: u64,
}

/// Every check `check` runs, in the order it runs them.
const CHECKED: [&str; 9] = [
    "SQLite integrity",
    "foreign keys",
    "customer duplicate-name keys",
    "gapless invoice and credit-note numbers",
    "issued documents complete and adding up to their lines",
    "payments and credits within each invoice",
    "void invoices credited",
    "no subscription period billed twice",
    "the dashboard's open balances",
];

impl CheckReport {
    /// The report as text, for a person or a support e-mail.
    pub fn text(&self, app_version: &str) -> String {
        let mut out = format!(
            "VarDesk {app_version} check of {} ({} KB), schema version {}\n",
            self.file,
            self.bytes.div_ceil(1024),
            self.schema_version
        );
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(t, n)| format!("{n} {t}"))
            .collect();
        out.push_str(&format!("Holds: {}\n", counts.join(", ")));
        out.push_str(&format!("Checked: {}\n", self.checked.join("; ")));
        for e in &self.explained {
            out.push_str(&format!("Explained gap: {e}\n"));
        }
        if self.ok {
            out.push_str("Result: OK, no problems found.\n");
        } else {
            out.push_str(&format!("Result: {} problem(s):\n", self.problems.len()));
            for p in &self.problems {
                out.push_str(&format!("- {p}\n"));
            }
        }
        out
    }
}

impl Store {
    pub fn check(&self) -> Result<CheckReport> {
        let conn = self.conn();
        let mut problems = Vec::new();
        let mut stmt = conn.prepare("PRAGMA integrity_check").db()?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .db()?
            .collect::<rusqlite::Result<_>>()
            .db()?;
        if lines != ["ok"] {
            problems.extend(lines.into_iter().map(|l| format!("integrity: {l}")));
        }
        let mut stmt = conn.prepare("PRAGMA foreign_key_check").db()?;
        let broken = stmt.query_map([], |r| r.get::<_, String>(0)).db()?.count();
        if broken > 0 {
            problems.push(format!("{broken} row(s) point at rows that do not exist"));
        }
        let mut stmt = conn
            .prepare("SELECT id, name, name_key FROM customers")
            .db()?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .db()?;
        for row in rows {
            let (id, name, key) = row.db()?;
            if name_key(&name) != key {
                problems.push(format!("customer {id}: its duplicate-name key is stale"));
            }
        }
        let (numbering, explained) = self.numbering_problems()?;
        problems.extend(numbering);
        problems.extend(self.document_problems()?);
        problems.extend(self.imported_problems()?);
        let version: usize = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .db()?;
        let mut counts = Vec::new();
        for table in [
            "customers",
            "quotes",
            "invoices",
            "payments",
            "subscriptions",
        ] {
            let n: i64 = conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .db()?;
            counts.push((table, n));
        }
        Ok(CheckReport {
            ok: problems.is_empty(),
            schema_version: version,
            problems,
            explained,
            checked: CHECKED.to_vec(),
            counts,
            file: self.path().display().to_string(),
            bytes: std::fs::metadata(self.path()).map(|m| m.len()).unwrap_or(0),
        })
    }
}

/// Every issued document with what `check` compares: completeness, totals, payments, credits.
const DOCUMENTS: &str = "SELECT i.id, i.number, i.kind, i.status, i.currency, i.issue_date IS NOT NULL
                    AND i.due_date IS NOT NULL AND i.customer_snapshot IS NOT NULL
                    AND i.company_snapshot IS NOT NULL, i.subtotal_minor, i.tax_minor, i.total_minor,
                    (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id),
                    (SELECT coalesce(sum(total_minor), 0) FROM invoices n
                     WHERE n.credited_invoice_id = i.id AND n.status = 'issued'),
                    (SELECT count(*) FROM invoices n WHERE n.credited_invoice_id = i.id AND n.status = 'issued')
                 FROM invoices i WHERE i.status <> 'draft' AND i.imported = 0 ORDER BY i.id";

impl Store {
    /// Issued invoice and credit-note numbers must be gapless: per sequence (the one each
    /// document took its number from), as many issued, recorded as lost in a restore and
    /// issued by the previous system (a continued series) as the counter says. Returns the
    /// problems and the explained gaps.
    fn numbering_problems(&self) -> Result<(Vec<String>, Vec<String>)> {
        let (mut problems, mut explained) = (Vec::new(), Vec::new());
        type Counter = (
            String,
            i64,
            i64,
            i64,
            Option<String>,
            i64,
            i64,
            Option<String>,
        );
        let counters: Vec<Counter> = all_rows(
            self.conn(),
            "SELECT s.name, s.year, s.last_value,
                    (SELECT count(*) FROM invoices i WHERE i.number IS NOT NULL
                        AND i.kind = s.name AND i.seq_year = s.year),
                    (SELECT group_concat(l.number || ' (' || l.lost_on || ', kept in ' || l.kept_in || ')', '; ')
                     FROM lost_numbers l WHERE l.sequence = s.name AND l.year = s.year
                        AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.number = l.number)),
                    (SELECT count(*) FROM lost_numbers l WHERE l.sequence = s.name AND l.year = s.year
                        AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.number = l.number)),
                    (SELECT coalesce(sum(j.continued_at - j.skipped_from), 0) FROM sequence_jumps j
                     WHERE j.sequence = s.name AND j.year = s.year),
                    (SELECT group_concat('continued from the previous system at ' || j.continued_at
                        || ' (' || j.number || ')', '; ')
                     FROM sequence_jumps j WHERE j.sequence = s.name AND j.year = s.year)
                 FROM number_sequences s WHERE s.name <> 'quote' ORDER BY s.name, s.year",
            [],
        )?;
        for (name, year, last, issued, lost_list, lost, skipped, continued) in counters {
            let what = if name == "credit_note" {
                "credit note"
            } else {
                "invoice"
            };
            let of = if year == 0 {
                String::new()
            } else {
                format!(" of {year}")
            };
            if issued + lost + skipped != last {
                problems.push(format!(
                    "{what} numbers{of}: the counter is at {last} but {issued} are issued, \
                     {lost} recorded as lost in a restore and {skipped} issued by the previous \
                     system"
                ));
            }
            if let Some(list) = continued {
                explained.push(format!(
                    "{what} numbers{of}: {list}; the {skipped} numbers before were issued there"
                ));
            }
            if let Some(list) = lost_list.filter(|_| lost > 0) {
                explained.push(format!(
                    "{what} numbers{of}: {lost} lost in a restore and never issued again: {list}"
                ));
            }
        }
        Ok((problems, explained))
    }

    /// An invoice imported from the previous system (§11) is an issued invoice with its
    /// total and no lines, outside VarDesk's series, paid at most in full: anything else
    /// marked imported is a VarDesk document that would escape the checks below.
    fn imported_problems(&self) -> Result<Vec<String>> {
        let rows: Vec<(i64, Option<String>)> = all_rows(
            self.conn(),
            "SELECT i.id, i.number FROM invoices i WHERE i.imported = 1 AND (
                i.kind <> 'invoice' OR i.status = 'draft' OR i.seq_value IS NOT NULL
                OR i.quote_id IS NOT NULL OR i.period IS NOT NULL
                OR coalesce(i.total_minor, -1) <= 0 OR i.tax_minor <> 0
                OR i.subtotal_minor IS NOT i.total_minor
                OR EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id)
                OR EXISTS (SELECT 1 FROM invoices n WHERE n.credited_invoice_id = i.id)
                OR (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id)
                    > i.total_minor)
             ORDER BY i.id",
            [],
        )?;
        Ok(rows
            .into_iter()
            .map(|(id, number)| {
                format!(
                    "invoice {}: marked as imported from the previous system, but it is not \
                     such an invoice",
                    number.unwrap_or_else(|| id.to_string())
                )
            })
            .collect())
    }

    /// Every issued document is complete and adds up (its stored totals are its lines'
    /// totals), credits and payments stay within each invoice, a void invoice has its credit
    /// note, and no subscription is billed twice for a period.
    fn document_problems(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        type Issued = (
            i64,
            Option<String>,
            String,
            String,
            String,
            bool,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            i64,
            i64,
            i64,
        );
        let docs: Vec<Issued> = all_rows(self.conn(), DOCUMENTS, [])?;
        for (
            id,
            number,
            kind,
            status,
            currency,
            complete,
            subtotal,
            tax,
            total,
            paid,
            credited,
            notes,
        ) in docs
        {
            let name = number.clone().unwrap_or_else(|| format!("document {id}"));
            let (Some(subtotal), Some(tax), Some(total), true, Some(_)) =
                (subtotal, tax, total, complete, number)
            else {
                problems.push(format!(
                    "{name} is issued but incomplete (number, dates, snapshots or totals missing)"
                ));
                continue;
            };
            let lines = crate::invoices::invoice_lines(self.conn(), id)?;
            let currency = Currency::parse(&currency)?;
            match crate::invoices::document_totals(self.conn(), id, currency) {
                Ok(t)
                    if !lines.is_empty()
                        && currency.to_minor(t.subtotal)? == subtotal
                        && currency.to_minor(t.tax_total)? == tax
                        && currency.to_minor(t.total)? == total
                        && t.taxes.iter().all(|row| {
                            // BR-CO-17: each tax within one minor unit of base × rate.
                            let exact =
                                currency.round(row.base * row.rate_percent / Decimal::ONE_HUNDRED);
                            (row.tax - exact).abs() <= currency.from_minor(1)
                        }) => {}
                _ => problems.push(format!("{name}: its stored totals do not match its lines")),
            }
            if kind == "invoice" {
                if credited > total {
                    problems.push(format!("{name}: its credit notes exceed its total"));
                }
                if total - paid - credited > total {
                    problems.push(format!("{name}: more was refunded than was paid"));
                }
                if status == "void" && notes == 0 {
                    problems.push(format!("{name} is void without a credit note"));
                }
            }
        }
        let twice: i64 = self
            .conn()
            .query_row(
                "SELECT count(*) FROM (SELECT 1 FROM invoice_lines WHERE subscription_id IS NOT NULL
                 GROUP BY subscription_id, period HAVING count(*) > 1)",
                [],
                |r| r.get(0),
            )
            .db()?;
        if twice > 0 {
            problems.push(format!(
                "{twice} subscription period(s) billed more than once"
            ));
        }
        // The dashboard's open balances must be what payments and credits leave open.
        let stale: i64 = self
            .conn()
            .query_row(
                "SELECT count(DISTINCT id) FROM (
                    SELECT id, balance FROM (SELECT i.id, i.total_minor
                        - (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id)
                        - (SELECT coalesce(sum(total_minor), 0) FROM invoices n
                           WHERE n.credited_invoice_id = i.id AND n.status = 'issued') AS balance
                        FROM invoices i WHERE i.status = 'issued' AND i.kind = 'invoice')
                    WHERE balance > 0
                    EXCEPT SELECT invoice_id, balance_minor FROM open_balances
                    UNION ALL
                    SELECT * FROM (SELECT invoice_id, balance_minor FROM open_balances
                        EXCEPT SELECT id, balance FROM (SELECT i.id, i.total_minor
                        - (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id)
                        - (SELECT coalesce(sum(total_minor), 0) FROM invoices n
                           WHERE n.credited_invoice_id = i.id AND n.status = 'issued') AS balance
                        FROM invoices i WHERE i.status = 'issued' AND i.kind = 'invoice')))",
                [],
                |r| r.get(0),
            )
            .db()?;
        if stale > 0 {
            problems.push(format!(
                "{stale} open balance(s) kept for the dashboard differ from payments and credits"
            ));
        }
        // And their sums per day must be what the open balances add up to.
        let days: i64 = self
            .conn()
            .query_row(
                "SELECT count(*) FROM (
                    SELECT currency, due_date, sum(balance_minor), count(*) FROM open_balances
                    GROUP BY currency, due_date
                    EXCEPT SELECT currency, due_date, balance_minor, invoices FROM open_balance_days
                    UNION ALL
                    SELECT * FROM (SELECT currency, due_date, balance_minor, invoices
                        FROM open_balance_days
                        EXCEPT SELECT currency, due_date, sum(balance_minor), count(*)
                        FROM open_balances GROUP BY currency, due_date))",
                [],
                |r| r.get(0),
            )
            .db()?;
        if days > 0 {
            problems.push(format!(
                "{days} day(s) of the dashboard's receivables differ from the open balances"
            ));
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{day, sample_store};

    #[test]
    fn check_finds_documents_that_do_not_add_up_and_double_billing() {
        let (_dir, mut store) = sample_store();
        let id = store.run_billing("2026-12").unwrap().created[0];
        store.issue_invoice(id, day("2026-12-01")).unwrap();
        assert!(store.check().unwrap().ok);
        // Damage the file the way only a bug or a hand edit could: triggers out of the way.
        store
            .conn()
            .execute_batch(&format!(
                "DROP TRIGGER invoices_issued_stay;
                 DROP INDEX invoice_lines_billed_once;
                 DROP TRIGGER invoice_lines_issued_insert;
                 UPDATE invoices SET total_minor = total_minor + 1 WHERE id = {id};
                 INSERT INTO invoice_lines (invoice_id, position, description, quantity_e4,
                    unit_price_e4, tax_rate_e2, subscription_id, period)
                 SELECT invoice_id, 99, description, quantity_e4, unit_price_e4, tax_rate_e2,
                    subscription_id, period FROM invoice_lines WHERE invoice_id = {id} LIMIT 1;"
            ))
            .unwrap();
        let report = store.check().unwrap();
        assert!(!report.ok);
        let all = report.problems.join("\n");
        assert!(all.contains("stored totals do not match"), "{all}");
        assert!(all.contains("billed more than once"), "{all}");
        assert!(all.contains("1 open balance(s)"), "{all}");
    }

    #[test]
    fn the_receivables_per_day_follow_every_open_balance_and_a_tampered_day_is_found() {
        let (_dir, mut store) = sample_store();
        let id = store.run_billing("2026-12").unwrap().created[0];
        store.issue_invoice(id, day("2026-12-01")).unwrap();
        store
            .record_payment(id, "1", day("2026-12-05"), "bank", "")
            .unwrap();
        assert!(store.check().unwrap().ok, "issue and payment kept the days");
        store
            .conn()
            .execute_batch(
                "UPDATE open_balance_days SET balance_minor = balance_minor + 1
                 WHERE due_date = (SELECT min(due_date) FROM open_balance_days);",
            )
            .unwrap();
        let all = store.check().unwrap().problems.join("\n");
        assert!(
            all.contains("day(s) of the dashboard's receivables differ"),
            "{all}"
        );
    }

    #[test]
    fn check_understands_a_switch_between_yearly_and_continuous_templates() {
        let (_dir, mut store) = sample_store();
        let issue = |store: &mut crate::Store, period: &str, on: &str| {
            for id in store.run_billing(period).unwrap().created {
                store.issue_invoice(id, day(on)).unwrap();
            }
        };
        issue(&mut store, "2026-12", "2026-12-01");
        let switch = |store: &mut crate::Store, template: &str| {
            let mut form = vardesk_core::settings::SettingsForm::from_settings(
                &store.require_settings().unwrap(),
            );
            form.invoice_number_template = template.into();
            store.save_settings(&form).unwrap();
        };
        switch(&mut store, "R{SEQ:6}");
        issue(&mut store, "2027-01", "2027-01-02");
        switch(&mut store, "INV-{YYYY}-{SEQ:4}");
        issue(&mut store, "2027-02", "2027-02-01");
        let report = store.check().unwrap();
        assert!(report.ok, "{:?}", report.problems);
        assert!(report.explained.is_empty());
    }
}
