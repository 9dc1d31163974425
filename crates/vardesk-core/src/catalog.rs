//! Catalog items: what the partner sells, with price, cost and tax rate, in the item's own
//! currency and optionally in others (a Swedish customer's quote takes the SEK price).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::lines::LineKind;
use crate::money::{parse_typed_decimal, Currency};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CatalogItem {
    pub kind: LineKind,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub currency: Currency,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub price: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub cost: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub tax_rate_percent: Decimal,
    pub active: bool,
    /// Goods (hardware) rather than services: decides `K`/`G` against `AE`/`O` (§9).
    #[serde(default)]
    pub goods: bool,
    /// The price and cost in other currencies than `currency`, by currency code.
    #[serde(default)]
    pub other_prices: Vec<LocalPrice>,
    /// A Microsoft licence (§10): its Partner Center ids and, from a price list, its term
    /// and billing frequency.
    #[serde(default)]
    pub microsoft: Option<MsProduct>,
}

/// What makes a catalog item a Microsoft licence (§10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
pub struct MsProduct {
    pub product_id: String,
    pub sku_id: String,
    pub term: Option<crate::nce::Term>,
    pub billing: Option<crate::nce::Billing>,
}

/// An item's price and cost in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct LocalPrice {
    pub currency: Currency,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub price: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct LocalPriceForm {
    pub currency: String,
    pub price: String,
    pub cost: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
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
    /// A Microsoft licence (§10), with its product and SKU ids, term and billing.
    pub ms_licence: bool,
    pub ms_product_id: String,
    pub ms_sku_id: String,
    pub term: String,
    pub ms_billing: String,
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
        let microsoft = self.microsoft(kind, &mut errors);
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
            microsoft,
        })
    }

    /// The Microsoft licence fields, checked: recurring items only, ids as Partner Center
    /// writes them, a term and billing that fit (both optional).
    fn microsoft(&self, kind: LineKind, errors: &mut Vec<FieldError>) -> Option<MsProduct> {
        if !self.ms_licence {
            return None;
        }
        let mut fail = |field: &str, message: &str| {
            errors.push(FieldError {
                field: field.into(),
                message: message.into(),
            })
        };
        if kind == LineKind::OneTime {
            fail(
                "ms_licence",
                "A Microsoft licence is billed monthly or annually.",
            );
        }
        let id = |text: &str| crate::nce::catalog_id(text);
        let product_id = id(&self.ms_product_id).unwrap_or_else(|| {
            fail(
                "ms_product_id",
                "A product id has letters, digits and - only, like CFQ7TTC0LH18.",
            );
            String::new()
        });
        let sku_id = id(&self.ms_sku_id).unwrap_or_else(|| {
            fail(
                "ms_sku_id",
                "A SKU id has letters, digits and - only, like 0001.",
            );
            String::new()
        });
        let term = match self.term.trim() {
            "" => None,
            t => crate::nce::Term::parse(t)
                .map_err(|e| fail("term", &e.message))
                .ok(),
        };
        let billing = match (self.ms_billing.trim(), term) {
            ("", _) => None,
            (b, t) => crate::nce::Billing::parse(b)
                .and_then(|b| t.map_or(Ok(b), |t| b.for_term(t)))
                .map_err(|e| fail("ms_billing", &e.message))
                .ok(),
        };
        Some(MsProduct {
            product_id,
            sku_id,
            term,
            billing,
        })
    }
}
