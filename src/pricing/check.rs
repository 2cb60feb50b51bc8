//! Validation of catalog files: every price non-negative, ids unique unless an entry overrides
//! an earlier one, every offer pointing at a known model and provider, tiers in order. Every
//! problem in every file is collected with its location; nothing is computed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::value::Datetime;

use super::{
    Catalog, Model, Offer, PriceChange, PriceList, Prices, Provider, Service, ServiceTier,
    Threshold, Tier, raw, self_hosted,
};
use crate::calendar::{DATE_RANGE, Date};
use crate::component::{Component, PerComponent, Unit};
use crate::error::{Diagnostic, Error, Problems, SourceFile, suggest};
use crate::input;
use crate::money::{Price, Share};

/// An offer's service-tier prices (`None` if invalid), where each table's `input` was written,
/// and its long-context tiers (`None` if invalid).
type ServicesAndTiers = (
    Option<BTreeMap<ServiceTier, Service>>,
    BTreeMap<ServiceTier, String>,
    Option<Vec<Tier>>,
);

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
    check_aliases(&parsed, &catalog, &mut problems);
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

/// An alias names one model: it is no model's id and no other model's alias. Only the models
/// that made it into the catalog count, so an override replaces the aliases of what it replaces.
fn check_aliases(
    parsed: &[(&Arc<SourceFile>, raw::CatalogFile)],
    catalog: &Catalog,
    problems: &mut Problems,
) {
    let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
    for (file, raw) in parsed {
        let mut check = Checker::new(file, problems);
        for model in &raw.model {
            let id = model.id.get_ref();
            let kept = catalog
                .models
                .get(id)
                .is_some_and(|m| m.defined_in == file.name);
            if !kept {
                continue;
            }
            for alias in &model.aliases {
                let text = alias.get_ref().as_str();
                if catalog.models.contains_key(text) {
                    check.push(
                        alias.span(),
                        format!("alias `{text}` of model `{id}` is the id of a model"),
                        Some("remove the alias: the model's own id already maps to it".to_owned()),
                    );
                } else if let Some(owner) = owners.insert(text, id) {
                    check.push(
                        alias.span(),
                        format!("alias `{text}` of model `{id}` is already an alias of `{owner}`"),
                        Some(
                            "an alias names one model; usage records with it would be ambiguous"
                                .to_owned(),
                        ),
                    );
                }
            }
        }
    }
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
        let date = Date::from_toml(datetime);
        if date.is_none() {
            let (message, hint) = if datetime.time.is_none() && datetime.date.is_some() {
                // A bare date that TOML accepts but whose year has not four digits.
                (
                    format!("`{key}` must be a date {DATE_RANGE} (found `{datetime}`)"),
                    "years have four digits, from 1000 to 9999",
                )
            } else {
                (
                    format!("`{key}` must be a date (found `{datetime}`)"),
                    "write a bare TOML date such as 2026-11-20, without quotes or a time",
                )
            };
            self.push(value.span(), message, Some(hint.to_owned()));
        }
        date
    }

    /// A stated price, checked not to be negative.
    pub(super) fn price(
        &mut self,
        component: Component,
        value: &Spanned<Decimal>,
    ) -> Option<Price> {
        let price = Price::new(*value.get_ref());
        if price.is_none() {
            let hint = match component.unit() {
                Unit::PerMtok => "prices are per 1M tokens in the offer's currency; 0 means free",
                Unit::PerCall => "the price is per call, in the offer's currency; 0 means free",
                Unit::PerRequest => "the fee is charged per request, in the offer's currency",
            };
            self.push(
                value.span(),
                format!(
                    "`{}` must not be negative (found {})",
                    component.key(),
                    value.get_ref()
                ),
                Some(hint.to_owned()),
            );
        }
        price
    }

    /// Every price a table states, each checked; `None` if any is invalid (and reported).
    pub(super) fn prices<'t>(
        &mut self,
        stated: impl Fn(Component) -> Option<&'t Spanned<Decimal>>,
    ) -> Option<Prices> {
        let mut ok = true;
        let prices = PerComponent::from_fn(|component| {
            let price = stated(component).map(|value| self.price(component, value));
            ok &= !matches!(price, Some(None));
            price.flatten()
        });
        ok.then_some(prices)
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
        for alias in &raw.aliases {
            let text = alias.get_ref();
            if text.is_empty() || text.contains('@') || text.chars().any(char::is_whitespace) {
                self.push(
                    alias.span(),
                    format!("alias `{}` must be a non-empty name without `@` or spaces", text.escape_debug()),
                    Some("an alias is a model name as usage exports write it, such as `gpt-4o-2024-08-06`".to_owned()),
                );
            }
        }
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
            aliases: raw.aliases.iter().map(|a| a.get_ref().clone()).collect(),
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
        let stated = self.prices(|component| raw.price(component));
        // An override keeps every price it does not state.
        let prices = stated.map(|stated| match base {
            Some(base) => PerComponent::from_fn(|c| stated[c].or(base.base.get(c))),
            None => stated,
        });
        if let Some(prices) = &prices {
            for required in [Component::Input, Component::Output] {
                if prices[required].is_none() {
                    self.missing(raw, required.key());
                }
            }
        }
        let (services, service_input_at, tiers) = self.services_and_tiers(raw, base, &id);
        let base_list = prices.and_then(PriceList::new);
        let changes = self.changes(raw, base, base_list.as_ref(), as_of, source.as_ref());
        if self.problems_len() != before {
            return None;
        }
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
            base: PriceList::new(prices?)?,
            services: services?,
            tiers: tiers?,
            changes: changes?,
            service_input_at,
            overridden_by: raw.overrides.then(|| self.file.name.clone()),
            defined_in: self.file.name.clone(),
        })
    }

    /// The offer's dated changes, each laid over the list in force before it. An override that
    /// states none keeps its base's, laid over its own prices; one that states some replaces
    /// them all, as with tiers. A change dated before the offer's `as_of` is history and
    /// allowed: the offer's own prices are those in force before its first change.
    fn changes(
        &mut self,
        raw: &raw::Offer,
        base: Option<&Offer>,
        list: Option<&PriceList>,
        as_of: Option<Date>,
        source: Option<&String>,
    ) -> Option<Vec<PriceChange>> {
        let kept: Vec<(Date, Prices, Date, String)>;
        let stated: Vec<(Date, Prices, Date, String)> = if raw.change.is_empty() {
            kept = base.map_or_else(Vec::new, |b| {
                b.changes
                    .iter()
                    .map(|c| (c.from, c.stated, c.as_of, c.source.clone()))
                    .collect()
            });
            kept
        } else {
            let mut checked = Vec::with_capacity(raw.change.len());
            let mut previous: Option<Date> = None;
            let mut ok = true;
            for change in &raw.change {
                let from = self.date("from", &change.from);
                if let (Some(from), Some(previous)) = (from, previous)
                    && from <= previous
                {
                    let (message, hint) = if from == previous {
                        (
                            format!("two changes of this offer take effect on {from}"),
                            "merge them into one change: a day has one price".to_owned(),
                        )
                    } else {
                        (
                            format!(
                                "this change takes effect on {from}, before the previous change's {previous}"
                            ),
                            "list changes oldest first, each `from` later than the one before"
                                .to_owned(),
                        )
                    };
                    self.push(change.from.span(), message, Some(hint));
                    ok = false;
                }
                previous = from.or(previous);
                let prices = self.prices(|component| change.price(component));
                if prices.is_some_and(|p| p.values().all(Option::is_none)) {
                    let keys: Vec<String> = Component::ALL
                        .iter()
                        .map(|c| format!("`{}`", c.key()))
                        .collect();
                    self.push(
                        change.from.span(),
                        "this change changes no price".to_owned(),
                        Some(format!("give at least one of {}", keys.join(", "))),
                    );
                    ok = false;
                }
                let change_as_of = match &change.as_of {
                    Some(value) => self.date("as_of", value),
                    None => as_of,
                };
                let change_source = match &change.source {
                    Some(value) => {
                        self.source("source", value);
                        Some(value.get_ref().clone())
                    }
                    None => source.cloned(),
                };
                match (from, prices, change_as_of, change_source) {
                    (Some(from), Some(prices), Some(as_of), Some(source)) => {
                        checked.push((from, prices, as_of, source));
                    }
                    _ => ok = false,
                }
            }
            if !ok {
                return None;
            }
            checked
        };
        let mut in_force = *list?;
        Some(
            stated
                .into_iter()
                .map(|(from, stated, as_of, source)| {
                    in_force = in_force.overlaid(&stated);
                    PriceChange {
                        from,
                        stated,
                        list: in_force,
                        as_of,
                        source,
                    }
                })
                .collect(),
        )
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

    /// Service-tier prices and long-context tiers, each kept from the base or replaced whole:
    /// a table or a tier list merged key by key would mix the provider's figures with the user's.
    pub(super) fn services_and_tiers(
        &mut self,
        raw: &raw::Offer,
        base: Option<&Offer>,
        id: &str,
    ) -> ServicesAndTiers {
        let mut services = Some(BTreeMap::new());
        let mut input_at = BTreeMap::new();
        for tier in ServiceTier::ALL {
            let states = raw.service(tier).is_some()
                || (tier == ServiceTier::Batch && raw.batch_discount.is_some());
            let service = match base {
                Some(base) if !states => {
                    if let Some(at) = base.service_input_at.get(&tier) {
                        input_at.insert(tier, at.clone());
                    }
                    Some(base.service(tier).clone())
                }
                _ => {
                    let stated_input = raw
                        .service(tier)
                        .and_then(|table| table.get_ref().input.as_ref());
                    if let Some(input) = stated_input {
                        input_at.insert(tier, self.location(input.span()));
                    }
                    self.service(raw, tier)
                }
            };
            match (service, &mut services) {
                (Some(service), Some(map)) => {
                    map.insert(tier, service);
                }
                _ => services = None,
            }
        }
        let tiers = match base {
            Some(base) if raw.tier.is_empty() => {
                // Kept tiers' own service prices need the offer's own such prices.
                for tier in ServiceTier::ALL {
                    let needs = base.tiers.iter().any(|t| t.services.contains_key(&tier));
                    let has = services
                        .as_ref()
                        .is_none_or(|s| matches!(s.get(&tier), Some(Service::Prices(_))));
                    if needs
                        && !has
                        && let Some(discount) = &raw.batch_discount
                    {
                        self.push(
                            discount.span(),
                            format!(
                                "`{id}` keeps its tiers' {} prices, which need the offer's own \
                                 `[offer.{}]` prices",
                                tier.key(),
                                tier.key()
                            ),
                            Some(format!(
                                "restate the tiers without `{}` tables, or state `[offer.{}]` prices",
                                tier.key(),
                                tier.key()
                            )),
                        );
                    }
                }
                Some(base.tiers.clone())
            }
            _ => self.tiers(raw, services.as_ref()),
        };
        (services, input_at, tiers)
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

    /// How the offer prices one service tier: a discount (batch only), a table, or not at all.
    pub(super) fn service(&mut self, raw: &raw::Offer, tier: ServiceTier) -> Option<Service> {
        let discount = match tier {
            ServiceTier::Batch => raw.batch_discount.as_ref(),
            ServiceTier::Flex | ServiceTier::Priority => None,
        };
        match (discount, raw.service(tier)) {
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
                share.map(Service::Discount)
            }
            (None, Some(prices)) => {
                let table = prices.get_ref();
                self.prices(|component| table.price(component))
                    .map(Service::Prices)
            }
            (None, None) => Some(Service::Unavailable),
        }
    }

    pub(super) fn tiers(
        &mut self,
        raw: &raw::Offer,
        services: Option<&BTreeMap<ServiceTier, Service>>,
    ) -> Option<Vec<Tier>> {
        let mut tiers = Vec::with_capacity(raw.tier.len());
        let mut previous: Option<Threshold> = None;
        let mut ok = true;
        for tier in &raw.tier {
            let Some((threshold, span)) = self.threshold(raw, tier) else {
                ok = false;
                continue;
            };
            if let Some(previous) = previous
                && threshold.below() <= previous.below()
            {
                self.push(
                    span.clone(),
                    format!(
                        "tier threshold {} is not above the previous tier's {}",
                        threshold.below(),
                        previous.below()
                    ),
                    Some("list tiers in order of strictly increasing thresholds".to_owned()),
                );
                ok = false;
            }
            previous = Some(threshold);
            let prices = self.prices(|component| tier.price(component));
            if prices.is_some_and(|p| p.values().all(Option::is_none)) {
                let keys: Vec<String> = Component::ALL
                    .iter()
                    .map(|c| format!("`{}`", c.key()))
                    .collect();
                self.push(
                    span.clone(),
                    "this tier changes no price".to_owned(),
                    Some(format!("give at least one of {}", keys.join(", "))),
                );
                ok = false;
            }
            let mut own_services = BTreeMap::new();
            let mut service_input_at = BTreeMap::new();
            for service in ServiceTier::ALL {
                let Some(table) = tier.service(service) else {
                    continue;
                };
                let offer_lists =
                    services.is_none_or(|s| matches!(s.get(&service), Some(Service::Prices(_))));
                if !offer_lists {
                    let hint = if service == ServiceTier::Batch && raw.batch_discount.is_some() {
                        "with `batch_discount`, the discount applies to tier prices too; remove this table".to_owned()
                    } else {
                        format!(
                            "state `[offer.{}]` prices for the offer first",
                            service.key()
                        )
                    };
                    self.push(
                        table.span(),
                        format!(
                            "a tier's `{}` prices need the offer's own `[offer.{}]` prices",
                            service.key(),
                            service.key()
                        ),
                        Some(hint),
                    );
                    ok = false;
                }
                if let Some(input) = &table.get_ref().input {
                    service_input_at.insert(service, self.location(input.span()));
                }
                let table = table.get_ref();
                match self.prices(|component| table.price(component)) {
                    Some(prices) => {
                        own_services.insert(service, prices);
                    }
                    None => ok = false,
                }
            }
            let input_at = tier.input.as_ref().map(|i| self.location(i.span()));
            if let Some(prices) = prices {
                tiers.push(Tier {
                    threshold,
                    scope: tier.applies_to,
                    prices,
                    services: own_services,
                    input_at,
                    service_input_at,
                });
            } else {
                ok = false;
            }
        }
        ok.then_some(tiers)
    }

    /// A tier's threshold: exactly one of `above_input_tokens` and `from_input_tokens`.
    fn threshold(
        &mut self,
        raw: &raw::Offer,
        tier: &raw::Tier,
    ) -> Option<(Threshold, std::ops::Range<usize>)> {
        match (&tier.above_input_tokens, &tier.from_input_tokens) {
            (Some(above), None) => Some((
                Threshold {
                    input_tokens: *above.get_ref(),
                    inclusive: false,
                },
                above.span(),
            )),
            (None, Some(from)) => Some((
                Threshold {
                    input_tokens: *from.get_ref(),
                    inclusive: true,
                },
                from.span(),
            )),
            (Some(_), Some(from)) => {
                self.push(
                    from.span(),
                    "a tier states either `above_input_tokens` or `from_input_tokens`, not both"
                        .to_owned(),
                    Some(
                        "`above_input_tokens = N` is for more than N prompt tokens, \
                         `from_input_tokens = N` for N or more"
                            .to_owned(),
                    ),
                );
                None
            }
            (None, None) => {
                self.push(
                    raw.model.span(),
                    "a tier of this offer has no threshold".to_owned(),
                    Some(
                        "add `above_input_tokens = N` (more than N prompt tokens) or \
                         `from_input_tokens = N` (N or more)"
                            .to_owned(),
                    ),
                );
                None
            }
        }
    }
}
