//! LiteLLM proxy spend logs (the `LiteLLM_SpendLogs` table), exported as CSV or as JSON (an
//! array of rows, or `{"data": [row...]}` as the proxy's spend-log endpoints return them).
//! One row is one request.
//!
//! What includes what, from LiteLLM's spend tracking docs and its usage object: LiteLLM turns
//! every provider's usage into OpenAI's shape, where `prompt_tokens` is the whole prompt, cache
//! reads and cache writes included (for Anthropic it adds `cache_read_input_tokens` and
//! `cache_creation_input_tokens` to Anthropic's fresh `input_tokens`), and `completion_tokens`
//! includes reasoning. The cache figures live in the `metadata` JSON's `usage_object`:
//! cache reads are `cache_read_input_tokens`, or `prompt_tokens_details.cached_tokens` where
//! that is absent; cache writes are `cache_creation_input_tokens`, counted as 5-minute writes
//! (the log does not say the lifetime); reasoning is
//! `completion_tokens_details.reasoning_tokens`. So uncached input = `prompt_tokens` - reads -
//! writes, output = `completion_tokens` - reasoning. `spend` is the stated cost; the provider is
//! `custom_llm_provider`, the project `team_id`, the key `api_key` (LiteLLM stores its hash).
//! Rows whose `status` is `failure` were not billed and are counted apart.

use std::collections::HashMap;
use std::io::BufRead;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::field::{Num, Reported, parse_decimal};
use super::{At, Context, Sink, UsageRecord, json_error, peek};
use crate::component::{Component, PerComponent};
use crate::error::Error;

/// One spend-log row, whatever file it came from.
#[derive(Deserialize, Default)]
struct Row {
    #[serde(rename = "startTime")]
    start_time: Option<String>,
    model: Option<String>,
    custom_llm_provider: Option<String>,
    api_key: Option<String>,
    team_id: Option<String>,
    prompt_tokens: Option<Num>,
    completion_tokens: Option<Num>,
    spend: Option<Num>,
    status: Option<String>,
    metadata: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Wrapped {
    data: Vec<Row>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    usage_object: Option<UsageObject>,
}

#[derive(Deserialize, Default)]
struct UsageObject {
    cache_read_input_tokens: Option<Num>,
    cache_creation_input_tokens: Option<Num>,
    prompt_tokens_details: Option<PromptDetails>,
    completion_tokens_details: Option<CompletionDetails>,
}

#[derive(Deserialize)]
struct PromptDetails {
    cached_tokens: Option<Num>,
}

#[derive(Deserialize)]
struct CompletionDetails {
    reasoning_tokens: Option<Num>,
}

pub(super) fn read(
    mut reader: impl BufRead,
    head: &[u8],
    context: &mut Context<'_>,
    sink: &mut Sink<'_>,
) -> Result<(), Error> {
    let json = head
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'[' | b'{'));
    if json {
        read_json(&mut reader, context, sink)
    } else {
        read_csv(reader, context, sink)
    }
}

fn read_json(
    reader: &mut impl BufRead,
    context: &mut Context<'_>,
    sink: &mut Sink<'_>,
) -> Result<(), Error> {
    let first = peek(reader).map_err(|e| context.read_error(e))?;
    let (rows, prefix) = match first {
        Some(b'[') => (serde_json::from_reader::<_, Vec<Row>>(reader), ""),
        _ => (
            serde_json::from_reader::<_, Wrapped>(reader).map(|w| w.data),
            "data",
        ),
    };
    let rows = match rows {
        Ok(rows) => rows,
        Err(error) => {
            json_error(context, &error);
            return Ok(());
        }
    };
    for (i, row) in rows.into_iter().enumerate() {
        if context.is_full() {
            break;
        }
        if let Ok(Some(record)) = convert(row, At::Json(format!("{prefix}[{i}]")), context) {
            sink(record)?;
        }
    }
    Ok(())
}

fn read_csv(
    reader: impl BufRead,
    context: &mut Context<'_>,
    sink: &mut Sink<'_>,
) -> Result<(), Error> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(reader);
    let headers = match csv.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            context.problem(
                &At::Line(1),
                format!("the header does not parse: {error}"),
                None,
            );
            return Ok(());
        }
    };
    let columns: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    let mut record = csv::StringRecord::new();
    loop {
        if context.is_full() {
            return Ok(());
        }
        match csv.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                context.problem(
                    &At::Line(line),
                    format!("the row does not parse: {error}"),
                    None,
                );
                continue;
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        let cell = |name: &str| {
            columns
                .get(name)
                .and_then(|i| record.get(*i))
                .map(str::trim)
                .filter(|text| !text.is_empty())
        };
        let number = |name: &str| {
            cell(name).map(|text| {
                parse_decimal(text).map_or_else(|| Num::NotNumber(text.to_owned()), Num::Value)
            })
        };
        let row = Row {
            start_time: cell("startTime").map(str::to_owned),
            model: cell("model").map(str::to_owned),
            custom_llm_provider: cell("custom_llm_provider").map(str::to_owned),
            api_key: cell("api_key").map(str::to_owned),
            team_id: cell("team_id").map(str::to_owned),
            prompt_tokens: number("prompt_tokens"),
            completion_tokens: number("completion_tokens"),
            spend: number("spend"),
            status: cell("status").map(str::to_owned),
            metadata: cell("metadata").map(|text| serde_json::Value::String(text.to_owned())),
        };
        if let Ok(Some(record)) = convert(row, At::Line(line), context) {
            sink(record)?;
        }
    }
}

/// The usage object of a row's `metadata`, which is JSON, or JSON text inside a CSV cell.
fn usage_object(
    metadata: Option<serde_json::Value>,
    at: &At,
    context: &mut Context<'_>,
) -> Result<UsageObject, Reported> {
    let parsed = match metadata {
        None | Some(serde_json::Value::Null) => return Ok(UsageObject::default()),
        Some(serde_json::Value::String(text)) => serde_json::from_str::<Metadata>(&text),
        Some(value) => serde_json::from_value::<Metadata>(value),
    };
    match parsed {
        Ok(metadata) => Ok(metadata.usage_object.unwrap_or_default()),
        Err(error) => {
            context.problem(
                at,
                format!("`metadata` is not the expected JSON: {error}"),
                None,
            );
            Err(Reported)
        }
    }
}

fn convert(row: Row, at: At, context: &mut Context<'_>) -> Result<Option<UsageRecord>, Reported> {
    if row.status.as_deref() == Some("failure") {
        context.tally.failed += 1;
        return Ok(None);
    }
    let (date, span) = context.time(&at, "startTime", row.start_time.as_deref())?;
    let model = context.text(&at, "model", row.model.as_deref())?.to_owned();
    let prompt = context.count(&at, "prompt_tokens", row.prompt_tokens.as_ref())?;
    let completion = context.count(&at, "completion_tokens", row.completion_tokens.as_ref())?;
    let spend = context.optional_money(&at, "spend", row.spend.as_ref())?;
    let usage = usage_object(row.metadata, &at, context)?;
    let reads = context.optional_count(
        &at,
        "metadata.usage_object.cache_read_input_tokens",
        usage.cache_read_input_tokens.as_ref().or(usage
            .prompt_tokens_details
            .as_ref()
            .and_then(|d| d.cached_tokens.as_ref())),
    )?;
    let writes = context.optional_count(
        &at,
        "metadata.usage_object.cache_creation_input_tokens",
        usage.cache_creation_input_tokens.as_ref(),
    )?;
    let reasoning = context.optional_count(
        &at,
        "metadata.usage_object.completion_tokens_details.reasoning_tokens",
        usage
            .completion_tokens_details
            .as_ref()
            .and_then(|d| d.reasoning_tokens.as_ref()),
    )?;
    let cached = context.sum(&at, "cache tokens", &[reads, writes])?;
    let mut q = PerComponent::<Decimal>::default();
    q[Component::Input] = context.less(
        &at,
        ("prompt_tokens", prompt),
        ("cache reads + cache writes", cached),
    )?;
    q[Component::CachedInput] = reads;
    q[Component::CacheWrite5m] = writes;
    q[Component::Reasoning] = reasoning;
    q[Component::Request] = Decimal::ONE;
    q[Component::Output] = context.less(
        &at,
        ("completion_tokens", completion),
        ("reasoning_tokens", reasoning),
    )?;
    Ok(Some(UsageRecord {
        source: context.location(at),
        date,
        span,
        provider: row.custom_llm_provider,
        model,
        project: row.team_id,
        key: row.api_key,
        workload: None,
        batch: false,
        service_tier: None,
        quantities: q,
        requests: Some(Decimal::ONE),
        stated_cost: spend,
    }))
}
