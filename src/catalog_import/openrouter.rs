//! A saved `OpenRouter` models list (`/api/v1/models`): `{"data": [...]}`, each model with
//! `pricing` in USD per token as decimal strings (`"0.0000025"`), `web_search` per call and
//! `request` per request, `hugging_face_id` for open weights and `expiration_date`.
//!
//! `OpenRouter` is one host for every model; an entry's provider is the model's maker (the
//! `openai` of `openai/gpt-5.5`), so the mapping file can say which makers to suggest. A price
//! of `-1` means "set by the routed model" and is left out.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use super::{Entry, exact, json_error, value_error};
use crate::calendar::Date;
use crate::component::Component;
use crate::error::{Error, SourceFile};

#[derive(Deserialize)]
struct List {
    data: Vec<Model>,
}

#[derive(Deserialize)]
struct Model {
    id: String,
    #[serde(default)]
    hugging_face_id: Option<String>,
    #[serde(default)]
    pricing: BTreeMap<String, String>,
    #[serde(default)]
    top_provider: Option<TopProvider>,
    #[serde(default)]
    expiration_date: Option<String>,
}

#[derive(Deserialize)]
struct TopProvider {
    #[serde(default)]
    context_length: Option<u64>,
}

/// The component a `pricing` key sets and how far its point moves (6: per token to per 1M).
fn component_of(key: &str) -> Option<(Component, u32)> {
    Some(match key {
        "prompt" => (Component::Input, 6),
        "completion" => (Component::Output, 6),
        "input_cache_read" => (Component::CachedInput, 6),
        "input_cache_write" => (Component::CacheWrite5m, 6),
        "internal_reasoning" => (Component::Reasoning, 6),
        "audio" => (Component::AudioInput, 6),
        "web_search" => (Component::WebSearch, 0),
        "request" => (Component::Request, 0),
        _ => return None,
    })
}

/// Parses the saved list.
///
/// # Errors
/// [`Error::Invalid`] at JSON without the list's shape or a price that is not a number.
pub fn parse(file: &Arc<SourceFile>) -> Result<BTreeMap<String, Entry>, Error> {
    let list: List = serde_json::from_str(&file.text).map_err(|e| json_error(file, &e))?;
    let mut entries = BTreeMap::new();
    for model in list.data {
        let mut entry = Entry {
            key: model.id.clone(),
            provider: model.id.split('/').next().unwrap_or_default().to_owned(),
            max_input_tokens: model.top_provider.and_then(|t| t.context_length),
            open_weights: model.hugging_face_id.as_ref().map(|id| !id.is_empty()),
            hugging_face_id: model.hugging_face_id.filter(|id| !id.is_empty()),
            deprecated: model.expiration_date.map(|d| Date::parse(&d)),
            ..Entry::default()
        };
        for (name, text) in &model.pricing {
            let Some((component, shift)) = component_of(name) else {
                entry
                    .notes
                    .push(format!("`pricing.{name}` left out: no costcalc component"));
                continue;
            };
            if text.trim().starts_with('-') {
                entry.notes.push(format!(
                    "`pricing.{name}` = {text} left out: set by the routed model"
                ));
                continue;
            }
            let price = exact(text, shift).map_err(|m| {
                value_error(
                    file,
                    &model.id,
                    format!("`{}`: `pricing.{name}`: {m}", model.id),
                )
            })?;
            entry.set(None, None, component, price, name);
        }
        entries.insert(model.id, entry);
    }
    Ok(entries)
}
