//! OpenRouter activity (`GET /api/v1/activity`), saved as JSON: `{"data": [item...]}` (or the
//! bare array), one item per day, model and endpoint.
//!
//! What includes what, from the Activity API reference (`ActivityItem`) and OpenRouter's usage
//! accounting page: `completion_tokens` counts every generated token, reasoning included, with
//! `reasoning_tokens` the reasoning part (the documented example has 125 completion tokens of
//! which 25 are reasoning), so output = `completion_tokens - reasoning_tokens`. The activity
//! item has no cache figures, so all of `prompt_tokens` is uncached input. The stated cost is
//! `usage` (OpenRouter credits spent) plus `byok_usage_inference` (what the user's own key was
//! charged upstream), the whole spend on that traffic. The provider is `provider_name`, the host
//! that served the requests.

use std::io::BufRead;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::field::{Num, Reported};
use super::{At, Context, Sink, UsageRecord, json_error, peek};
use crate::component::{Component, PerComponent};
use crate::error::Error;

#[derive(Deserialize)]
struct Activity {
    data: Option<Vec<Item>>,
}

#[derive(Deserialize)]
struct Item {
    date: Option<String>,
    model: Option<String>,
    provider_name: Option<String>,
    usage: Option<Num>,
    byok_usage_inference: Option<Num>,
    requests: Option<Num>,
    prompt_tokens: Option<Num>,
    completion_tokens: Option<Num>,
    reasoning_tokens: Option<Num>,
}

pub(super) fn read(
    mut reader: impl BufRead,
    context: &mut Context<'_>,
    sink: &mut Sink<'_>,
) -> std::result::Result<(), Error> {
    let first = peek(&mut reader).map_err(|e| context.read_error(e))?;
    let (items, prefix) = match first {
        Some(b'[') => (
            serde_json::from_reader::<_, Vec<Item>>(reader).map(Some),
            "",
        ),
        _ => (
            serde_json::from_reader::<_, Activity>(reader).map(|a| a.data),
            "data",
        ),
    };
    let items = match items {
        Ok(Some(items)) => items,
        Ok(None) => {
            context.problem(
                &At::Json("activity".to_owned()),
                "is not an OpenRouter activity export (expected `data`)".to_owned(),
                Some("save the response of GET /api/v1/activity".to_owned()),
            );
            return Ok(());
        }
        Err(error) => {
            json_error(context, &error);
            return Ok(());
        }
    };
    for (i, item) in items.iter().enumerate() {
        if context.is_full() {
            return Ok(());
        }
        let at = At::Json(format!("{prefix}[{i}]"));
        if let Ok(record) = convert(item, at, context) {
            sink(record)?;
        }
    }
    Ok(())
}

fn convert(
    item: &Item,
    at: At,
    context: &mut Context<'_>,
) -> std::result::Result<UsageRecord, Reported> {
    let (date, span) = context.time(&at, "date", item.date.as_deref())?;
    let model = context
        .text(&at, "model", item.model.as_deref())?
        .to_owned();
    let mut q = PerComponent::<Decimal>::default();
    q[Component::Input] = context.count(&at, "prompt_tokens", item.prompt_tokens.as_ref())?;
    let completion = context.count(&at, "completion_tokens", item.completion_tokens.as_ref())?;
    let reasoning =
        context.optional_count(&at, "reasoning_tokens", item.reasoning_tokens.as_ref())?;
    q[Component::Reasoning] = reasoning;
    q[Component::Output] = context.less(
        &at,
        ("completion_tokens", completion),
        ("reasoning_tokens", reasoning),
    )?;
    let requests = context.count(&at, "requests", item.requests.as_ref())?;
    q[Component::Request] = requests;
    let credits = context.optional_money(&at, "usage", item.usage.as_ref())?;
    let byok = context.optional_money(
        &at,
        "byok_usage_inference",
        item.byok_usage_inference.as_ref(),
    )?;
    let stated_cost = match (credits, byok) {
        (None, None) => None,
        (a, b) => Some(context.sum(
            &at,
            "costs",
            &[a.unwrap_or_default(), b.unwrap_or_default()],
        )?),
    };
    Ok(UsageRecord {
        source: context.location(at),
        date,
        span,
        provider: item.provider_name.clone(),
        model,
        project: None,
        key: None,
        workload: None,
        batch: false,
        service_tier: None,
        quantities: q,
        requests: Some(requests),
        stated_cost,
    })
}
