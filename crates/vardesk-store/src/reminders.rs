//! Payment reminders as written: who can be reminded, the letter planned from the overdue
//! invoices (`vardesk_core::reminder`), and the letter kept as it was sent.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::reminder::{plan, Overdue, ReminderLine, ReminderPlan};
use vardesk_core::{CoreError, Currency};

use crate::{all_rows, now, to_scaled, DbResult, Result, Store};

/// A customer with overdue invoices in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Remindable {
    pub customer_id: i64,
    pub customer: String,
    pub currency: Currency,
    pub invoices: usize,
    pub open: Decimal,
    /// The level the next letter would have (1 first, 2 second, 3 final).
    pub next_level: u8,
    /// The latest reminder to this customer in this currency, if any.
    pub last_reminded: Option<String>,
}

/// A reminder as written.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Reminder {
    pub id: i64,
    pub customer_id: i64,
    #[serde(flatten)]
    pub plan: ReminderPlan,
}

/// On an invoice: the reminders that listed it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ReminderRef {
    pub id: i64,
    pub level: u8,
    pub reminded_on: String,
}

impl Store {
    /// The customer's overdue invoices in `currency`, with the level each was reminded at.
    fn overdue(
        &self,
        customer_id: i64,
        currency: Currency,
        today: NaiveDate,
    ) -> Result<Vec<Overdue>> {
        let mut out = Vec::new();
        for row in self.customer_invoices(customer_id, today)? {
            if row.status != vardesk_core::standing::InvoiceStatus::Overdue
                || row.currency != currency
                || row.kind == vardesk_core::standing::DocumentKind::CreditNote
            {
                continue;
            }
            let (Some(number), Some(issued), Some(due)) =
                (row.number, row.issue_date, row.due_date)
            else {
                continue;
            };
            let level: Option<i64> = self
                .conn()
                .query_row(
                    "SELECT max(r.level) FROM reminder_invoices ri JOIN reminders r ON r.id = ri.reminder_id
                     WHERE ri.invoice_id = ?1",
                    [row.id],
                    |r| r.get(0),
                )
                .db()?;
            let date = |s: &str| {
                s.parse::<NaiveDate>()
                    .map_err(|_| crate::internal(format!("date {s}")))
            };
            out.push(Overdue {
                invoice_id: row.id,
                number,
                issue_date: date(&issued)?,
                due_date: date(&due)?,
                open: row.balance,
                reminded_level: u8::try_from(level.unwrap_or(0)).unwrap_or(0),
            });
        }
        Ok(out)
    }

    /// Every customer and currency with overdue invoices, most open first.
    pub fn remindable(&self, today: NaiveDate) -> Result<Vec<Remindable>> {
        let mut groups: BTreeMap<(i64, String), Remindable> = BTreeMap::new();
        for row in self.list_invoices(Some("overdue"), None, today)? {
            if row.kind == vardesk_core::standing::DocumentKind::CreditNote {
                continue;
            }
            let entry = groups
                .entry((row.customer_id, row.currency.code().to_string()))
                .or_insert(Remindable {
                    customer_id: row.customer_id,
                    customer: row.customer.clone(),
                    currency: row.currency,
                    invoices: 0,
                    open: Decimal::ZERO,
                    next_level: 1,
                    last_reminded: None,
                });
            entry.invoices += 1;
            entry.open += row.balance;
        }
        let mut out: Vec<Remindable> = groups.into_values().collect();
        for r in &mut out {
            let overdue = self.overdue(r.customer_id, r.currency, today)?;
            r.next_level = overdue
                .iter()
                .map(|o| o.reminded_level)
                .max()
                .unwrap_or(0)
                .saturating_add(1)
                .min(vardesk_core::reminder::FINAL_LEVEL);
            r.last_reminded = self
                .conn()
                .query_row(
                    "SELECT max(reminded_on) FROM reminders WHERE customer_id = ?1 AND currency = ?2",
                    rusqlite::params![r.customer_id, r.currency.code()],
                    |x| x.get(0),
                )
                .db()?;
        }
        out.sort_by(|a, b| b.open.cmp(&a.open).then(a.customer.cmp(&b.customer)));
        Ok(out)
    }

    /// The letter the customer would get today, without writing it.
    pub fn preview_reminder(
        &self,
        customer_id: i64,
        currency: Currency,
        fee: Decimal,
        interest_percent: Decimal,
        today: NaiveDate,
    ) -> Result<ReminderPlan> {
        self.customer(customer_id)?;
        plan(
            &self.overdue(customer_id, currency, today)?,
            today,
            currency,
            fee,
            interest_percent,
        )
    }

    /// Writes the reminder (one transaction) and returns it: the invoices it lists are
    /// reminded at its level from now on.
    pub fn create_reminder(
        &mut self,
        customer_id: i64,
        currency: Currency,
        fee: Decimal,
        interest_percent: Decimal,
        today: NaiveDate,
    ) -> Result<Reminder> {
        let plan = self.preview_reminder(customer_id, currency, fee, interest_percent, today)?;
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO reminders (customer_id, currency, level, reminded_on, pay_by, fee_minor,
                    interest_e2, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![
                    customer_id,
                    currency.code(),
                    plan.level,
                    plan.date.to_string(),
                    plan.pay_by.to_string(),
                    currency.to_minor(plan.fee)?,
                    to_scaled(plan.interest_percent, 2)?,
                    now()
                ],
            )
            .db()?;
            let id = tx.last_insert_rowid();
            for (position, l) in plan.lines.iter().enumerate() {
                tx.execute(
                    "INSERT INTO reminder_invoices (reminder_id, invoice_id, position, open_minor,
                        interest_minor, days_overdue) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    rusqlite::params![
                        id,
                        l.invoice_id,
                        position as i64,
                        currency.to_minor(l.open)?,
                        currency.to_minor(l.interest)?,
                        l.days_overdue
                    ],
                )
                .db()?;
            }
            Ok(id)
        })?;
        self.reminder(id)
    }

    /// A reminder as it was written.
    pub fn reminder(&self, id: i64) -> Result<Reminder> {
        type Head = (i64, String, i64, String, String, i64, i64);
        let (customer_id, code, level, on, pay_by, fee, interest_e2): Head = all_rows::<Head>(
            self.conn(),
            "SELECT customer_id, currency, level, reminded_on, pay_by, fee_minor, interest_e2
             FROM reminders WHERE id = ?1",
            [id],
        )?
        .pop()
        .ok_or_else(|| {
            CoreError::new(
                vardesk_core::ErrorCode::NotFound,
                format!("There is no reminder {id}."),
            )
        })?;
        let currency = Currency::parse(&code)?;
        let date = |s: &str| {
            s.parse::<NaiveDate>()
                .map_err(|_| CoreError::validation("date", format!("\"{s}\" is not a date.")))
        };
        type Row = (i64, String, String, String, i64, i64, i64);
        let lines = all_rows::<Row>(
            self.conn(),
            "SELECT ri.invoice_id, i.number, i.issue_date, i.due_date, ri.open_minor,
                ri.interest_minor, ri.days_overdue
             FROM reminder_invoices ri JOIN invoices i ON i.id = ri.invoice_id
             WHERE ri.reminder_id = ?1 ORDER BY ri.position",
            [id],
        )?
        .into_iter()
        .map(|(invoice_id, number, issued, due, open, interest, days)| {
            Ok(ReminderLine {
                invoice_id,
                number,
                issue_date: date(&issued)?,
                due_date: date(&due)?,
                days_overdue: days,
                open: currency.from_minor(open),
                interest: currency.from_minor(interest),
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let open: Decimal = lines.iter().map(|l| l.open).sum();
        let interest: Decimal = lines.iter().map(|l| l.interest).sum();
        let fee = currency.from_minor(fee);
        Ok(Reminder {
            id,
            customer_id,
            plan: ReminderPlan {
                level: u8::try_from(level).unwrap_or(1),
                date: date(&on)?,
                pay_by: date(&pay_by)?,
                currency,
                lines,
                open,
                interest,
                interest_percent: crate::from_scaled(interest_e2, 2),
                fee,
                total: open + interest + fee,
            },
        })
    }

    /// The reminders that listed invoice `id`, oldest first.
    pub fn reminders_of_invoice(&self, id: i64) -> Result<Vec<ReminderRef>> {
        Ok(all_rows::<(i64, i64, String)>(
            self.conn(),
            "SELECT r.id, r.level, r.reminded_on FROM reminder_invoices ri
             JOIN reminders r ON r.id = ri.reminder_id WHERE ri.invoice_id = ?1 ORDER BY r.id",
            [id],
        )?
        .into_iter()
        .map(|(id, level, reminded_on)| ReminderRef {
            id,
            level: u8::try_from(level).unwrap_or(1),
            reminded_on,
        })
        .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_rise_a_level_each_time_and_are_kept_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("v.sqlite3")).unwrap();
        store
            .save_settings(&crate::sample::sample_company())
            .unwrap();
        let issued_on: NaiveDate = "2026-11-23".parse().unwrap();
        store.load_sample_data(issued_on).unwrap();
        let later: NaiveDate = "2027-01-15".parse().unwrap();
        let who = store.remindable(later).unwrap();
        assert!(
            !who.is_empty(),
            "the sample has overdue invoices by January"
        );
        let first = &who[0];
        assert_eq!(first.next_level, 1);
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let preview = store
            .preview_reminder(first.customer_id, first.currency, d("5"), d("9.12"), later)
            .unwrap();
        assert_eq!(preview.open, first.open);
        let r1 = store
            .create_reminder(first.customer_id, first.currency, d("5"), d("9.12"), later)
            .unwrap();
        assert_eq!(
            r1.plan, preview,
            "written as previewed, and read back the same"
        );
        assert_eq!(
            store
                .reminders_of_invoice(r1.plan.lines[0].invoice_id)
                .unwrap()[0]
                .level,
            1
        );
        let next = store.remindable(later).unwrap();
        let same = next
            .iter()
            .find(|r| r.customer_id == first.customer_id && r.currency == first.currency)
            .unwrap();
        assert_eq!(
            (same.next_level, same.last_reminded.as_deref()),
            (2, Some("2027-01-15"))
        );
        let r2 = store
            .create_reminder(first.customer_id, first.currency, d("0"), d("0"), later)
            .unwrap();
        let r3 = store
            .create_reminder(first.customer_id, first.currency, d("0"), d("0"), later)
            .unwrap();
        let r4 = store
            .create_reminder(first.customer_id, first.currency, d("0"), d("0"), later)
            .unwrap();
        assert_eq!((r2.plan.level, r3.plan.level, r4.plan.level), (2, 3, 3));
        // As written: the database refuses to change or remove one.
        assert!(store
            .conn()
            .execute("UPDATE reminders SET fee_minor = 0", [])
            .is_err());
        assert!(store
            .conn()
            .execute("DELETE FROM reminder_invoices", [])
            .is_err());
        // A paid invoice leaves the next reminder; nothing overdue is refused.
        for line in &r1.plan.lines {
            let open = line.open.to_string();
            store
                .record_payment(line.invoice_id, &open, later, "", "")
                .unwrap();
        }
        let err = store
            .create_reminder(first.customer_id, first.currency, d("0"), d("0"), later)
            .unwrap_err();
        assert!(
            err.message.contains("Nothing is overdue"),
            "{}",
            err.message
        );
        assert!(store.check().unwrap().ok);
    }
}
