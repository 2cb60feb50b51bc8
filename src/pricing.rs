//! The validated catalog: models, providers and offers with their price lists.
//!
//! Catalog files are parsed into [`raw`] shapes, then checked here: every price non-negative, ids
//! unique unless an entry says it overrides an earlier one, every offer pointing at a known model
//! and provider, tiers in order. All problems in all files are reported together. Nothing here
//! computes a cost.

mod default;
pub mod raw;
mod self_hosted;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::value::Datetime;

use crate::calendar::Date;
use crate::error::{Diagnostic, Error, Problems, SourceFile, suggest};
use crate::input;
use crate::money::{PerMtok, Share};
pub use raw::{GpuPricing, TierScope, Weights};
pub use self_hosted::{Deployment, Gpu, GpuOffer};

/// Who serves models and bills for them.
#[derive(Debug, Clone)]
pub struct Provider {
    pub(crate) name: String,
    pub(crate) country: String,
    pub(crate) pricing_url: String,
    defined_in: String,
}

impl Provider {
    /// The provider's own pricing page.
    #[must_use]
    pub fn pricing_url(&self) -> &str {
        &self.pricing_url
    }
}

/// A set of weights (open) or a closed model.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) name: String,
    pub(crate) maker: String,
    pub(crate) weights: Weights,
    pub(crate) license: String,
    pub(crate) origin: String,
    /// `None` where no source gives it; requests are then not checked against it.
    pub(crate) context_window: Option<u64>,
    defined_in: String,
}

/// A full price list, per 1M tokens in the offer's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceList {
    pub(crate) input: PerMtok,
    pub(crate) output: PerMtok,
    pub(crate) cached_input: Option<PerMtok>,
    pub(crate) cache_write_5m: Option<PerMtok>,
    pub(crate) cache_write_1h: Option<PerMtok>,
    /// `None` means reasoning tokens are billed at the output price.
    pub(crate) reasoning: Option<PerMtok>,
}

/// The prices a tier or a batch list changes; `None` keeps the price it is laid over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartialPrices {
    pub(crate) input: Option<PerMtok>,
    pub(crate) output: Option<PerMtok>,
    pub(crate) cached_input: Option<PerMtok>,
    pub(crate) cache_write_5m: Option<PerMtok>,
    pub(crate) cache_write_1h: Option<PerMtok>,
    pub(crate) reasoning: Option<PerMtok>,
}

impl PriceList {
    /// This list with `over`'s prices replacing its own where `over` has them.
    #[must_use]
    pub fn overlaid(self, over: &PartialPrices) -> PriceList {
        PriceList {
            input: over.input.unwrap_or(self.input),
            output: over.output.unwrap_or(self.output),
            cached_input: over.cached_input.or(self.cached_input),
            cache_write_5m: over.cache_write_5m.or(self.cache_write_5m),
            cache_write_1h: over.cache_write_1h.or(self.cache_write_1h),
            reasoning: over.reasoning.or(self.reasoning),
        }
    }

    /// Every price times `factor` (a batch discount leaves `1 - discount`).
    #[must_use]
    pub fn scaled(self, factor: Share) -> PriceList {
        PriceList {
            input: self.input.scaled(factor),
            output: self.output.scaled(factor),
            cached_input: self.cached_input.map(|p| p.scaled(factor)),
            cache_write_5m: self.cache_write_5m.map(|p| p.scaled(factor)),
            cache_write_1h: self.cache_write_1h.map(|p| p.scaled(factor)),
            reasoning: self.reasoning.map(|p| p.scaled(factor)),
        }
    }
}

/// How an offer prices batch requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    /// No batch API: batch requests are billed at normal prices, and the report says so.
    Unavailable,
    /// Every token price times `1 - discount`.
    Discount(Share),
    /// Listed batch prices laid over the normal ones.
    Prices(PartialPrices),
}

/// A long-context tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    /// Applies to requests whose input tokens are strictly above this.
    pub(crate) above_input_tokens: u64,
    pub(crate) scope: TierScope,
    pub(crate) prices: PartialPrices,
    /// Batch prices in this tier, when the offer lists batch prices rather than a discount.
    pub(crate) batch: Option<PartialPrices>,
    /// `FILE:LINE:COL` of the tier's `input` and of its batch `input`, where stated.
    input_at: Option<String>,
    batch_input_at: Option<String>,
}

/// A table laid over an offer's base prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overlay {
    /// The offer's `[offer.batch]` prices.
    Batch,
    /// A long-context tier.
    Tier,
    /// A tier's own `batch` prices, laid over the tier's.
    TierBatch,
}

/// A cache price an overlay keeps from the prices it is laid over although it changes the input
/// price: a $6 tier over a $3 base that states no `cached_input` bills cache hits at the base's
/// $0.30, which is rarely what the provider charges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InheritedCachePrice {
    pub overlay: Overlay,
    /// The tier's threshold; `None` for the offer's own batch prices.
    pub above_input_tokens: Option<u64>,
    /// `cached_input`, `cache_write_5m` or `cache_write_1h`.
    pub key: &'static str,
    /// `FILE:LINE:COL` of the overlay's `input`.
    pub at: String,
}

impl PartialPrices {
    /// The cache prices `under` has that these prices keep although they change `input`.
    fn inherited_cache_keys(&self, under: &PriceList) -> Vec<&'static str> {
        if self.input.is_none_or(|input| input == under.input) {
            return Vec::new();
        }
        [
            ("cached_input", under.cached_input, self.cached_input),
            ("cache_write_5m", under.cache_write_5m, self.cache_write_5m),
            ("cache_write_1h", under.cache_write_1h, self.cache_write_1h),
        ]
        .into_iter()
        .filter(|(_, under, over)| under.is_some() && over.is_none())
        .map(|(key, _, _)| key)
        .collect()
    }
}

/// One model at one provider, with its prices and where they were read.
#[derive(Debug, Clone)]
pub struct Offer {
    /// `model@provider`.
    pub(crate) id: String,
    pub(crate) model: String,
    pub(crate) provider: String,
    pub(crate) currency: String,
    pub(crate) as_of: Date,
    pub(crate) source: String,
    pub(crate) deprecated: Option<Date>,
    /// The provider's own input limit, where it is below the model's context window.
    pub(crate) max_input_tokens: Option<u64>,
    pub(crate) base: PriceList,
    /// A fee per request in `currency`.
    pub(crate) per_request: Option<Decimal>,
    pub(crate) batch: Batch,
    /// Ordered by strictly increasing threshold.
    pub(crate) tiers: Vec<Tier>,
    /// `FILE:LINE:COL` of the `input` of `[offer.batch]`, where stated.
    batch_input_at: Option<String>,
    /// The file of the last `overrides = true` entry that changed this offer, if any.
    pub(crate) overridden_by: Option<String>,
    defined_in: String,
}

impl Offer {
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The most input tokens a request may carry here: the provider's limit, else the model's
    /// context window; `None` if neither is known.
    #[must_use]
    pub fn input_limit(&self, catalog: &Catalog) -> Option<u64> {
        self.max_input_tokens
            .or_else(|| catalog.model(&self.model).and_then(|m| m.context_window))
    }

    /// The file this offer was last defined or overridden in.
    #[must_use]
    pub fn defined_in(&self) -> &str {
        &self.defined_in
    }

    /// Every cache price that a tier or batch table keeps from below although it changes the
    /// input price, in the order the tables are written.
    #[must_use]
    pub fn inherited_cache_prices(&self) -> Vec<InheritedCachePrice> {
        let mut found = Vec::new();
        let mut push =
            |overlay, above, over: &PartialPrices, under: &PriceList, at: &Option<String>| {
                for key in over.inherited_cache_keys(under) {
                    found.push(InheritedCachePrice {
                        overlay,
                        above_input_tokens: above,
                        key,
                        at: at.clone().unwrap_or_else(|| self.defined_in.clone()),
                    });
                }
            };
        if let Batch::Prices(batch) = &self.batch {
            push(
                Overlay::Batch,
                None,
                batch,
                &self.base,
                &self.batch_input_at,
            );
        }
        for tier in &self.tiers {
            let above = Some(tier.above_input_tokens);
            push(
                Overlay::Tier,
                above,
                &tier.prices,
                &self.base,
                &tier.input_at,
            );
            if let Some(batch) = &tier.batch {
                let under = self.base.overlaid(&tier.prices);
                push(
                    Overlay::TierBatch,
                    above,
                    batch,
                    &under,
                    &tier.batch_input_at,
                );
            }
        }
        found
    }
}

/// Every model, provider and offer costcalc knows, keyed and ordered by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub(crate) providers: BTreeMap<String, Provider>,
    pub(crate) models: BTreeMap<String, Model>,
    pub(crate) offers: BTreeMap<String, Offer>,
    pub(crate) gpus: BTreeMap<String, Gpu>,
    pub(crate) gpu_offers: BTreeMap<String, GpuOffer>,
    /// Keyed `model@id`, like offers.
    pub(crate) deployments: BTreeMap<String, Deployment>,
}

/// What a route of a plan points at.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// Priced by token.
    Api(&'a Offer),
    /// Priced by capacity: GPUs rented whether busy or not.
    SelfHosted(&'a Deployment),
}

/// Where the catalog comes from.
#[derive(Debug, Clone, Default)]
pub struct CatalogSources {
    /// Files or folders of the user's, read after the default catalog.
    pub paths: Vec<PathBuf>,
    /// Leave the built-in catalog out and use only `paths`.
    pub no_default: bool,
}

impl Catalog {
    /// Reads the user's files and builds the catalog on top of the built-in one.
    ///
    /// # Errors
    /// An I/O error, or [`Error::Invalid`] with every problem in every file.
    pub fn load(sources: &CatalogSources) -> Result<Catalog, Error> {
        let read = input::read_paths(&sources.paths)?;
        if !read.skipped_scenarios.is_empty() {
            // A warning, not an error: the run goes on without them. Nothing else in the
            // library writes to stderr, but no report has a place for this.
            let mut stderr = std::io::stderr().lock();
            for path in &read.skipped_scenarios {
                let _ = writeln!(stderr, "{}", skipped_scenario_note(path));
            }
        }
        let mut files = if sources.no_default {
            Vec::new()
        } else {
            default::files()
        };
        files.extend(
            read.files
                .into_iter()
                .filter(|f| sources.no_default || Catalog::builtin_copy(f).is_none()),
        );
        Catalog::parse(&files)
    }

    /// The name of the built-in file that `file` is an exact copy of, if any. Such a copy adds
    /// nothing on top of the built-in catalog, so it is read once, not twice.
    #[must_use]
    pub fn builtin_copy(file: &SourceFile) -> Option<&'static str> {
        default::same_as(&file.text)
    }

    /// The built-in catalog alone.
    ///
    /// # Errors
    /// Only if the embedded files are invalid, which a test rules out.
    pub fn builtin() -> Result<Catalog, Error> {
        Catalog::parse(&default::files())
    }

    /// The files of the built-in catalog, to build on.
    #[must_use]
    pub fn builtin_files() -> Vec<Arc<SourceFile>> {
        default::files()
    }

    /// Builds a catalog from files in precedence order: a later file may replace an earlier
    /// entry only if it says `overrides = true`.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem found.
    pub fn parse(files: &[Arc<SourceFile>]) -> Result<Catalog, Error> {
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

    /// The offer named `model@provider`, or an error message with the closest names.
    ///
    /// # Errors
    /// A message and a hint, for the caller to place.
    pub fn offer(&self, id: &str) -> Result<&Offer, (String, String)> {
        if let Some(offer) = self.offers.get(id) {
            return Ok(offer);
        }
        let message = format!("unknown offer `{id}`");
        let (model, provider) = id.split_once('@').unwrap_or((id, ""));
        let at_model: Vec<&str> = self
            .offers
            .values()
            .filter(|o| o.model == model)
            .map(|o| o.id.as_str())
            .collect();
        let hint = if let Some(best) = suggest(id, self.offers.keys().map(String::as_str)) {
            format!("did you mean `{best}`?")
        } else if !at_model.is_empty() {
            format!("`{model}` is offered as {}", list(&at_model))
        } else if provider.is_empty() {
            "name an offer as `model@provider`, such as `gpt-5@openai`; `costcalc check` on the \
             pricing files lists what is defined"
                .to_owned()
        } else {
            format!(
                "no offer of a model named `{model}` is in the catalog; add one with `--pricing`"
            )
        };
        Err((message, hint))
    }

    #[must_use]
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.models.get(id)
    }

    #[must_use]
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.get(id)
    }

    /// Every offer, ordered by id.
    pub fn offers(&self) -> impl Iterator<Item = &Offer> {
        self.offers.values()
    }

    /// What a plan's route names: an API offer, or a self-hosted deployment.
    ///
    /// # Errors
    /// A message and a hint, for the caller to place.
    pub fn target(&self, id: &str) -> Result<Target<'_>, (String, String)> {
        if let Some(deployment) = self.deployments.get(id) {
            return Ok(Target::SelfHosted(deployment));
        }
        match self.offer(id) {
            Ok(offer) => Ok(Target::Api(offer)),
            Err((message, hint)) => {
                // A deployment may be the closer name.
                let names = self
                    .offers
                    .keys()
                    .chain(self.deployments.keys())
                    .map(String::as_str);
                match suggest(id, names) {
                    Some(best) => Err((message, format!("did you mean `{best}`?"))),
                    None => Err((message, hint)),
                }
            }
        }
    }

    #[must_use]
    pub fn deployment(&self, id: &str) -> Option<&Deployment> {
        self.deployments.get(id)
    }

    #[must_use]
    pub fn gpu_offer(&self, id: &str) -> Option<&GpuOffer> {
        self.gpu_offers.get(id)
    }

    #[must_use]
    pub fn gpu(&self, id: &str) -> Option<&Gpu> {
        self.gpus.get(id)
    }
}

/// The note for a scenario found in a `--pricing` folder and left out.
#[must_use]
pub fn skipped_scenario_note(path: &std::path::Path) -> String {
    format!(
        "note: skipped `{}`: it holds a `[scenario]` table, so it is a scenario, not pricing",
        path.display()
    )
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks the entries of one file, pushing every problem it finds.
struct Checker<'a> {
    file: &'a Arc<SourceFile>,
    problems: &'a mut Problems,
}

impl<'a> Checker<'a> {
    fn new(file: &'a Arc<SourceFile>, problems: &'a mut Problems) -> Self {
        Self { file, problems }
    }

    fn push(&mut self, span: std::ops::Range<usize>, message: String, hint: Option<String>) {
        self.problems
            .push(Diagnostic::at(self.file, span, message).with_optional_hint(hint));
    }

    /// Adds an entry under its id, or reports why it may not be added.
    fn register<T>(
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
    fn nothing_to_override<T>(
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

    fn id(&mut self, kind: &str, id: &Spanned<String>) {
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

    fn country(&mut self, key: &str, code: &Spanned<String>) {
        let text = code.get_ref();
        if text.len() != 2 || !text.chars().all(|c| c.is_ascii_uppercase()) {
            self.push(
                code.span(),
                format!("`{key}` must be a two-letter country code (found `{text}`)"),
                Some("use ISO 3166-1 alpha-2, such as `US`, `CN` or `FR`".to_owned()),
            );
        }
    }

    fn url(&mut self, key: &str, url: &Spanned<String>) {
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
    fn source(&mut self, key: &str, source: &Spanned<String>) {
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

    fn date(&mut self, key: &str, value: &Spanned<Datetime>) -> Option<Date> {
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

    fn price(&mut self, key: &str, value: &Spanned<Decimal>) -> Option<PerMtok> {
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

    fn optional_price(
        &mut self,
        key: &str,
        value: Option<&Spanned<Decimal>>,
    ) -> Result<Option<PerMtok>, ()> {
        match value {
            None => Ok(None),
            Some(v) => self.price(key, v).map(Some).ok_or(()),
        }
    }

    fn partial(&mut self, prices: &raw::Prices) -> Option<PartialPrices> {
        self.partial_fields([
            ("input", prices.input.as_ref()),
            ("output", prices.output.as_ref()),
            ("cached_input", prices.cached_input.as_ref()),
            ("cache_write_5m", prices.cache_write_5m.as_ref()),
            ("cache_write_1h", prices.cache_write_1h.as_ref()),
            ("reasoning", prices.reasoning.as_ref()),
        ])
    }

    fn partial_fields(
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

    fn provider(&mut self, raw: &raw::Provider) -> Option<Provider> {
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

    fn model(&mut self, raw: &raw::Model) -> Option<Model> {
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
    fn currency(&mut self, code: Option<&Spanned<String>>) -> String {
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

    fn problems_len(&self) -> usize {
        self.problems.len()
    }

    /// Checks an offer. A new offer (or one with `replace = true`) states every required key;
    /// an override states only what it changes and keeps the rest of the entry it overrides.
    fn offer(
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

    fn model_and_provider(&mut self, raw: &raw::Offer, catalog: &Catalog) {
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
    fn override_base<'c>(
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
    fn offer_currency(&mut self, raw: &raw::Offer, base: Option<&Offer>, id: &str) -> String {
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
    fn batch_and_tiers(
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
    fn stated_or_kept<T>(
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
    fn missing(&mut self, raw: &raw::Offer, key: &str) {
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
    fn location(&self, span: std::ops::Range<usize>) -> String {
        let (line, column) = self.file.line_column(span.start);
        format!("{}:{line}:{column}", self.file.name)
    }

    fn batch(&mut self, raw: &raw::Offer) -> Option<Batch> {
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

    fn tiers(&mut self, raw: &raw::Offer, batch: Option<&Batch>) -> Option<Vec<Tier>> {
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

#[cfg(test)]
mod tests;
