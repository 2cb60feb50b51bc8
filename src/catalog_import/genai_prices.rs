//! genai-prices' generated v2 feed (`prices/new_data/v2/data.json`): a list of providers, each
//! with models whose prices are USD per 1M tokens (`input_mtok`), per 1,000 calls
//! (`web_searches_kcount`) or per 1,000 requests (`requests_kcount`).
//!
//! The v2 feed rather than the provider YAMLs: it is the same data, generated from them, in
//! JSON, so it needs no YAML parser. It has no `prices_checked` dates, so an import's `as_of`
//! is the feed's own date. A price is a number, or `{base, tiers: [{start, price}]}` for
//! long-context tiers; a model's `prices` is one table, or a list of tables with constraints.
//! Of a list, the import takes the one in force on the as-of date, and keeps every start-dated
//! table as a period, which becomes a dated change where it differs from the one before in
//! base prices only.

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Entry, Period, UpstreamTier, exact, json_error, value_error};
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
    /// Free text; where it cites a page (`Ref: https://...`) and names a list's start date,
    /// that page is the list's source.
    price_comments: Option<String>,
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

/// Parses the feed, taking each model's prices in force on `on`, and keeping every start-dated
/// list where a model has several.
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
            read_prices(file, &mut entry, &model, on)?;
            entries.insert(key, entry);
        }
    }
    Ok(entries)
}

/// Sets the entry's prices: the one table, or of a list of tables the one in force on `on`
/// (the last whose only constraint is a start date on or before it). Tables constrained
/// otherwise (hours of the day, say) are noted and left out. Where several start-dated tables
/// differ in base prices only, they are kept as `periods` with `history` set, to become dated
/// changes; otherwise a note says why the history is not imported.
fn read_prices(
    file: &Arc<SourceFile>,
    entry: &mut Entry,
    model: &Model,
    on: Date,
) -> Result<(), Error> {
    let raw = model.prices.get();
    if !raw.trim_start().starts_with('[') {
        let table: BTreeMap<String, Box<RawValue>> =
            serde_json::from_str(raw).map_err(|e| json_error(file, &e))?;
        let period = read_list(file, entry, &table)?;
        entry.prices = period.prices;
        entry.tiers = period.tiers;
        return Ok(());
    }
    let tables: Vec<Dated> = serde_json::from_str(raw).map_err(|e| json_error(file, &e))?;
    let several = tables.len() > 1;
    let mut periods = Vec::new();
    let mut constrained = None;
    for table in tables {
        let keys = table.constraint.keys().cloned().collect::<Vec<_>>();
        if keys.iter().any(|k| k != "start_date") {
            let keys = keys.join(", ");
            entry
                .notes
                .push(format!("prices constrained by {keys} left out"));
            constrained.get_or_insert(keys);
            continue;
        }
        let from = table
            .constraint
            .get("start_date")
            .and_then(|d| serde_json::from_str::<String>(d.get()).ok())
            .and_then(|d| Date::parse(&d));
        let mut period = read_list(file, entry, &table.prices)?;
        period.from = from;
        period.source = from.and_then(|d| cited(model.price_comments.as_deref(), d));
        periods.push(period);
    }
    if let Some(chosen) = periods
        .iter()
        .rposition(|p| p.from.is_none_or(|start| start <= on))
    {
        entry.prices.clone_from(&periods[chosen].prices);
        entry.tiers.clone_from(&periods[chosen].tiers);
    }
    if several {
        match why_not_history(&periods, constrained.as_deref()) {
            None => entry.history = true,
            Some(why) => entry.notes.push(format!(
                "price history not imported: {why}; the list in force on {on} is taken"
            )),
        }
    }
    if !entry.history {
        for start in periods.iter().filter_map(|p| p.from).filter(|s| *s > on) {
            entry.notes.push(format!(
                "prices from {start} left out: after the as-of date"
            ));
        }
    }
    if periods.len() > 1 {
        entry.periods = periods;
    }
    Ok(())
}

/// One table's prices and tiers; its notes go to the entry, once each.
fn read_list(
    file: &Arc<SourceFile>,
    entry: &mut Entry,
    table: &BTreeMap<String, Box<RawValue>>,
) -> Result<Period, Error> {
    let mut scratch = Entry {
        key: entry.key.clone(),
        ..Entry::default()
    };
    for (name, raw) in table {
        price(file, &mut scratch, name, raw)?;
    }
    for note in scratch.notes {
        if !entry.notes.contains(&note) {
            entry.notes.push(note);
        }
    }
    Ok(Period {
        prices: scratch.prices,
        tiers: scratch.tiers,
        ..Period::default()
    })
}

/// Why dated lists cannot become `[[offer.change]]`s, which restate base prices only and can
/// neither remove a price nor touch a tier; `None` when they can.
fn why_not_history(periods: &[Period], constrained: Option<&str>) -> Option<String> {
    if let Some(keys) = constrained {
        return Some(format!(
            "a list constrained by {keys} is not a dated change"
        ));
    }
    let first = periods.first()?;
    if let Some(start) = first.from {
        return Some(format!(
            "the first list starts on {start}, so no price is stated before it"
        ));
    }
    for pair in periods.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        let Some(from) = after.from else {
            return Some("a later list has no start date".to_owned());
        };
        if before.from.is_some_and(|b| b >= from) {
            return Some(format!(
                "the list from {from} does not start after the one before it"
            ));
        }
        if let Some(why) = tier_difference(&before.tiers, &after.tiers) {
            return Some(format!(
                "the list from {from} {why}, and a dated change restates base prices only"
            ));
        }
        if let Some(gone) = before.prices.keys().find(|c| !after.prices.contains_key(c)) {
            return Some(format!(
                "the list from {from} omits `{}`, and a dated change cannot remove a price",
                gone.key()
            ));
        }
    }
    None
}

/// How the long-context tiers of a later list differ from an earlier one's, if they do.
fn tier_difference(before: &[UpstreamTier], after: &[UpstreamTier]) -> Option<String> {
    for tier in before {
        let above = tier.above_input_tokens;
        match after.iter().find(|t| t.above_input_tokens == above) {
            None => return Some(format!("drops the tier above {above} tokens")),
            Some(later) if later != tier => {
                return Some(format!("changes the tier above {above} tokens"));
            }
            Some(_) => {}
        }
    }
    after
        .iter()
        .find(|t| {
            !before
                .iter()
                .any(|b| b.above_input_tokens == t.above_input_tokens)
        })
        .map(|t| format!("adds a tier above {} tokens", t.above_input_tokens))
}

/// The page a model's `price_comments` cites (`Ref: https://...`), where the comment names the
/// list's start date, so the page is the one that announces that list; `None` otherwise.
fn cited(comments: Option<&str>, from: Date) -> Option<String> {
    let comments = comments?;
    if !comments.contains(&from.to_string()) {
        return None;
    }
    let at = ["Ref: ", "Refs: "]
        .iter()
        .filter_map(|label| comments.find(label).map(|i| i + label.len()))
        .min()?;
    let url = comments[at..]
        .split(|c: char| c.is_whitespace() || c == ',')
        .next()?
        .trim_end_matches(['.', ')', ';']);
    url.starts_with("https://").then(|| url.to_owned())
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
