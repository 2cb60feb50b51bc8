//! genai-prices' generated v2 feed (`prices/new_data/v2/data.json`): a list of providers, each
//! with models whose prices are USD per 1M tokens (`input_mtok`), per 1,000 calls
//! (`web_searches_kcount`) or per 1,000 requests (`requests_kcount`).
//!
//! The v2 feed rather than the provider YAMLs: it is the same data, generated from them, in
//! JSON, so it needs no YAML parser. It has no `prices_checked` dates, so an import's `as_of`
//! is the feed's own date. A price is a number, or `{base, tiers: [{start, price}]}` for
//! long-context tiers; a model's `prices` is one table, or a list of tables with constraints,
//! of which the import takes the one in force on the as-of date.

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Entry, exact, json_error, value_error};
use crate::calendar::Date;
use crate::component::Component;
use crate::error::{Error, SourceFile};

#[derive(Deserialize)]
struct Provider {
    id: String,
    #[serde(default)]
    models: Vec<Model>,
}

#[derive(Deserialize)]
struct Model {
    id: String,
    #[serde(default)]
    deprecated: bool,
    prices: Box<RawValue>,
}

#[derive(Deserialize)]
struct Dated {
    #[serde(default)]
    constraint: BTreeMap<String, Box<RawValue>>,
    prices: BTreeMap<String, Box<RawValue>>,
}

#[derive(Deserialize)]
struct Tiered {
    base: Box<RawValue>,
    #[serde(default)]
    tiers: Vec<TierPrice>,
}

#[derive(Deserialize)]
struct TierPrice {
    start: u64,
    price: Box<RawValue>,
}

/// The component a price key sets, and what one unit of the key is per: 1 for per-1M prices,
/// 1,000 for the per-thousand counts.
fn component_of(key: &str) -> Option<(Component, u32)> {
    Some(match key {
        "input_mtok" => (Component::Input, 1),
        "cache_read_mtok" => (Component::CachedInput, 1),
        "cache_write_mtok" => (Component::CacheWrite5m, 1),
        "cache_write_1h_mtok" => (Component::CacheWrite1h, 1),
        "input_audio_mtok" => (Component::AudioInput, 1),
        "cache_audio_read_mtok" => (Component::CachedAudioInput, 1),
        "input_image_mtok" => (Component::ImageInput, 1),
        "output_mtok" => (Component::Output, 1),
        "output_reasoning_mtok" => (Component::Reasoning, 1),
        "output_audio_mtok" => (Component::AudioOutput, 1),
        "web_searches_kcount" => (Component::WebSearch, 1000),
        "requests_kcount" => (Component::Request, 1000),
        _ => return None,
    })
}

/// Parses the feed, taking each model's prices in force on `on`.
///
/// # Errors
/// [`Error::Invalid`] at JSON without the feed's shape or a price that is not a number.
pub fn parse(file: &Arc<SourceFile>, on: Date) -> Result<BTreeMap<String, Entry>, Error> {
    let providers: Vec<Provider> =
        serde_json::from_str(&file.text).map_err(|e| json_error(file, &e))?;
    let mut entries = BTreeMap::new();
    for provider in providers {
        for model in provider.models {
            let key = format!("{}/{}", provider.id, model.id);
            let mut entry = Entry {
                key: key.clone(),
                provider: provider.id.clone(),
                deprecated: model.deprecated.then_some(None),
                ..Entry::default()
            };
            let prices = in_force(file, &mut entry, &model.prices, on)?;
            for (name, raw) in &prices {
                price(file, &mut entry, name, raw)?;
            }
            entries.insert(key, entry);
        }
    }
    Ok(entries)
}

/// The table in force on `on`: the last one whose only constraint is a start date on or
/// before it. Tables constrained otherwise (hours of the day, say) are noted and left out.
fn in_force(
    file: &Arc<SourceFile>,
    entry: &mut Entry,
    raw: &RawValue,
    on: Date,
) -> Result<BTreeMap<String, Box<RawValue>>, Error> {
    if !raw.get().trim_start().starts_with('[') {
        return serde_json::from_str(raw.get()).map_err(|e| json_error(file, &e));
    }
    let tables: Vec<Dated> = serde_json::from_str(raw.get()).map_err(|e| json_error(file, &e))?;
    let mut chosen = BTreeMap::new();
    for table in tables {
        let start = table
            .constraint
            .get("start_date")
            .and_then(|d| serde_json::from_str::<String>(d.get()).ok())
            .and_then(|d| Date::parse(&d));
        let other = table.constraint.keys().any(|k| k != "start_date");
        if other {
            entry.notes.push(format!(
                "prices constrained by {} left out",
                table
                    .constraint
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        } else if start.is_none_or(|s| s <= on) {
            chosen = table.prices;
        } else if let Some(start) = start {
            entry.notes.push(format!(
                "prices from {start} left out: after the as-of date"
            ));
        }
    }
    Ok(chosen)
}

fn price(
    file: &Arc<SourceFile>,
    entry: &mut Entry,
    name: &str,
    raw: &RawValue,
) -> Result<(), Error> {
    let Some((component, per)) = component_of(name) else {
        entry
            .notes
            .push(format!("`{name}` left out: no costcalc component"));
        return Ok(());
    };
    let number = |text: &str| {
        exact(text, 0)
            .and_then(|d| {
                d.checked_div(Decimal::from(per))
                    .map(|d| d.normalize())
                    .ok_or_else(|| format!("`{text}` cannot be divided by {per}"))
            })
            .map_err(|m| value_error(file, &entry.key, format!("`{}`: `{name}`: {m}", entry.key)))
    };
    if raw.get().trim_start().starts_with('{') {
        let tiered: Tiered = serde_json::from_str(raw.get()).map_err(|e| json_error(file, &e))?;
        let base = number(tiered.base.get())?;
        let tiers = tiered
            .tiers
            .iter()
            .map(|t| Ok((t.start, number(t.price.get())?)))
            .collect::<Result<Vec<_>, Error>>()?;
        entry.set(None, None, component, base, name);
        for (start, price) in tiers {
            entry.set(Some(start), None, component, price, name);
        }
    } else {
        let price = number(raw.get())?;
        entry.set(None, None, component, price, name);
    }
    Ok(())
}
