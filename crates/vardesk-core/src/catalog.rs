//! Catalog items: what the partner sells, with price, cost and tax rate, in the item's own
//! currency and optionally in others (a Swedish customer's quote takes the SEK price).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::lines::LineKind;
use crate::money::{parse_typed_decimal, Currency};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub kind: LineKind,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub currency: Currency,
    #[serde(with = "crate::money::serde_str")]
    pub price: Decimal,
    #[serde(with = "crate::money::serde_str")]
    pub cost: Decimal,
    #[serde(with = "crate::money::serde_str")]
    pub tax_rate_percent: Decimal,
    pub active: bool,
    /// Goods (hardware) rather than services: decides `K`/`G` against `AE`/`O` (§9).
    #[serde(default)]
    pub goods: bool,
    /// The price and cost in other currencies than `currency`, by currency code.
    #[serde(default)]
    pub other_prices: Vec<LocalPrice>,
}

/// An item's price and cost in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalPrice {
    pub currency: Currency,
    #[serde(with = "crate::money::serde_str")]
    pub price: Decimal,
    #[serde(with = "crate::money::serde_str")]
    pub cost: Decimal,
}

impl CatalogItem {
    /// The price and cost in `currency`, if the item has one there.
    pub fn price_in(&self, currency: Currency) -> Option<(Decimal, Decimal)> {
        if self.currency == currency {
            return Some((self.price, self.cost));
        }
        self.other_prices
            .iter()
            .find(|p| p.currency == currency)
            .map(|p| (p.price, p.cost))
    }

    /// Refuses a document in a currency the item has no price in, naming the item.
    pub fn require_price_in(&self, currency: Currency) -> Result<(Decimal, Decimal), String> {
        self.price_in(currency).ok_or_else(|| {
            format!(
                "{} has no price in {currency}: add one in the catalog.",
                self.name
            )
        })
    }
}

/// A price in another currency as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct LocalPriceForm {
    pub currency: String,
    pub price: String,
    pub cost: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CatalogForm {
    pub kind: String,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub currency: String,
    pub price: String,
    pub cost: String,
    pub tax_rate_percent: String,
    pub active: bool,
    pub goods: bool,
    pub other_prices: Vec<LocalPriceForm>,
}

impl CatalogForm {
    pub fn validate(&self) -> Result<CatalogItem, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            });
        };
        let kind = match self.kind.as_str() {
            "one_time" => LineKind::OneTime,
            "monthly" => LineKind::Monthly,
            "annual" => LineKind::Annual,
            _ => {
                fail(
                    "kind",
                    "Choose whether the item is one-time, monthly or annual.".into(),
                );
                LineKind::OneTime
            }
        };
        let sku = self.sku.trim();
        if sku.is_empty() || sku.chars().count() > 60 {
            fail("sku", "The SKU is required (at most 60 characters).".into());
        }
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            fail(
                "name",
                "The name is required (at most 200 characters).".into(),
            );
        }
        let unit = self.unit.trim();
        if unit.is_empty() || unit.chars().count() > 40 {
            fail(
                "unit",
                "The unit is required, for example \"seat\" or \"hour\".".into(),
            );
        }
        let currency = Currency::parse(&self.currency);
        if let Err(e) = &currency {
            fail("currency", e.message.clone());
        }
        let minor = currency.as_ref().map_or(2, Currency::minor_units);
        let mut amount = |field: &str, label: &str, text: &str| -> Decimal {
            match parse_typed_decimal(field, text) {
                Ok(v) if v >= Decimal::ZERO && v.normalize().scale() <= minor.max(4) => v,
                _ => {
                    errors.push(FieldError {
                        field: field.into(),
                        message: format!(
                            "{label} \"{}\" must be an amount of 0 or more.",
                            text.trim()
                        ),
                    });
                    Decimal::ZERO
                }
            }
        };
        let price = amount("price", "The price", &self.price);
        let cost = amount("cost", "The cost", &self.cost);
        let mut other_prices: Vec<LocalPrice> = Vec::new();
        for (i, p) in self.other_prices.iter().enumerate() {
            let field = |name: &str| format!("other_prices[{i}].{name}");
            let Ok(code) = Currency::parse(&p.currency) else {
                errors.push(FieldError {
                    field: field("currency"),
                    message: format!("\"{}\" is not a currency code.", p.currency.trim()),
                });
                continue;
            };
            if currency.as_ref().ok() == Some(&code)
                || other_prices.iter().any(|o| o.currency == code)
            {
                errors.push(FieldError {
                    field: field("currency"),
                    message: format!("The price in {code} is given twice."),
                });
                continue;
            }
            let minor = code.minor_units().max(4);
            let mut local =
                |name: &str, label: &str, text: &str| match parse_typed_decimal(name, text) {
                    Ok(v) if v >= Decimal::ZERO && v.normalize().scale() <= minor => v.normalize(),
                    _ => {
                        errors.push(FieldError {
                            field: field(name),
                            message: format!(
                                "{label} in {code} \"{}\" must be an amount of 0 or more.",
                                text.trim()
                            ),
                        });
                        Decimal::ZERO
                    }
                };
            let price = local("price", "The price", &p.price);
            let cost = local("cost", "The cost", &p.cost);
            other_prices.push(LocalPrice {
                currency: code,
                price,
                cost,
            });
        }
        let tax_rate_percent = match parse_typed_decimal("tax_rate_percent", &self.tax_rate_percent)
        {
            Ok(v)
                if v >= Decimal::ZERO
                    && v <= Decimal::ONE_HUNDRED
                    && v.normalize().scale() <= 2 =>
            {
                v
            }
            _ => {
                errors.push(FieldError {
                    field: "tax_rate_percent".into(),
                    message: "The tax rate must be a percentage from 0 to 100.".into(),
                });
                Decimal::ZERO
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CatalogItem {
            kind,
            sku: sku.into(),
            name: name.into(),
            unit: unit.into(),
            currency: currency.unwrap_or(Currency::EUR),
            price: price.normalize(),
            cost: cost.normalize(),
            tax_rate_percent: tax_rate_percent.normalize(),
            active: self.active,
            goods: self.goods,
            other_prices,
        })
    }
}
