//! Validation of catalog files: every price non-negative, ids unique unless an entry overrides
//! an earlier one, every offer pointing at a known model and provider, tiers in order. Every
//! problem in every file is collected with its location; nothing is computed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::value::Datetime;

use super::{
    Batch, Catalog, Model, Offer, PartialPrices, PriceList, Provider, Tier, raw, self_hosted,
};
use crate::calendar::Date;
use crate::error::{Diagnostic, Error, Problems, SourceFile, suggest};
use crate::input;
use crate::money::{PerMtok, Share};

/// Builds a catalog from files in precedence order.
pub(super) fn parse(files: &[Arc<SourceFile>]) -> Result<Catalog, Error> {
    let mut problems = Problems::default();
    let mut parsed = Vec::new();
    for file in files {
        match input::parse_toml::<raw::CatalogFile>(file) {
            Ok(raw) => parsed.push((file, raw)),
            Err(error) => problems.extend(error.into()),
        }
    }
    let mut catalog = Catalog::default();
    // Ids of entries that were defined but failed validation: offers naming them are not
    // reported again as naming an unknown id.
    let mut invalid = BTreeSet::new();
    // Providers and models first, from every file, so an offer in a user's file can name a
    // model of the built-in catalog and the other way round.
    for (file, raw) in &parsed {
        let mut check = Checker::new(file, &mut problems);
        for provider in &raw.provider {
            let valid = check.provider(provider);
            if valid.is_none() {
                invalid.insert(provider.id.get_ref().clone());
            }
            if let Some(valid) = valid {
                check.register(
                    &mut catalog.providers,
                    "provider",
                    &provider.id,
                    provider.overrides,
                    valid,
                    |p| &p.defined_in,
                );
            }
        }
        for model in &raw.model {
            let valid = check.model(model);
            if valid.is_none() {
                invalid.insert(model.id.get_ref().clone());
            }
            if let Some(valid) = valid {
                check.register(
                    &mut catalog.models,
                    "model",
                    &model.id,
                    model.overrides,
                    valid,
                    |m| &m.defined_in,
                );
            }
        }
    }
    for (file, raw) in &parsed {
        let mut check = Checker::new(file, &mut problems);
        for offer in &raw.offer {
            if let Some(valid) = check.offer(offer, &catalog, &invalid) {
                let id = Spanned::new(offer.model.span(), valid.id.clone());
                check.register(
                    &mut catalog.offers,
                    "offer",
                    &id,
                    offer.overrides,
                    valid,
                    |o| &o.defined_in,
                );
            }
        }
    }
    self_hosted::register(&parsed, &mut catalog, &mut problems);
    problems.into_result(catalog)
}

/// Checks the entries of one file, pushing every problem it finds.
pub(super) struct Checker<'a> {
    pub(super) file: &'a Arc<SourceFile>,
    pub(super) problems: &'a mut Problems,
}

impl<'a> Checker<'a> {
    pub(super) fn new(file: &'a Arc<SourceFile>, problems: &'a mut Problems) -> Self {
        Self { file, problems }
    }

    pub(super) fn push(
        &mut self,
        span: std::ops::Range<usize>,
        message: String,
        hint: Option<String>,
    ) {
        self.problems
            .push(Diagnostic::at(self.file, span, message).with_optional_hint(hint));
    }

    /// Adds an entry under its id, or reports why it may not be added.
    pub(super) fn register<T>(
        &mut self,
        map: &mut BTreeMap<String, T>,
        kind: &str,
        id: &Spanned<String>,
        overrides: bool,
        value: T,
        defined_in: impl Fn(&T) -> &String,
    ) {
        match (map.get(id.get_ref()), overrides) {
            (Some(existing), false) => {
                let message = format!(
                    "{kind} `{}` is already defined in {}",
                    id.get_ref(),
                    defined_in(existing)
                );
                let hint = format!(
                    "add `overrides = true` to this {kind} to replace it, or give it another id"
                );
                self.push(id.span(), message, Some(hint));
            }
            (None, true) => self.nothing_to_override(kind, id, map),
            _ => {
                map.insert(id.get_ref().clone(), value);
            }
        }
    }

    /// Reports an entry with `overrides = true` whose id no earlier file defines.
    pub(super) fn nothing_to_override<T>(
        &mut self,
        kind: &str,
        id: &Spanned<String>,
        map: &BTreeMap<String, T>,
    ) {
        let message = format!(
            "this {kind} overrides `{}`, but no earlier file defines it",
            id.get_ref()
        );
        let hint = suggest(id.get_ref(), map.keys().map(String::as_str)).map_or_else(
            || "remove `overrides = true` to add a new entry".to_owned(),
            |best| format!("did you mean `{best}`?"),
        );
        self.push(id.span(), message, Some(hint));
    }

    pub(super) fn id(&mut self, kind: &str, id: &Spanned<String>) {
        let text = id.get_ref();
        let valid = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':'));
        if !valid {
            self.push(
                id.span(),
                format!("{kind} id `{text}` may only hold letters, digits and `-_./:`"),
                Some("ids are written in plans as `model@provider`, so they cannot contain `@` or spaces".to_owned()),
            );
        }
    }

    pub(super) fn country(&mut self, key: &str, code: &Spanned<String>) {
        let text = code.get_ref();
        if text.len() != 2 || !text.chars().all(|c| c.is_ascii_uppercase()) {
            self.push(
                code.span(),
                format!("`{key}` must be a two-letter country code (found `{text}`)"),
                Some("use ISO 3166-1 alpha-2, such as `US`, `CN` or `FR`".to_owned()),
            );
        }
    }

    pub(super) fn url(&mut self, key: &str, url: &Spanned<String>) {
        let text = url.get_ref();
        if !(text.starts_with("https://") || text.starts_with("http://")) {
            self.push(
                url.span(),
                format!("`{key}` must be a web address (found `{text}`)"),
                Some("give the page the figure was read from, starting with `https://`".to_owned()),
            );
        }
    }

    /// Where a figure was read: a web address, or any other plain description such as a
    /// contract's name. Required, so it must say something; control characters could rewrite
    /// the terminal it is shown on.
    pub(super) fn source(&mut self, key: &str, source: &Spanned<String>) {
        let text = source.get_ref();
        if text.trim().is_empty() {
            self.push(
                source.span(),
                format!("`{key}` must say where the figure was read (found an empty text)"),
                Some(
                    "give the page it was read from, such as `https://...`, or a document, such as \"contract MSA-2027-04\""
                        .to_owned(),
                ),
            );
        } else if let Some(c) = text.chars().find(|c| c.is_control()) {
            self.push(
                source.span(),
                format!(
                    "`{key}` must not hold control characters (found {})",
                    c.escape_unicode()
                ),
                Some("write it on one line, as plain text".to_owned()),
            );
        }
    }

    pub(super) fn date(&mut self, key: &str, value: &Spanned<Datetime>) -> Option<Date> {
        let datetime = value.get_ref();
        let date = match (datetime.date, datetime.time, datetime.offset) {
            (Some(d), None, None) => Date::new(i32::from(d.year), d.month, d.day),
            _ => None,
        };
        if date.is_none() {
            self.push(
                value.span(),
                format!("`{key}` must be a date (found `{datetime}`)"),
                Some(
                    "write a bare TOML date such as 2026-11-20, without quotes or a time"
                        .to_owned(),
                ),
            );
        }
        date
    }

    pub(super) fn price(&mut self, key: &str, value: &Spanned<Decimal>) -> Option<PerMtok> {
        let price = PerMtok::new(*value.get_ref());
        if price.is_none() {
            self.push(
                value.span(),
                format!("`{key}` must not be negative (found {})", value.get_ref()),
                Some("prices are per 1M tokens in the offer's currency; 0 means free".to_owned()),
            );
        }
        price
    }

    pub(super) fn optional_price(
        &mut self,
        key: &str,
        value: Option<&Spanned<Decimal>>,
    ) -> Result<Option<PerMtok>, ()> {
        match value {
            None => Ok(None),
            Some(v) => self.price(key, v).map(Some).ok_or(()),
        }
    }

    pub(super) fn partial(&mut self, prices: &raw::Prices) -> Option<PartialPrices> {
        self.partial_fields([
            ("input", prices.input.as_ref()),
            ("output", prices.output.as_ref()),
            ("cached_input", prices.cached_input.as_ref()),
            ("cache_write_5m", prices.cache_write_5m.as_ref()),
            ("cache_write_1h", prices.cache_write_1h.as_ref()),
            ("reasoning", prices.reasoning.as_ref()),
        ])
    }

    pub(super) fn partial_fields(
        &mut self,
        fields: [(&str, Option<&Spanned<Decimal>>); 6],
    ) -> Option<PartialPrices> {
        let mut values = [None; 6];
        let mut ok = true;
        for (slot, (key, value)) in values.iter_mut().zip(fields) {
            match self.optional_price(key, value) {
                Ok(price) => *slot = price,
                Err(()) => ok = false,
            }
        }
        let [
            input,
            output,
            cached_input,
            cache_write_5m,
            cache_write_1h,
            reasoning,
        ] = values;
        ok.then_some(PartialPrices {
            input,
            output,
            cached_input,
            cache_write_5m,
            cache_write_1h,
            reasoning,
        })
    }

    pub(super) fn provider(&mut self, raw: &raw::Provider) -> Option<Provider> {
        let before = self.problems_len();
        self.id("provider", &raw.id);
        self.country("country", &raw.country);
        self.url("pricing_url", &raw.pricing_url);
        (self.problems_len() == before).then(|| Provider {
            name: raw.name.clone(),
            country: raw.country.get_ref().clone(),
            pricing_url: raw.pricing_url.get_ref().clone(),
            defined_in: self.file.name.clone(),
        })
    }

    pub(super) fn model(&mut self, raw: &raw::Model) -> Option<Model> {
        let before = self.problems_len();
        self.id("model", &raw.id);
        self.country("origin", &raw.origin);
        if let Some(window) = &raw.context_window
            && *window.get_ref() == 0
        {
            self.push(
                window.span(),
                "`context_window` must be above 0".to_owned(),
                Some("give the most input tokens one request may carry, such as 128000".to_owned()),
            );
        }
        (self.problems_len() == before).then(|| Model {
            name: raw.name.clone(),
            maker: raw.maker.clone(),
            weights: raw.weights,
            license: raw.license.clone(),
            origin: raw.origin.get_ref().clone(),
            context_window: raw.context_window.as_ref().map(|w| *w.get_ref()),
            defined_in: self.file.name.clone(),
        })
    }

    /// The currency code given, or USD; a malformed code is reported.
    pub(super) fn currency(&mut self, code: Option<&Spanned<String>>) -> String {
        let Some(code) = code else {
            return "USD".to_owned();
        };
        let text = code.get_ref();
        if text.len() != 3 || !text.chars().all(|c| c.is_ascii_uppercase()) {
            self.push(
                code.span(),
                format!("`currency` must be a three-letter code (found `{text}`)"),
                Some("use ISO 4217, such as `USD`, `EUR` or `CNY`".to_owned()),
            );
        }
        text.clone()
    }

    pub(super) fn problems_len(&self) -> usize {
        self.problems.len()
    }

    /// Checks an offer. A new offer (or one with `replace = true`) states every required key;
    /// an override states only what it changes and keeps the rest of the entry it overrides.
    pub(super) fn offer(
        &mut self,
        raw: &raw::Offer,
        catalog: &Catalog,
        invalid: &BTreeSet<String>,
    ) -> Option<Offer> {
        let before = self.problems_len();
        let model = raw.model.get_ref();
        let provider = raw.provider.get_ref();
        if invalid.contains(model) || invalid.contains(provider) {
            // Its problems are reported where it is defined; the offer cannot be built without it.
            return None;
        }
        self.model_and_provider(raw, catalog);
        let id = format!("{model}@{provider}");
        // The entry an override builds on; `None` for a new offer or a whole replacement.
        let base = self.override_base(raw, catalog, &id, before).ok()?;
        let currency = self.offer_currency(raw, base, &id);
        let stated = raw.as_of.as_ref().map(|v| self.date("as_of", v).ok_or(()));
        let as_of = self.stated_or_kept(raw, "as_of", stated, base.map(|b| b.as_of));
        let deprecated = match &raw.deprecated {
            Some(value) => self.date("deprecated", value),
            None => base.and_then(|b| b.deprecated),
        };
        let stated = raw.source.as_ref().map(|v| {
            self.source("source", v);
            Ok(v.get_ref().clone())
        });
        let kept = base.map(|b| b.source.clone());
        let source = self.stated_or_kept(raw, "source", stated, kept);
        let stated = raw.input.as_ref().map(|v| self.price("input", v).ok_or(()));
        let input = self.stated_or_kept(raw, "input", stated, base.map(|b| b.base.input));
        let stated = raw
            .output
            .as_ref()
            .map(|v| self.price("output", v).ok_or(()));
        let output = self.stated_or_kept(raw, "output", stated, base.map(|b| b.base.output));
        let rest = self.partial_fields([
            ("input", None),
            ("output", None),
            ("cached_input", raw.cached_input.as_ref()),
            ("cache_write_5m", raw.cache_write_5m.as_ref()),
            ("cache_write_1h", raw.cache_write_1h.as_ref()),
            ("reasoning", raw.reasoning.as_ref()),
        ]);
        if let Some(fee) = &raw.per_request
            && fee.get_ref().is_sign_negative()
            && !fee.get_ref().is_zero()
        {
            self.push(
                fee.span(),
                format!(
                    "`per_request` must not be negative (found {})",
                    fee.get_ref()
                ),
                Some("the fee is charged per request, in the offer's currency".to_owned()),
            );
        }
        let (batch, batch_input_at, tiers) = self.batch_and_tiers(raw, base, &id);
        if self.problems_len() != before {
            return None;
        }
        let rest = rest?;
        let inherit = |key: fn(&PriceList) -> Option<PerMtok>| base.and_then(|b| key(&b.base));
        Some(Offer {
            id,
            model: model.clone(),
            provider: provider.clone(),
            currency,
            as_of: as_of?,
            source: source?,
            deprecated,
            max_input_tokens: raw
                .max_input_tokens
                .as_ref()
                .map(|m| *m.get_ref())
                .or_else(|| base.and_then(|b| b.max_input_tokens)),
            base: PriceList {
                input: input?,
                output: output?,
                cached_input: rest.cached_input.or_else(|| inherit(|p| p.cached_input)),
                cache_write_5m: rest
                    .cache_write_5m
                    .or_else(|| inherit(|p| p.cache_write_5m)),
                cache_write_1h: rest
                    .cache_write_1h
                    .or_else(|| inherit(|p| p.cache_write_1h)),
                reasoning: rest.reasoning.or_else(|| inherit(|p| p.reasoning)),
            },
            per_request: raw
                .per_request
                .as_ref()
                .map(|f| *f.get_ref())
                .or_else(|| base.and_then(|b| b.per_request)),
            batch: batch?,
            tiers: tiers?,
            batch_input_at,
            overridden_by: raw.overrides.then(|| self.file.name.clone()),
            defined_in: self.file.name.clone(),
        })
    }

    pub(super) fn model_and_provider(&mut self, raw: &raw::Offer, catalog: &Catalog) {
        let (model, provider) = (raw.model.get_ref(), raw.provider.get_ref());
        if !catalog.models.contains_key(model) {
            let hint = suggest(model, catalog.models.keys().map(String::as_str)).map_or_else(
                || "define the model in a `[[model]]` table first".to_owned(),
                |b| format!("did you mean `{b}`?"),
            );
            self.push(
                raw.model.span(),
                format!("unknown model `{model}`"),
                Some(hint),
            );
        }
        if !catalog.providers.contains_key(provider) {
            let hint = suggest(provider, catalog.providers.keys().map(String::as_str)).map_or_else(
                || "define the provider in a `[[provider]]` table first".to_owned(),
                |b| format!("did you mean `{b}`?"),
            );
            self.push(
                raw.provider.span(),
                format!("unknown provider `{provider}`"),
                Some(hint),
            );
        }
    }

    /// The offer an override without `replace = true` builds on: `Ok(None)` for a new offer or
    /// a whole replacement, `Err` (reported) when there is nothing to build on.
    pub(super) fn override_base<'c>(
        &mut self,
        raw: &raw::Offer,
        catalog: &'c Catalog,
        id: &str,
        before: usize,
    ) -> Result<Option<&'c Offer>, ()> {
        let replace = raw.replace.as_ref().is_some_and(|r| *r.get_ref());
        if let Some(flag) = &raw.replace
            && !raw.overrides
        {
            self.push(
                flag.span(),
                "`replace` only applies to an offer with `overrides = true`".to_owned(),
                Some("add `overrides = true`, or remove `replace`".to_owned()),
            );
        }
        if !raw.overrides || replace || self.problems_len() != before {
            return Ok(None);
        }
        let base = catalog.offers.get(id);
        if base.is_none() {
            let id = Spanned::new(raw.model.span(), id.to_owned());
            self.nothing_to_override("offer", &id, &catalog.offers);
            return Err(());
        }
        Ok(base)
    }

    /// The offer's currency; an override keeps its base's, and may not change it while keeping
    /// prices stated in the old one.
    pub(super) fn offer_currency(
        &mut self,
        raw: &raw::Offer,
        base: Option<&Offer>,
        id: &str,
    ) -> String {
        let Some(base) = base else {
            return self.currency(raw.currency.as_ref());
        };
        let Some(code) = &raw.currency else {
            return base.currency.clone();
        };
        let currency = self.currency(Some(code));
        if base.currency != currency {
            self.push(
                code.span(),
                format!(
                    "this override changes the currency of `{id}` from {} to {currency}, \
                     but would keep prices stated in {}",
                    base.currency, base.currency
                ),
                Some("add `replace = true` and state every price in the new currency".to_owned()),
            );
        }
        currency
    }

    /// Batch prices and tiers, each kept from the base or replaced whole: a batch table or a
    /// tier list merged key by key would mix the provider's figures with the user's.
    pub(super) fn batch_and_tiers(
        &mut self,
        raw: &raw::Offer,
        base: Option<&Offer>,
        id: &str,
    ) -> (Option<Batch>, Option<String>, Option<Vec<Tier>>) {
        let states_batch = raw.batch_discount.is_some() || raw.batch.is_some();
        let (batch, batch_input_at) = match base {
            Some(base) if !states_batch => (Some(base.batch.clone()), base.batch_input_at.clone()),
            _ => (
                self.batch(raw),
                raw.batch
                    .as_ref()
                    .and_then(|b| b.get_ref().input.as_ref())
                    .map(|input| self.location(input.span())),
            ),
        };
        let tiers = match base {
            Some(base) if raw.tier.is_empty() => {
                if base.tiers.iter().any(|t| t.batch.is_some())
                    && !matches!(batch, Some(Batch::Prices(_)))
                    && let Some(discount) = &raw.batch_discount
                {
                    self.push(
                        discount.span(),
                        format!(
                            "`{id}` keeps its tiers' batch prices, which need the offer's own \
                             `[offer.batch]` prices"
                        ),
                        Some(
                            "restate the tiers without `batch` tables, or state `[offer.batch]` prices"
                                .to_owned(),
                        ),
                    );
                }
                Some(base.tiers.clone())
            }
            _ => self.tiers(raw, batch.as_ref()),
        };
        (batch, batch_input_at, tiers)
    }

    /// A key a new offer must state and an override may keep: the stated value (already
    /// checked), else the kept one, else a reported problem.
    pub(super) fn stated_or_kept<T>(
        &mut self,
        raw: &raw::Offer,
        key: &str,
        stated: Option<Result<T, ()>>,
        kept: Option<T>,
    ) -> Option<T> {
        match (stated, kept) {
            (Some(stated), _) => stated.ok(),
            (None, Some(kept)) => Some(kept),
            (None, None) => {
                self.missing(raw, key);
                None
            }
        }
    }

    /// Reports a key that a new offer must state.
    pub(super) fn missing(&mut self, raw: &raw::Offer, key: &str) {
        let hint = if raw.overrides {
            format!("add `{key} = ...`; with `replace = true` the offer states every key")
        } else {
            format!("add `{key} = ...`; only an offer with `overrides = true` may leave it out")
        };
        self.push(
            raw.model.span(),
            format!("this offer has no `{key}`"),
            Some(hint),
        );
    }

    /// `FILE:LINE:COL` of a byte range of this file.
    pub(super) fn location(&self, span: std::ops::Range<usize>) -> String {
        let (line, column) = self.file.line_column(span.start);
        format!("{}:{line}:{column}", self.file.name)
    }

    pub(super) fn batch(&mut self, raw: &raw::Offer) -> Option<Batch> {
        match (&raw.batch_discount, &raw.batch) {
            (Some(_), Some(prices)) => {
                self.push(
                    prices.span(),
                    "an offer has either `batch_discount` or a `[offer.batch]` table, not both"
                        .to_owned(),
                    Some("keep the one the provider's page states".to_owned()),
                );
                None
            }
            (Some(discount), None) => {
                let share = Share::new(*discount.get_ref());
                if share.is_none() {
                    self.push(
                        discount.span(),
                        format!(
                            "`batch_discount` must be between 0 and 1 (found {})",
                            discount.get_ref()
                        ),
                        Some("0.5 means batch requests cost half".to_owned()),
                    );
                }
                share.map(Batch::Discount)
            }
            (None, Some(prices)) => self.partial(prices.get_ref()).map(Batch::Prices),
            (None, None) => Some(Batch::Unavailable),
        }
    }

    pub(super) fn tiers(&mut self, raw: &raw::Offer, batch: Option<&Batch>) -> Option<Vec<Tier>> {
        let mut tiers = Vec::with_capacity(raw.tier.len());
        let mut previous: Option<u64> = None;
        let mut ok = true;
        for tier in &raw.tier {
            let threshold = *tier.above_input_tokens.get_ref();
            if let Some(previous) = previous
                && threshold <= previous
            {
                self.push(
                    tier.above_input_tokens.span(),
                    format!(
                        "tier threshold {threshold} is not above the previous tier's {previous}"
                    ),
                    Some(
                        "list tiers in order of strictly increasing `above_input_tokens`"
                            .to_owned(),
                    ),
                );
                ok = false;
            }
            previous = Some(threshold);
            let prices = self.partial_fields([
                ("input", tier.input.as_ref()),
                ("output", tier.output.as_ref()),
                ("cached_input", tier.cached_input.as_ref()),
                ("cache_write_5m", tier.cache_write_5m.as_ref()),
                ("cache_write_1h", tier.cache_write_1h.as_ref()),
                ("reasoning", tier.reasoning.as_ref()),
            ]);
            if prices.is_some_and(|p| p == PartialPrices::default()) {
                self.push(
                    tier.above_input_tokens.span(),
                    "this tier changes no price".to_owned(),
                    Some("give at least one of `input`, `output`, `cached_input`, `cache_write_5m`, `cache_write_1h`, `reasoning`".to_owned()),
                );
                ok = false;
            }
            let tier_batch = match &tier.batch {
                None => Some(None),
                Some(prices) => {
                    if !matches!(batch, Some(Batch::Prices(_))) {
                        self.push(
                            prices.span(),
                            "a tier's `batch` prices need the offer's own `[offer.batch]` prices".to_owned(),
                            Some("with `batch_discount`, the discount applies to tier prices too; remove this table".to_owned()),
                        );
                        ok = false;
                    }
                    self.partial(prices.get_ref()).map(Some)
                }
            };
            let input_at = tier.input.as_ref().map(|i| self.location(i.span()));
            let batch_input_at = tier
                .batch
                .as_ref()
                .and_then(|b| b.get_ref().input.as_ref())
                .map(|i| self.location(i.span()));
            match (prices, tier_batch) {
                (Some(prices), Some(batch)) => tiers.push(Tier {
                    above_input_tokens: threshold,
                    scope: tier.applies_to,
                    prices,
                    batch,
                    input_at,
                    batch_input_at,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(tiers)
    }
}
