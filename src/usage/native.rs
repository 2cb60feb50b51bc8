//! costcalc's own usage CSV, the format other tools can export to: one row per request or per
//! time bucket.
//!
//! Columns, in any order: `time` (a day `2025-01-31`, standing for that day's bucket, or an
//! RFC 3339 instant for one request), `model`, `provider` (may be empty), one column per token
//! bucket named by its component key (`input`, `cached_input`, `cache_write_5m`, ... as in
//! [`header`]), and `requests`; optionally `project`, `key`, `workload`, `batch` (`true` or
//! `false`), `service_tier` and `stated_cost` (USD). The buckets are disjoint by definition:
//! `input` is uncached input only, `output` is visible output without reasoning. A bucket
//! column left out, or a cell left empty, is zero; `requests` must be given on every row.
//! An unknown column is an error with the likely name.

use std::io::BufRead;

use rust_decimal::Decimal;

use super::field::{Reported, parse_decimal, parse_digits};
use super::{At, Context, Sink, UsageRecord};
use crate::component::{Component, PerComponent};
use crate::error::{Error, suggest};

/// Columns other than the token buckets, in header order.
const REQUIRED: [&str; 3] = ["time", "model", "provider"];
const REQUESTS: &str = "requests";
const OPTIONAL: [&str; 6] = [
    "project",
    "key",
    "workload",
    "batch",
    "service_tier",
    "stated_cost",
];

/// The components that are columns: every one but the request fee, whose count is `requests`.
fn bucket_components() -> impl Iterator<Item = Component> {
    Component::ALL
        .into_iter()
        .filter(|c| *c != Component::Request)
}

/// The full header: `time,model,provider,<every bucket>,requests,project,...,stated_cost`.
#[must_use]
pub fn header() -> String {
    REQUIRED
        .into_iter()
        .chain(bucket_components().map(Component::key))
        .chain([REQUESTS])
        .chain(OPTIONAL)
        .collect::<Vec<_>>()
        .join(",")
}

/// Where each known column is in the file.
#[derive(Default)]
struct Columns {
    time: usize,
    model: usize,
    provider: usize,
    requests: usize,
    buckets: Vec<(Component, usize)>,
    project: Option<usize>,
    key: Option<usize>,
    workload: Option<usize>,
    batch: Option<usize>,
    service_tier: Option<usize>,
    stated_cost: Option<usize>,
}

fn columns(headers: &csv::ByteRecord, context: &mut Context<'_>) -> Result<Columns, Reported> {
    let at = At::Line(1);
    let allowed: Vec<String> = header().split(',').map(str::to_owned).collect();
    let mut found: Vec<(&str, usize)> = Vec::new();
    let mut bad = false;
    for (i, name) in headers.iter().enumerate() {
        let Ok(name) = std::str::from_utf8(name) else {
            context.problem(&at, format!("column {} is not UTF-8", i + 1), None);
            bad = true;
            continue;
        };
        let name = name.trim().trim_start_matches('\u{feff}');
        if !allowed.iter().any(|a| a == name) {
            let hint = match suggest(name, allowed.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the columns are {}", header().replace(',', ", ")),
            };
            context.problem(
                &at,
                format!("unknown column `{}`", name.escape_debug()),
                Some(hint),
            );
            bad = true;
        } else if found.iter().any(|(f, _)| *f == name) {
            context.problem(&at, format!("column `{name}` is given twice"), None);
            bad = true;
        } else {
            found.push((name, i));
        }
    }
    let position = |name: &str| found.iter().find(|(f, _)| *f == name).map(|(_, i)| *i);
    let required = |name: &str, context: &mut Context<'_>| {
        position(name).ok_or_else(|| {
            context.problem(
                &at,
                format!("the column `{name}` is missing"),
                Some(format!("the header is {}", header())),
            );
        })
    };
    let time = required("time", context);
    let model = required("model", context);
    let provider = required("provider", context);
    let requests = required(REQUESTS, context);
    let (Ok(time), Ok(model), Ok(provider), Ok(requests), false) =
        (time, model, provider, requests, bad)
    else {
        return Err(Reported);
    };
    Ok(Columns {
        time,
        model,
        provider,
        requests,
        buckets: bucket_components()
            .filter_map(|c| position(c.key()).map(|i| (c, i)))
            .collect(),
        project: position("project"),
        key: position("key"),
        workload: position("workload"),
        batch: position("batch"),
        service_tier: position("service_tier"),
        stated_cost: position("stated_cost"),
    })
}

pub(super) fn read(
    reader: impl BufRead,
    context: &mut Context<'_>,
    sink: &mut Sink<'_>,
) -> Result<(), Error> {
    let mut csv = csv::ReaderBuilder::new().from_reader(reader);
    let headers = match csv.byte_headers() {
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
    let Ok(columns) = columns(&headers, context) else {
        return Ok(());
    };
    let mut row = csv::ByteRecord::new();
    loop {
        if context.is_full() {
            return Ok(());
        }
        match csv.read_byte_record(&mut row) {
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
        let line = row.position().map_or(0, csv::Position::line);
        if let Ok(record) = convert(&row, &columns, At::Line(line), context) {
            sink(record)?;
        }
    }
}

/// The text of a cell, trimmed; `None` when empty or absent.
fn cell<'r>(
    row: &'r csv::ByteRecord,
    index: Option<usize>,
    name: &str,
    at: &At,
    context: &mut Context<'_>,
) -> Result<Option<&'r str>, Reported> {
    let Some(bytes) = index.and_then(|i| row.get(i)) else {
        return Ok(None);
    };
    if let Ok(text) = std::str::from_utf8(bytes) {
        Ok(Some(text.trim()).filter(|t| !t.is_empty()))
    } else {
        context.problem(at, format!("`{name}` is not UTF-8"), None);
        Err(Reported)
    }
}

fn number(text: &str, name: &str, at: &At, context: &mut Context<'_>) -> Result<Decimal, Reported> {
    let value = parse_digits(text.as_bytes()).or_else(|| parse_decimal(text));
    match value {
        Some(v) if v.is_sign_negative() && !v.is_zero() => {
            context.problem(
                at,
                format!("`{name}` must not be negative (found {v})"),
                None,
            );
            Err(Reported)
        }
        Some(v) => Ok(v),
        None => {
            context.problem(
                at,
                format!(
                    "`{name}` must be a number (found `{}`)",
                    text.escape_debug()
                ),
                None,
            );
            Err(Reported)
        }
    }
}

fn convert(
    row: &csv::ByteRecord,
    columns: &Columns,
    at: At,
    context: &mut Context<'_>,
) -> Result<UsageRecord, Reported> {
    let time = cell(row, Some(columns.time), "time", &at, context)?;
    let (date, span) = context.time(&at, "time", time)?;
    let model = cell(row, Some(columns.model), "model", &at, context)?;
    let model = context.text(&at, "model", model)?.to_owned();
    let provider = cell(row, Some(columns.provider), "provider", &at, context)?.map(str::to_owned);
    let mut quantities = PerComponent::<Decimal>::default();
    for &(component, index) in &columns.buckets {
        if let Some(bytes) = row.get(index) {
            quantities[component] = match parse_digits(bytes) {
                Some(value) => value,
                None => match cell(row, Some(index), component.key(), &at, context)? {
                    Some(text) => number(text, component.key(), &at, context)?,
                    None => Decimal::ZERO,
                },
            };
        }
    }
    let Some(requests) = cell(row, Some(columns.requests), REQUESTS, &at, context)? else {
        context.problem(&at, "`requests` is empty".to_owned(), None);
        return Err(Reported);
    };
    let requests = number(requests, REQUESTS, &at, context)?;
    quantities[Component::Request] = requests;
    let batch = match cell(row, columns.batch, "batch", &at, context)? {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(other) => {
            context.problem(
                &at,
                format!(
                    "`batch` must be `true` or `false` (found `{}`)",
                    other.escape_debug()
                ),
                None,
            );
            return Err(Reported);
        }
    };
    let stated_cost = match cell(row, columns.stated_cost, "stated_cost", &at, context)? {
        Some(text) => Some(number(text, "stated_cost", &at, context)?),
        None => None,
    };
    let text = |index, name, context: &mut Context<'_>| {
        cell(row, index, name, &at, context).map(|t| t.map(str::to_owned))
    };
    let project = text(columns.project, "project", context)?;
    let key = text(columns.key, "key", context)?;
    let workload = text(columns.workload, "workload", context)?;
    let service_tier = text(columns.service_tier, "service_tier", context)?;
    Ok(UsageRecord {
        source: context.location(at),
        date,
        span,
        provider,
        model,
        project,
        key,
        workload,
        batch,
        service_tier,
        quantities,
        requests: Some(requests),
        stated_cost,
    })
}
