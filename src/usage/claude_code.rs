//! Claude Code session logs: JSON Lines under `~/.claude/projects/<project>/<session>.jsonl`,
//! one entry per line, read line by line.
//!
//! Assistant entries carry `timestamp`, `requestId`, `message.id`, `message.model` and
//! `message.usage`; other lines (user turns, summaries) carry no usage and are counted apart.
//! What includes what, from the Messages API `usage` object that Claude Code logs: the fields
//! are disjoint. `input_tokens` is fresh input only (neither read from nor written to the
//! cache), `cache_read_input_tokens` are cache hits, `cache_creation_input_tokens` are all
//! cache writes, split by lifetime in `cache_creation.ephemeral_5m_input_tokens` and
//! `ephemeral_1h_input_tokens` where the log has them (older logs do not: their writes are
//! 5-minute writes, the only lifetime there was), `output_tokens` includes extended thinking,
//! billed as output, and `server_tool_use.web_search_requests` counts searches. Each entry is
//! one request. `costUSD`, where present, is the stated cost.
//!
//! The same message is logged more than once (once per content block, and again when a
//! session is resumed), so entries are deduplicated on `message.id` + `requestId` across all
//! files of a call, keeping the first. The set of seen pairs (`seen.rs`) keeps 60 bits of a
//! hash per entry in about 5 bytes, the one thing that grows with the number of lines; two
//! different pairs are taken for one with odds of about 1 in 23,000 over ten million entries.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::io::BufRead;
use std::marker::PhantomData;

use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::field::{Num, Reported};
use super::{At, Context, Sink, UsageRecord};
use crate::component::{Component, PerComponent};
use crate::error::{Diagnostic, Error, SourceFile};

/// The model Claude Code writes for messages it makes up itself (API errors, interruptions).
const SYNTHETIC: &str = "<synthetic>";

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(rename = "requestId", borrow)]
    request_id: Option<Cow<'a, str>>,
    #[serde(rename = "costUSD")]
    cost_usd: Option<Num>,
    #[serde(borrow)]
    cwd: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "object_or_none")]
    message: Option<Message<'a>>,
}

#[derive(Deserialize)]
struct Message<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    model: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "object_or_none")]
    usage: Option<Usage<'a>>,
}

#[derive(Deserialize)]
struct Usage<'a> {
    input_tokens: Option<Num>,
    cache_creation_input_tokens: Option<Num>,
    cache_read_input_tokens: Option<Num>,
    output_tokens: Option<Num>,
    cache_creation: Option<CacheCreation>,
    server_tool_use: Option<ServerToolUse>,
    #[serde(borrow)]
    service_tier: Option<Cow<'a, str>>,
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

/// An object deserialized as `T`; any other JSON value (a user turn's `message` can be text)
/// as `None`.
fn object_or_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct ObjectOrNone<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOrNone<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<T>, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(ObjectOrNone(PhantomData))
}

pub(super) fn read(
    mut reader: impl BufRead,
    context: &mut Context<'_>,
    sink: &mut Sink<'_>,
) -> Result<(), Error> {
    let mut line = Vec::with_capacity(4096);
    let mut number = 0u64;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| context.read_error(e))?;
        if read == 0 || context.is_full() {
            return Ok(());
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let entry = match serde_json::from_slice::<Entry<'_>>(&line) {
            Ok(entry) => entry,
            Err(error) => {
                line_error(context, number, &error);
                continue;
            }
        };
        if let Ok(Some(record)) = convert(&entry, At::Line(number), context) {
            sink(record)?;
        }
    }
}

/// A line that is not one JSON object, located at its line and column.
fn line_error(context: &mut Context<'_>, number: u64, error: &serde_json::Error) {
    let message = if error.is_eof() {
        "the line ends in the middle of a JSON value; the file looks cut short".to_owned()
    } else {
        let text = error.to_string();
        match text.rfind(" at line ") {
            Some(cut) => text[..cut].to_owned(),
            None => text,
        }
    };
    let name = format!("{}:{number}:{}", context.file.display(), error.column());
    context.problems.push(Diagnostic::in_file(
        &SourceFile::new(name, String::new()),
        message,
    ));
}

/// The record of an entry; `None` for entries that are counted apart rather than read.
fn convert(
    entry: &Entry<'_>,
    at: At,
    context: &mut Context<'_>,
) -> Result<Option<UsageRecord>, Reported> {
    let Some(message) = &entry.message else {
        context.tally.without_usage += 1;
        return Ok(None);
    };
    let Some(usage) = &message.usage else {
        context.tally.without_usage += 1;
        return Ok(None);
    };
    if message.model.as_deref() == Some(SYNTHETIC) {
        context.tally.synthetic += 1;
        return Ok(None);
    }
    match (&message.id, &entry.request_id) {
        (Some(id), Some(request)) => {
            let mut hasher = std::hash::DefaultHasher::new();
            (id.as_ref(), request.as_ref()).hash(&mut hasher);
            if !context.state.seen.insert(hasher.finish()) {
                context.tally.duplicates += 1;
                return Ok(None);
            }
        }
        _ => context.tally.not_deduplicable += 1,
    }
    let (date, span) = context.time(&at, "timestamp", entry.timestamp.as_deref())?;
    let model = context
        .text(&at, "message.model", message.model.as_deref())?
        .to_owned();
    let mut q = PerComponent::<Decimal>::default();
    q[Component::Input] = context.count(
        &at,
        "message.usage.input_tokens",
        usage.input_tokens.as_ref(),
    )?;
    q[Component::CachedInput] = context.optional_count(
        &at,
        "message.usage.cache_read_input_tokens",
        usage.cache_read_input_tokens.as_ref(),
    )?;
    let (write_5m, write_1h) = cache_writes(usage, &at, context)?;
    q[Component::CacheWrite5m] = write_5m;
    q[Component::CacheWrite1h] = write_1h;
    q[Component::Output] = context.count(
        &at,
        "message.usage.output_tokens",
        usage.output_tokens.as_ref(),
    )?;
    q[Component::WebSearch] = context.optional_count(
        &at,
        "message.usage.server_tool_use.web_search_requests",
        usage
            .server_tool_use
            .as_ref()
            .and_then(|s| s.web_search_requests.as_ref()),
    )?;
    q[Component::Request] = Decimal::ONE;
    let stated_cost = context.optional_money(&at, "costUSD", entry.cost_usd.as_ref())?;
    Ok(Some(UsageRecord {
        source: context.location(at),
        date,
        span,
        provider: Some("anthropic".to_owned()),
        model,
        project: entry.cwd.as_deref().map(str::to_owned),
        key: None,
        workload: None,
        batch: false,
        service_tier: usage.service_tier.as_deref().map(str::to_owned),
        quantities: q,
        requests: Some(Decimal::ONE),
        stated_cost,
    }))
}

/// The cache writes of an entry per lifetime, 5 minutes and 1 hour (see the module docs).
fn cache_writes(
    usage: &Usage<'_>,
    at: &At,
    context: &mut Context<'_>,
) -> Result<(Decimal, Decimal), Reported> {
    let writes = context.optional_count(
        at,
        "message.usage.cache_creation_input_tokens",
        usage.cache_creation_input_tokens.as_ref(),
    )?;
    match &usage.cache_creation {
        None => Ok((writes, Decimal::ZERO)),
        Some(split) => {
            let write_5m = context.optional_count(
                at,
                "message.usage.cache_creation.ephemeral_5m_input_tokens",
                split.ephemeral_5m_input_tokens.as_ref(),
            )?;
            let write_1h = context.optional_count(
                at,
                "message.usage.cache_creation.ephemeral_1h_input_tokens",
                split.ephemeral_1h_input_tokens.as_ref(),
            )?;
            let split_sum = context.sum(at, "cache writes", &[write_5m, write_1h])?;
            if split_sum == writes {
                Ok((write_5m, write_1h))
            } else if split_sum.is_zero() {
                Ok((writes, Decimal::ZERO))
            } else {
                context.problem(
                    at,
                    format!(
                        "`message.usage.cache_creation` splits {split_sum} cache-write tokens \
                         but `cache_creation_input_tokens` is {writes}"
                    ),
                    None,
                );
                Err(Reported)
            }
        }
    }
}
