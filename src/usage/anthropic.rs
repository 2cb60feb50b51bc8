//! Anthropic Admin API messages usage report (`GET /v1/organizations/usage_report/messages`),
//! saved as JSON: one response (`{"data": [bucket...], "has_more": ...}`) or an array of them.
//!
//! What includes what, from the Usage and Cost API reference: the token fields of a result are
//! already disjoint. `uncached_input_tokens` excludes cache reads and writes;
//! `cache_read_input_tokens` are cache hits; `cache_creation.ephemeral_5m_input_tokens` and
//! `cache_creation.ephemeral_1h_input_tokens` (flattened by some exports to
//! `cache_creation_5m_input_tokens` / `cache_creation_1h_input_tokens`) are writes per lifetime;
//! `output_tokens` includes extended thinking, which Anthropic bills as output, so it stays in
//! output; `server_tool_use.web_search_requests` counts searches. The report counts no requests.
//! A `service_tier` of `batch` marks batch traffic.

use std::io::BufRead;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::field::{Num, Reported, parse_instant};
use super::{At, Context, Sink, Span, UsageRecord, json_error, peek};
use crate::component::{Component, PerComponent};
use crate::error::Error;

#[derive(Deserialize)]
struct Report {
    data: Option<Vec<Bucket>>,
}

#[derive(Deserialize)]
struct Bucket {
    starting_at: Option<String>,
    ending_at: Option<String>,
    results: Option<Vec<Result>>,
}

#[derive(Deserialize)]
struct Result {
    uncached_input_tokens: Option<Num>,
    cache_read_input_tokens: Option<Num>,
    cache_creation: Option<CacheCreation>,
    cache_creation_5m_input_tokens: Option<Num>,
    cache_creation_1h_input_tokens: Option<Num>,
    output_tokens: Option<Num>,
    server_tool_use: Option<ServerToolUse>,
    model: Option<String>,
    workspace_id: Option<String>,
    api_key_id: Option<String>,
    service_tier: Option<String>,
    /// Present in the cost report, never in the usage report.
    amount: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct CacheCreation {
    ephemeral_5m_input_tokens: Option<Num>,
    ephemeral_1h_input_tokens: Option<Num>,
}

#[derive(Deserialize)]
struct ServerToolUse {
    web_search_requests: Option<Num>,
}

const HINT: &str = "save the response of GET /v1/organizations/usage_report/messages";

pub(super) fn read(
    mut reader: impl BufRead,
    context: &mut Context<'_>,
    sink: &mut Sink<'_>,
) -> std::result::Result<(), Error> {
    let first = peek(&mut reader).map_err(|e| context.read_error(e))?;
    let many = first == Some(b'[');
    let reports: Vec<Report> = match first {
        Some(b'[') => serde_json::from_reader(reader),
        _ => serde_json::from_reader(reader).map(|report| vec![report]),
    }
    .unwrap_or_else(|error| {
        json_error(context, &error);
        Vec::new()
    });
    for (n, report) in reports.iter().enumerate() {
        let prefix = if many {
            format!("[{n}].")
        } else {
            String::new()
        };
        let Some(data) = &report.data else {
            let at = At::Json(if many {
                format!("[{n}]")
            } else {
                "report".to_owned()
            });
            context.problem(
                &at,
                "is not an Anthropic usage report (expected `data`)".to_owned(),
                Some(HINT.to_owned()),
            );
            continue;
        };
        for (b, bucket) in data.iter().enumerate() {
            for (r, result) in bucket.results.iter().flatten().enumerate() {
                if context.is_full() {
                    return Ok(());
                }
                let at = At::Json(format!("{prefix}data[{b}].results[{r}]"));
                if let Ok(record) = convert(bucket, result, at, context) {
                    sink(record)?;
                }
            }
        }
    }
    Ok(())
}

fn convert(
    bucket: &Bucket,
    result: &Result,
    at: At,
    context: &mut Context<'_>,
) -> std::result::Result<UsageRecord, Reported> {
    if result.amount.is_some() {
        context.problem(
            &at,
            "is a cost report entry, not usage".to_owned(),
            Some(HINT.to_owned()),
        );
        return Err(Reported);
    }
    let (date, start) = context.time(&at, "starting_at", bucket.starting_at.as_deref())?;
    let end_ms = bucket
        .ending_at
        .as_deref()
        .and_then(parse_instant)
        .filter(|end| *end > start.start_ms)
        .unwrap_or(start.end_ms);
    let Some(model) = result.model.clone() else {
        context.problem(
            &at,
            "`model` is missing".to_owned(),
            Some("export with group_by[]=model so each result names its model".to_owned()),
        );
        return Err(Reported);
    };
    let mut q = PerComponent::<Decimal>::default();
    q[Component::Input] = context.count(
        &at,
        "uncached_input_tokens",
        result.uncached_input_tokens.as_ref(),
    )?;
    q[Component::CachedInput] = context.optional_count(
        &at,
        "cache_read_input_tokens",
        result.cache_read_input_tokens.as_ref(),
    )?;
    let nested = result.cache_creation.as_ref();
    q[Component::CacheWrite5m] = context.optional_count(
        &at,
        "cache_creation.ephemeral_5m_input_tokens",
        nested
            .and_then(|c| c.ephemeral_5m_input_tokens.as_ref())
            .or(result.cache_creation_5m_input_tokens.as_ref()),
    )?;
    q[Component::CacheWrite1h] = context.optional_count(
        &at,
        "cache_creation.ephemeral_1h_input_tokens",
        nested
            .and_then(|c| c.ephemeral_1h_input_tokens.as_ref())
            .or(result.cache_creation_1h_input_tokens.as_ref()),
    )?;
    q[Component::Output] = context.count(&at, "output_tokens", result.output_tokens.as_ref())?;
    q[Component::WebSearch] = context.optional_count(
        &at,
        "server_tool_use.web_search_requests",
        result
            .server_tool_use
            .as_ref()
            .and_then(|s| s.web_search_requests.as_ref()),
    )?;
    Ok(UsageRecord {
        source: context.location(at),
        date,
        span: Span {
            start_ms: start.start_ms,
            end_ms,
        },
        provider: Some("anthropic".to_owned()),
        model,
        project: result.workspace_id.clone(),
        key: result.api_key_id.clone(),
        workload: None,
        batch: result.service_tier.as_deref() == Some("batch"),
        service_tier: result.service_tier.clone(),
        quantities: q,
        requests: None,
        stated_cost: None,
    })
}
