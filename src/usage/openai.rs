//! OpenAI Usage API completions pages (`GET /v1/organization/usage/completions`), saved as JSON:
//! one page (`{"object": "page", "data": [bucket...]}`) or an array of pages.
//!
//! What includes what, from the API reference (`UsageCompletionsResult`), which has described the
//! fields in two ways:
//!
//! - Older pages carry `input_tokens`, `input_cached_tokens`, `input_audio_tokens`,
//!   `output_tokens`, `output_audio_tokens`. There `input_tokens` is *text* input including the
//!   cached text (`input_cached_tokens`); `input_audio_tokens` is audio input including its cached
//!   part, which is not broken out; `output_tokens` is text output and `output_audio_tokens`
//!   audio output. So: uncached input = `input_tokens - input_cached_tokens`, cache reads =
//!   `input_cached_tokens`, audio input = `input_audio_tokens` (its cache hits billed as uncached
//!   audio, the only reading the page allows), output = `output_tokens`, audio output =
//!   `output_audio_tokens`.
//! - Newer pages break input out by modality (`input_text_tokens`, `input_image_tokens`,
//!   `input_cached_audio_tokens`, `input_uncached_tokens`, ...), and `input_tokens` is all input
//!   (text, audio and image, cached and cache-write) and `input_cached_tokens` all cache hits.
//!   A page with any of those fields is read that way: cached audio =
//!   `input_cached_audio_tokens`, audio input = `input_audio_tokens - input_cached_audio_tokens`,
//!   image input = `input_image_tokens - input_cached_image_tokens`, cache reads =
//!   `input_cached_tokens - input_cached_audio_tokens` (cached images are billed as cached
//!   input), uncached input = the rest of `input_tokens`. When `output_text_tokens` is present
//!   `output_tokens` is all output, so output = `output_tokens - output_audio_tokens`.
//!
//! OpenAI bills cache writes as plain input, so they stay in uncached input. The page has no
//! reasoning figure: reasoning tokens are inside `output_tokens` and billed at the output price,
//! as OpenAI bills them.

use std::io::BufRead;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::field::{Num, Reported};
use super::{At, Context, Sink, UsageRecord, json_error, peek};
use crate::component::{Component, PerComponent};
use crate::error::Error;

const RESULT_OBJECT: &str = "organization.usage.completions.result";

#[derive(Deserialize)]
struct Page {
    object: Option<String>,
    data: Option<Vec<Bucket>>,
}

#[derive(Deserialize)]
struct Bucket {
    start_time: Option<i64>,
    end_time: Option<i64>,
    results: Option<Vec<Result>>,
}

#[derive(Deserialize)]
struct Result {
    object: Option<String>,
    input_tokens: Option<Num>,
    input_cached_tokens: Option<Num>,
    input_audio_tokens: Option<Num>,
    output_tokens: Option<Num>,
    output_audio_tokens: Option<Num>,
    num_model_requests: Option<Num>,
    input_text_tokens: Option<Num>,
    input_uncached_tokens: Option<Num>,
    input_cached_text_tokens: Option<Num>,
    input_cached_audio_tokens: Option<Num>,
    input_image_tokens: Option<Num>,
    input_cached_image_tokens: Option<Num>,
    output_text_tokens: Option<Num>,
    model: Option<String>,
    project_id: Option<String>,
    api_key_id: Option<String>,
    batch: Option<bool>,
    service_tier: Option<String>,
}

impl Result {
    /// Whether the page breaks input out by modality, so `input_tokens` is all input.
    fn by_modality(&self) -> bool {
        self.input_text_tokens.is_some()
            || self.input_uncached_tokens.is_some()
            || self.input_cached_text_tokens.is_some()
            || self.input_cached_audio_tokens.is_some()
            || self.input_image_tokens.is_some()
            || self.input_cached_image_tokens.is_some()
    }
}

pub(super) fn read(
    mut reader: impl BufRead,
    context: &mut Context<'_>,
    sink: &mut Sink<'_>,
) -> std::result::Result<(), Error> {
    let first = peek(&mut reader).map_err(|e| context.read_error(e))?;
    let pages: Vec<Page> = match first {
        Some(b'[') => serde_json::from_reader(reader),
        _ => serde_json::from_reader(reader).map(|page| vec![page]),
    }
    .unwrap_or_else(|error| {
        json_error(context, &error);
        Vec::new()
    });
    for (p, page) in pages.iter().enumerate() {
        let at = At::Json(if first == Some(b'[') {
            format!("[{p}]")
        } else {
            "page".to_owned()
        });
        if page.object.as_deref() != Some("page") || page.data.is_none() {
            context.problem(
                &at,
                "is not an OpenAI usage page (expected `\"object\": \"page\"` with `data`)"
                    .to_owned(),
                Some("save the response of GET /v1/organization/usage/completions".to_owned()),
            );
            continue;
        }
        let prefix = if first == Some(b'[') {
            format!("[{p}].")
        } else {
            String::new()
        };
        for (b, bucket) in page.data.iter().flatten().enumerate() {
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
    if let Some(object) = result.object.as_deref()
        && object != RESULT_OBJECT
    {
        context.problem(
            &at,
            format!("is `{}`, not completions usage", object.escape_debug()),
            Some("save the response of GET /v1/organization/usage/completions".to_owned()),
        );
        return Err(Reported);
    }
    let (date, span) =
        context.unix_bucket(&at, ("start_time", bucket.start_time), bucket.end_time)?;
    let Some(model) = result.model.clone() else {
        context.problem(
            &at,
            "`model` is missing".to_owned(),
            Some("export with group_by=model so each result names its model".to_owned()),
        );
        return Err(Reported);
    };
    let mut q = input_buckets(result, &at, context)?;
    let output = context.count(&at, "output_tokens", result.output_tokens.as_ref())?;
    let audio_output = context.optional_count(
        &at,
        "output_audio_tokens",
        result.output_audio_tokens.as_ref(),
    )?;
    let requests = context.count(
        &at,
        "num_model_requests",
        result.num_model_requests.as_ref(),
    )?;
    q[Component::AudioOutput] = audio_output;
    q[Component::Request] = requests;
    q[Component::Output] = if result.output_text_tokens.is_some() {
        context.less(
            &at,
            ("output_tokens", output),
            ("output_audio_tokens", audio_output),
        )?
    } else {
        output
    };
    Ok(UsageRecord {
        source: context.location(at),
        date,
        span,
        provider: Some("openai".to_owned()),
        model,
        project: result.project_id.clone(),
        key: result.api_key_id.clone(),
        workload: None,
        batch: result.batch.unwrap_or(false),
        service_tier: result.service_tier.clone(),
        quantities: q,
        requests: Some(requests),
        stated_cost: None,
    })
}

/// The input buckets of a result, read the old or the new way (see the module docs).
fn input_buckets(
    result: &Result,
    at: &At,
    context: &mut Context<'_>,
) -> std::result::Result<PerComponent<Decimal>, Reported> {
    let mut q = PerComponent::<Decimal>::default();
    let input = context.count(at, "input_tokens", result.input_tokens.as_ref())?;
    let cached = context.optional_count(
        at,
        "input_cached_tokens",
        result.input_cached_tokens.as_ref(),
    )?;
    let audio =
        context.optional_count(at, "input_audio_tokens", result.input_audio_tokens.as_ref())?;
    if result.by_modality() {
        let cached_audio = context.optional_count(
            at,
            "input_cached_audio_tokens",
            result.input_cached_audio_tokens.as_ref(),
        )?;
        let image =
            context.optional_count(at, "input_image_tokens", result.input_image_tokens.as_ref())?;
        let cached_image = context.optional_count(
            at,
            "input_cached_image_tokens",
            result.input_cached_image_tokens.as_ref(),
        )?;
        q[Component::CachedAudioInput] = cached_audio;
        q[Component::AudioInput] = context.less(
            at,
            ("input_audio_tokens", audio),
            ("input_cached_audio_tokens", cached_audio),
        )?;
        q[Component::ImageInput] = context.less(
            at,
            ("input_image_tokens", image),
            ("input_cached_image_tokens", cached_image),
        )?;
        q[Component::CachedInput] = context.less(
            at,
            ("input_cached_tokens", cached),
            ("input_cached_audio_tokens", cached_audio),
        )?;
        let not_text_or_cached = context.sum(
            at,
            "input tokens",
            &[cached, q[Component::AudioInput], q[Component::ImageInput]],
        )?;
        q[Component::Input] = context.less(
            at,
            ("input_tokens", input),
            (
                "input_cached_tokens + uncached audio and image tokens",
                not_text_or_cached,
            ),
        )?;
    } else {
        q[Component::CachedInput] = cached;
        q[Component::Input] =
            context.less(at, ("input_tokens", input), ("input_cached_tokens", cached))?;
        q[Component::AudioInput] = audio;
    }
    Ok(q)
}
