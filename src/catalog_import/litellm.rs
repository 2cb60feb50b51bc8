//! `LiteLLM`'s price map (`model_prices_and_context_window.json`): one object per key, prices in
//! USD per token as JSON floats (`6.5e-07`).
//!
//! Numbers are read as their text through `serde_json::value::RawValue` (the `raw_value`
//! feature), so `6.5e-07` becomes exactly 0.65 per 1M and never passes through `f64`. Price
//! keys are `<base>[_above_<N>k_tokens][_batches|_flex|_priority]`: the base names the
//! component, the tier suffix a long-context tier above N x 1,000 prompt tokens, the last
//! suffix a service tier. `tiered_pricing` ranges become tiers above each range's start.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::value::RawValue;

use super::{Entry, exact, json_error, value_error};
use crate::calendar::Date;
use crate::component::Component;
use crate::error::{Error, SourceFile};
use crate::pricing::ServiceTier;

/// The component a base key prices, and how far its number's point moves: 6 for per-token
/// prices (to per 1M), 0 for per-call and per-request fees.
fn component_of(base: &str) -> Option<(Component, u32)> {
    Some(match base {
        "input_cost_per_token" => (Component::Input, 6),
        "cache_read_input_token_cost" => (Component::CachedInput, 6),
        "cache_creation_input_token_cost" => (Component::CacheWrite5m, 6),
        "cache_creation_input_token_cost_above_1hr" => (Component::CacheWrite1h, 6),
        "cache_creation_input_token_cost_above_12hr" => (Component::CacheWrite12h, 6),
        "input_cost_per_audio_token" => (Component::AudioInput, 6),
        "cache_read_input_audio_token_cost" => (Component::CachedAudioInput, 6),
        "input_cost_per_image_token" => (Component::ImageInput, 6),
        "output_cost_per_token" => (Component::Output, 6),
        "output_cost_per_reasoning_token" => (Component::Reasoning, 6),
        "output_cost_per_audio_token" => (Component::AudioOutput, 6),
        "input_cost_per_request" => (Component::Request, 0),
        _ => return None,
    })
}

/// Splits `input_cost_per_token_above_272k_tokens_batches` into its base, tier and service.
fn split_key(key: &str) -> (&str, Option<u64>, Option<ServiceTier>) {
    let mut rest = key;
    let mut service = None;
    for (suffix, tier) in [
        ("_batches", ServiceTier::Batch),
        ("_flex", ServiceTier::Flex),
        ("_priority", ServiceTier::Priority),
    ] {
        if let Some(stripped) = rest.strip_suffix(suffix) {
            rest = stripped;
            service = Some(tier);
            break;
        }
    }
    let mut above = None;
    if let Some(stripped) = rest.strip_suffix("k_tokens")
        && let Some((base, thousands)) = stripped.rsplit_once("_above_")
        && let Ok(thousands) = thousands.parse::<u64>()
    {
        above = thousands.checked_mul(1000);
        rest = base;
    }
    (rest, above, service)
}

/// Parses the whole price map.
///
/// # Errors
/// [`Error::Invalid`] at JSON that is not an object of objects, or a price that is not a number.
pub fn parse(file: &Arc<SourceFile>) -> Result<BTreeMap<String, Entry>, Error> {
    let all: BTreeMap<String, Box<RawValue>> =
        serde_json::from_str(&file.text).map_err(|e| json_error(file, &e))?;
    let mut entries = BTreeMap::new();
    for (key, value) in all {
        // `sample_spec` documents the format with strings where numbers go.
        if key == "sample_spec" {
            continue;
        }
        let Ok(fields) = serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(value.get())
        else {
            continue;
        };
        entries.insert(key.clone(), entry(file, key, &fields)?);
    }
    Ok(entries)
}

fn entry(
    file: &Arc<SourceFile>,
    key: String,
    fields: &BTreeMap<String, Box<RawValue>>,
) -> Result<Entry, Error> {
    let mut entry = Entry {
        key,
        ..Entry::default()
    };
    let number = |name: &str, raw: &RawValue, shift: u32| {
        exact(raw.get(), shift).map_err(|m| {
            value_error(
                file,
                &format!("\"{name}\": {}", raw.get()),
                format!("`{}`: `{name}`: {m}", entry_key(fields)),
            )
        })
    };
    for (name, raw) in fields {
        match name.as_str() {
            "litellm_provider" => {
                entry.provider = serde_json::from_str(raw.get()).unwrap_or_default();
            }
            "max_input_tokens" => {
                entry.max_input_tokens = exact(raw.get(), 0)
                    .ok()
                    .filter(|d| d.fract().is_zero())
                    .and_then(|d| u64::try_from(d).ok());
            }
            "deprecation_date" => {
                let text: String = serde_json::from_str(raw.get()).unwrap_or_default();
                entry.deprecated = Some(Date::parse(&text));
            }
            "search_context_cost_per_query" => {
                // One price per search context size; costcalc has one per search, so the
                // medium size stands for all, as it is the default.
                let sizes: BTreeMap<String, Box<RawValue>> =
                    serde_json::from_str(raw.get()).unwrap_or_default();
                if let Some(medium) = sizes.get("search_context_size_medium") {
                    let price = number(name, medium, 0)?;
                    entry.set(None, None, Component::WebSearch, price, name);
                }
            }
            "tiered_pricing" => tiered(file, &mut entry, raw)?,
            _ => {
                let (base, above, service) = split_key(name);
                match component_of(base) {
                    Some((component, shift)) => {
                        let price = number(name, raw, shift)?;
                        entry.set(above, service, component, price, name);
                    }
                    None if name.contains("cost") => {
                        entry
                            .notes
                            .push(format!("`{name}` left out: no costcalc component"));
                    }
                    None => {}
                }
            }
        }
    }
    Ok(entry)
}

/// The key for messages: the provider and mode make a bare number findable.
fn entry_key(fields: &BTreeMap<String, Box<RawValue>>) -> String {
    fields
        .get("litellm_provider")
        .map_or_else(String::new, |p| p.get().trim_matches('"').to_owned())
}

/// `tiered_pricing`: ranges of prompt tokens `[start, end]` with their own prices; the range
/// from 0 is the base, each other one a tier above its start.
fn tiered(file: &Arc<SourceFile>, entry: &mut Entry, raw: &RawValue) -> Result<(), Error> {
    let ranges: Vec<BTreeMap<String, Box<RawValue>>> =
        serde_json::from_str(raw.get()).map_err(|_| {
            value_error(
                file,
                "\"tiered_pricing\"",
                format!(
                    "`{}`: `tiered_pricing` is not a list of ranges with prices",
                    entry.key
                ),
            )
        })?;
    for range in ranges {
        let start = range
            .get("range")
            .and_then(|r| serde_json::from_str::<Vec<Box<RawValue>>>(r.get()).ok())
            .and_then(|r| r.first().and_then(|s| exact(s.get(), 0).ok()))
            .and_then(|d| u64::try_from(d.trunc()).ok())
            .unwrap_or(0);
        let above = (start > 0).then_some(start);
        for (name, value) in &range {
            let (base, _, service) = split_key(name);
            if let Some((component, shift)) = component_of(base) {
                let price = exact(value.get(), shift).map_err(|m| {
                    value_error(
                        file,
                        value.get(),
                        format!("`{}`: `tiered_pricing`: {m}", entry.key),
                    )
                })?;
                entry.set(above, service, component, price, name);
            }
        }
    }
    Ok(())
}
