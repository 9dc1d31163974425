//! Invoicing an accepted quote's one-time part with a deposit: a percentage now and the rest
//! on completion. Each part is one line per tax rate and kind (goods or services, which
//! decide the VAT category), so both invoices are taxed as the quote was; the deposit is
//! rounded once per line and the rest is the remainder, so the two always add up to the
//! quote's one-time net to the cent.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::CoreError;
use crate::lines::{Line, LineKind};
use crate::money::Currency;

/// How an accepted quote's one-time part is invoiced.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize, specta::Type)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum OneTimeInvoicing {
    /// One draft with every one-time line, now.
    AllNow,
    /// `percent` now; the rest as a draft scheduled for `rest_on`.
    Deposit {
        #[serde(with = "crate::money::serde_str")]
        #[specta(type = String)]
        percent: Decimal,
        rest_on: NaiveDate,
    },
    /// One invoice per phase: `dates[i]` is when the i-th one-time line is invoiced (today:
    /// now); phases on the same date share an invoice.
    PerPhase { dates: Vec<NaiveDate> },
}

impl OneTimeInvoicing {
    pub fn validate(&self, today: NaiveDate) -> Result<(), CoreError> {
        if let OneTimeInvoicing::Deposit { percent, rest_on } = self {
            if !(*percent > Decimal::ZERO && *percent < Decimal::ONE_HUNDRED) {
                return Err(CoreError::validation(
                    "percent",
                    "The deposit must be more than 0 and less than 100 %.",
                ));
            }
            if *rest_on < today {
                return Err(CoreError::validation(
                    "rest_on",
                    "The rest is invoiced on completion: give a date from today on.",
                ));
            }
        }
        if let OneTimeInvoicing::PerPhase { dates } = self {
            if dates.iter().any(|d| *d < today) {
                return Err(CoreError::validation(
                    "dates",
                    "Each phase is invoiced from today on: give no date in the past.",
                ));
            }
        }
        Ok(())
    }
}

/// The phases of a per-phase plan grouped by date, earliest first: (date, line indexes).
/// Refused unless there is exactly one date per one-time line.
pub fn phases_by_date(
    dates: &[NaiveDate],
    one_time_lines: usize,
) -> Result<Vec<(NaiveDate, Vec<usize>)>, CoreError> {
    if dates.len() != one_time_lines {
        return Err(CoreError::validation(
            "dates",
            format!("Give a date for each of the {one_time_lines} one-time lines."),
        ));
    }
    let mut groups: Vec<(NaiveDate, Vec<usize>)> = Vec::new();
    for (i, d) in dates.iter().enumerate() {
        match groups.iter_mut().find(|g| g.0 == *d) {
            Some(g) => g.1.push(i),
            None => groups.push((*d, vec![i])),
        }
    }
    groups.sort_by_key(|g| g.0);
    Ok(groups)
}

/// One line of a deposit or final invoice: the tax rate and kind it covers, its net and
/// its share of the cost (internal).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub tax_rate_percent: Decimal,
    pub goods: bool,
    pub net: Decimal,
    pub cost: Decimal,
}

/// The deposit and the rest, per (tax rate, goods): `percent` of each group's net, rounded
/// in the currency, and the remainder.
pub fn split(lines: &[Line], currency: Currency, percent: Decimal) -> (Vec<Part>, Vec<Part>) {
    let mut groups: Vec<(Decimal, bool, Decimal, Decimal)> = Vec::new();
    for l in lines.iter().filter(|l| l.kind == LineKind::OneTime) {
        let rate = l.tax_rate_percent.unwrap_or_default();
        let (net, cost) = (l.net(currency), l.cost(currency));
        match groups.iter_mut().find(|g| g.0 == rate && g.1 == l.goods) {
            Some(g) => {
                g.2 += net;
                g.3 += cost;
            }
            None => groups.push((rate, l.goods, net, cost)),
        }
    }
    let share = percent / Decimal::ONE_HUNDRED;
    let mut deposit = Vec::new();
    let mut rest = Vec::new();
    for (rate, goods, net, cost) in groups {
        let now = currency.round(net * share);
        let cost_now = currency.round(cost * share);
        deposit.push(Part {
            tax_rate_percent: rate,
            goods,
            net: now,
            cost: cost_now,
        });
        rest.push(Part {
            tax_rate_percent: rate,
            goods,
            net: net - now,
            cost: cost - cost_now,
        });
    }
    (deposit, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(price: &str, rate: &str, goods: bool, kind: LineKind) -> Line {
        Line {
            description: String::new(),
            quantity: "3".parse().unwrap(),
            unit: String::new(),
            unit_price: price.parse().unwrap(),
            unit_cost: Some("1.11".parse().unwrap()),
            discount_percent: Some("10".parse().unwrap()),
            tax_rate_percent: Some(rate.parse().unwrap()),
            kind,
            goods,
            tax_category: None,
        }
    }

    #[test]
    fn the_parts_add_up_to_the_one_time_net_per_rate_and_kind() {
        let lines = [
            line("95.55", "19", false, LineKind::OneTime),
            line("33.33", "19", false, LineKind::OneTime),
            line("249.99", "19", true, LineKind::OneTime),
            line("10.01", "7", false, LineKind::OneTime),
            line("24.00", "19", false, LineKind::Monthly),
        ];
        for percent in ["30", "33.333", "0.5", "99.99"] {
            let (deposit, rest) = split(&lines, Currency::EUR, percent.parse().unwrap());
            assert_eq!(deposit.len(), 3, "19 % services, 19 % goods, 7 %");
            for (d, r) in deposit.iter().zip(&rest) {
                assert_eq!((d.tax_rate_percent, d.goods), (r.tax_rate_percent, r.goods));
                assert_eq!(d.net, Currency::EUR.round(d.net), "whole cents");
            }
            let total: Decimal = deposit.iter().chain(&rest).map(|p| p.net).sum();
            let one_time: Decimal = lines[..4].iter().map(|l| l.net(Currency::EUR)).sum();
            assert_eq!(total, one_time, "{percent} %");
        }
        let (deposit, _) = split(&lines, Currency::EUR, "30".parse().unwrap());
        // 3 × 95.55 − 10 % = 257.99 (257.985); 3 × 33.33 − 10 % = 89.99; 347.98 × 30 % = 104.394
        assert_eq!(deposit[0].net.to_string(), "104.39");
    }

    #[test]
    fn a_deposit_is_between_nothing_and_everything_and_the_rest_not_in_the_past() {
        let today: NaiveDate = "2026-11-27".parse().unwrap();
        let plan = |p: &str, on: &str| OneTimeInvoicing::Deposit {
            percent: p.parse().unwrap(),
            rest_on: on.parse().unwrap(),
        };
        assert!(plan("30", "2027-01-15").validate(today).is_ok());
        assert!(plan("30", "2026-11-27").validate(today).is_ok());
        for bad in [
            plan("0", "2027-01-15"),
            plan("100", "2027-01-15"),
            plan("-5", "2027-01-15"),
        ] {
            assert_eq!(
                bad.validate(today).unwrap_err().field.as_deref(),
                Some("percent")
            );
        }
        assert_eq!(
            plan("30", "2026-11-26")
                .validate(today)
                .unwrap_err()
                .field
                .as_deref(),
            Some("rest_on")
        );
        assert!(OneTimeInvoicing::AllNow.validate(today).is_ok());
    }

    #[test]
    fn phases_on_the_same_date_share_an_invoice_and_every_line_needs_a_date() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let groups =
            phases_by_date(&[d("2027-02-01"), d("2026-12-01"), d("2027-02-01")], 3).unwrap();
        assert_eq!(
            groups,
            vec![(d("2026-12-01"), vec![1]), (d("2027-02-01"), vec![0, 2])]
        );
        assert_eq!(
            phases_by_date(&[d("2026-12-01")], 2)
                .unwrap_err()
                .field
                .as_deref(),
            Some("dates")
        );
        let past = OneTimeInvoicing::PerPhase {
            dates: vec![d("2026-11-26")],
        };
        assert_eq!(
            past.validate(d("2026-11-27")).unwrap_err().field.as_deref(),
            Some("dates")
        );
    }
}
