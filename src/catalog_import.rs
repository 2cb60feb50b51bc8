//! Reading other projects' price data (`LiteLLM`'s price map, genai-prices, models.dev and a saved
//! `OpenRouter` models list) into one shape, [`Entry`], priced by [`Component`].
//!
//! This module owns the upstream formats and their traps: per-token floats become exact per-1M
//! decimals from the number's text (never through `f64`), a cache-write price of 0 is "not
//! stated" rather than a free write, tier and service-tier keys become tiers and service tables.
//! It never writes catalog TOML around the normal parser: [`write`] builds text that
//! `pricing::Catalog::parse` checks like any hand-written file, and [`drift`] compares, it does
//! not change anything.

pub mod command;
pub mod drift;
pub mod genai_prices;
pub mod litellm;
pub mod mapping;
pub mod models_dev;
pub mod openrouter;
pub mod write;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::component::Component;
use crate::error::{Diagnostic, Error, SourceFile};
use crate::money::round_significant;
use crate::pricing::ServiceTier;

/// The datasets costcalc can import from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// `LiteLLM`'s `model_prices_and_context_window.json`: USD per token, as JSON floats.
    Litellm,
    /// genai-prices' generated v2 `data.json`: USD per 1M tokens.
    GenaiPrices,
    /// models.dev's repository folder (`providers/*/models/*.toml`): USD per 1M tokens.
    ModelsDev,
    /// A saved response of `OpenRouter`'s `/api/v1/models`: USD per token, as decimal strings.
    Openrouter,
}

impl Source {
    pub const ALL: [Source; 4] = [
        Source::Litellm,
        Source::GenaiPrices,
        Source::ModelsDev,
        Source::Openrouter,
    ];

    /// The key of this source in the mapping file and in `provenance`.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Source::Litellm => "litellm",
            Source::GenaiPrices => "genai_prices",
            Source::ModelsDev => "models_dev",
            Source::Openrouter => "openrouter",
        }
    }

    /// The dataset's name, for headers and provenance.
    #[must_use]
    pub const fn dataset(self) -> &'static str {
        match self {
            Source::Litellm => "LiteLLM model_prices_and_context_window.json",
            Source::GenaiPrices => "genai-prices v2 data.json",
            Source::ModelsDev => "models.dev providers",
            Source::Openrouter => "OpenRouter /api/v1/models",
        }
    }
}

/// Prices by component, per the component's unit (per 1M tokens, per call or per request).
pub type PriceTable = BTreeMap<Component, Decimal>;

/// A long-context tier of an upstream entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpstreamTier {
    /// Requests of more than this many prompt tokens.
    pub above_input_tokens: u64,
    pub prices: PriceTable,
    pub services: BTreeMap<ServiceTier, PriceTable>,
}

/// One priced model at one upstream provider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The key the dataset files it under: `gpt-5.5`, `openai/gpt-5.5`, `scaleway/qwen3.5-...`.
    pub key: String,
    /// The dataset's id of the provider that serves it (for `OpenRouter`: the model's maker).
    pub provider: String,
    pub prices: PriceTable,
    pub services: BTreeMap<ServiceTier, PriceTable>,
    /// In increasing order of threshold.
    pub tiers: Vec<UpstreamTier>,
    pub max_input_tokens: Option<u64>,
    /// When the dataset says the provider retires it; `Some(None)` when it says "deprecated"
    /// without a date.
    pub deprecated: Option<Option<Date>>,
    pub open_weights: Option<bool>,
    /// Set by `OpenRouter` for open-weight models.
    pub hugging_face_id: Option<String>,
    /// Keys and values the import left out, and why.
    pub notes: Vec<String>,
    /// genai-prices' start-dated price lists, oldest first, where the dataset has more than one
    /// (`prices`, `tiers` and `services` above are the list in force on the as-of date). Empty
    /// for a model priced by one list.
    pub periods: Vec<Period>,
    /// Whether `periods` become dated changes (`[[offer.change]]`): they differ in base prices
    /// only. When they do not, `notes` says why.
    pub history: bool,
}

/// One dated price list of an upstream entry: in force from `from` (from the start when
/// `None`) until the next one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<Date>,
    pub prices: PriceTable,
    /// In increasing order of threshold.
    pub tiers: Vec<UpstreamTier>,
    /// The address the dataset cites for this list, where it names one.
    pub source: Option<String>,
}

impl Entry {
    /// The tier above `tokens`, created in order if it is not there yet.
    pub fn tier_mut(&mut self, tokens: u64) -> &mut UpstreamTier {
        let at = self
            .tiers
            .partition_point(|t| t.above_input_tokens < tokens);
        if self
            .tiers
            .get(at)
            .is_none_or(|t| t.above_input_tokens != tokens)
        {
            self.tiers.insert(
                at,
                UpstreamTier {
                    above_input_tokens: tokens,
                    ..UpstreamTier::default()
                },
            );
        }
        &mut self.tiers[at]
    }

    /// The table a price belongs in: the base, a service tier, a long-context tier or a service
    /// tier inside one.
    pub fn table_mut(
        &mut self,
        above: Option<u64>,
        service: Option<ServiceTier>,
    ) -> &mut PriceTable {
        match (above, service) {
            (None, None) => &mut self.prices,
            (None, Some(s)) => self.services.entry(s).or_default(),
            (Some(t), None) => &mut self.tier_mut(t).prices,
            (Some(t), Some(s)) => self.tier_mut(t).services.entry(s).or_default(),
        }
    }

    /// Sets a price, except a cache write of 0: datasets write 0 where a provider charges no
    /// separate write (the write is billed as input) or where the figure is unknown, and a
    /// free write would undercut every real bill.
    pub fn set(
        &mut self,
        above: Option<u64>,
        service: Option<ServiceTier>,
        component: Component,
        price: Decimal,
        key: &str,
    ) {
        let is_write = matches!(
            component,
            Component::CacheWrite5m | Component::CacheWrite1h | Component::CacheWrite12h
        );
        if is_write && price.is_zero() {
            self.notes.push(format!(
                "`{key}` = 0 left out: a cache write of 0 is not a free write"
            ));
            return;
        }
        self.table_mut(above, service).insert(component, price);
    }
}

/// Everything one dataset prices, keyed as the dataset keys it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub source: Source,
    /// The dataset's date, which imported offers take as `as_of`.
    pub as_of: Date,
    pub entries: BTreeMap<String, Entry>,
}

/// Reads a dataset: a file for `LiteLLM`, genai-prices and `OpenRouter`, the repository folder (or
/// its `providers` folder) for models.dev. `as_of` is the dataset's date: of prices that change
/// on a date (genai-prices records such changes), the ones in force on it are taken.
///
/// # Errors
/// An I/O error, or [`Error::Invalid`] pointing at what does not have the dataset's shape.
pub fn read(source: Source, path: &Path, as_of: Date) -> Result<Snapshot, Error> {
    let entries = match source {
        Source::Litellm => litellm::parse(&crate::input::read_file(path)?)?,
        Source::GenaiPrices => genai_prices::parse(&crate::input::read_file(path)?, as_of)?,
        Source::ModelsDev => models_dev::read(path)?,
        Source::Openrouter => openrouter::parse(&crate::input::read_file(path)?)?,
    };
    Ok(Snapshot {
        source,
        as_of,
        entries,
    })
}

/// An exact decimal from a JSON or text number such as `6.5e-07`, `"0.0000025"` or `2.50`,
/// times `10^shift` (6 turns a per-token price into a per-1M one).
///
/// Datasets written by programs carry binary-float noise: `2.0000000000000002e-06` is what a
/// double holds for 0.000002 plus its last bit. A double keeps 15 significant digits exactly,
/// so a number written with more is rounded to 15 (half away from zero), which gives back the
/// digits the source meant; a number with 15 or fewer is kept as written.
///
/// # Errors
/// A message naming the text when it is not a number or leaves the decimal range.
pub fn exact(text: &str, shift: u32) -> Result<Decimal, String> {
    let text = text.trim().trim_matches('"');
    let parsed = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        Decimal::from_str_exact(text).ok()
    };
    let value = parsed.ok_or_else(|| format!("expected a number (found `{text}`)"))?;
    let value =
        round_significant(value, 15).ok_or_else(|| format!("`{text}` leaves the decimal range"))?;
    let factor = Decimal::from(10u64.pow(shift));
    value
        .checked_mul(factor)
        .map(|d| d.normalize())
        .ok_or_else(|| format!("`{text}` times 10^{shift} leaves the decimal range"))
}

/// A located error for JSON that does not have the dataset's shape.
pub(crate) fn json_error(file: &Arc<SourceFile>, error: &serde_json::Error) -> Error {
    let offset = offset_of(&file.text, error.line(), error.column());
    let message = error.to_string();
    // serde_json appends " at line L column C", which the location already says.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned();
    Error::Invalid(vec![Diagnostic::at(file, offset..offset + 1, message)])
}

/// The byte offset of a one-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// A located error at a key's upstream entry, for a value the importer cannot read.
pub(crate) fn value_error(file: &Arc<SourceFile>, needle: &str, message: String) -> Error {
    let at = file.text.find(needle).unwrap_or(0);
    Error::Invalid(vec![
        Diagnostic::at(file, at..at + needle.len().max(1), message)
            .with_hint("fix the dataset or leave the entry out of the mapping file"),
    ])
}

#[cfg(test)]
mod tests;
