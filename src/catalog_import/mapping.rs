//! The mapping file (`pricing/import/map.toml`): which upstream entry feeds which offer, and
//! which upstream providers each catalog provider is known by (for `--suggest`).
//!
//! It lives in a folder of its own under `pricing/` because it is not a catalog file: the
//! catalog reads `pricing/*.toml` only, and this file must never be mistaken for prices.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::Source;
use crate::error::{Diagnostic, Error, Problems};
use crate::input;

/// Where the mapping file is by default, from the repository root.
pub const DEFAULT_PATH: &str = "pricing/import/map.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    provider: Vec<RawProvider>,
    #[serde(default)]
    map: Vec<RawLine>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    id: String,
    #[serde(default)]
    litellm: Vec<String>,
    #[serde(default)]
    genai_prices: Vec<String>,
    #[serde(default)]
    models_dev: Vec<String>,
    #[serde(default)]
    openrouter: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLine {
    offer: Spanned<String>,
    litellm: Option<String>,
    genai_prices: Option<String>,
    models_dev: Option<String>,
    openrouter: Option<String>,
    /// The currency the host's own page prices in, where a dataset files its figures as USD.
    currency: Option<String>,
    /// Why this entry feeds this offer, or what to know about it.
    #[expect(
        dead_code,
        reason = "read for the reader of the file, checked for its type only"
    )]
    note: Option<String>,
}

/// One offer and the upstream entries that feed it.
#[derive(Debug, Clone)]
pub struct Line {
    /// `model@provider`.
    pub offer: String,
    pub keys: BTreeMap<Source, String>,
    pub currency: Option<String>,
}

impl Line {
    #[must_use]
    pub fn model(&self) -> &str {
        self.offer.split_once('@').map_or("", |(m, _)| m)
    }

    #[must_use]
    pub fn provider(&self) -> &str {
        self.offer.split_once('@').map_or("", |(_, p)| p)
    }
}

/// The whole mapping file, checked.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    pub lines: Vec<Line>,
    /// Catalog provider -> source -> the dataset's provider ids.
    pub providers: BTreeMap<String, BTreeMap<Source, Vec<String>>>,
}

impl Mapping {
    /// Reads and checks a mapping file.
    ///
    /// # Errors
    /// An I/O error, or [`Error::Invalid`] with every problem: TOML, an offer not written
    /// `model@provider`, an offer mapped twice.
    pub fn load(path: &Path) -> Result<Mapping, Error> {
        let file = input::read_file(path)?;
        let raw: RawFile = input::parse_toml(&file)?;
        let mut problems = Problems::default();
        let mut seen = BTreeSet::new();
        let mut lines = Vec::new();
        for line in raw.map {
            let offer = line.offer.get_ref().clone();
            let span = line.offer.span();
            if !offer.contains('@') {
                problems.push(
                    Diagnostic::at(
                        &file,
                        span.clone(),
                        format!("`offer` must be `model@provider` (found `{offer}`)"),
                    )
                    .with_hint("name the catalog's offer, such as `gpt-5.5@openai`"),
                );
            }
            if !seen.insert(offer.clone()) {
                problems.push(
                    Diagnostic::at(&file, span, format!("`{offer}` is mapped twice"))
                        .with_hint("keep one `[[map]]` line per offer"),
                );
            }
            let keys = [
                (Source::Litellm, line.litellm),
                (Source::GenaiPrices, line.genai_prices),
                (Source::ModelsDev, line.models_dev),
                (Source::Openrouter, line.openrouter),
            ]
            .into_iter()
            .filter_map(|(s, k)| Some((s, k?)))
            .collect();
            lines.push(Line {
                offer,
                keys,
                currency: line.currency,
            });
        }
        let providers = raw
            .provider
            .into_iter()
            .map(|p| {
                let by_source = [
                    (Source::Litellm, p.litellm),
                    (Source::GenaiPrices, p.genai_prices),
                    (Source::ModelsDev, p.models_dev),
                    (Source::Openrouter, p.openrouter),
                ]
                .into_iter()
                .collect();
                (p.id, by_source)
            })
            .collect();
        problems.into_result(Mapping { lines, providers })
    }

    /// The lines that name an entry of `source`.
    pub fn lines_for(&self, source: Source) -> impl Iterator<Item = (&Line, &str)> {
        self.lines
            .iter()
            .filter_map(move |l| l.keys.get(&source).map(|k| (l, k.as_str())))
    }

    /// The catalog provider a dataset's provider id belongs to, if the file says.
    #[must_use]
    pub fn catalog_provider(&self, source: Source, upstream: &str) -> Option<&str> {
        self.providers
            .iter()
            .find(|(_, by)| {
                by.get(&source)
                    .is_some_and(|ids| ids.iter().any(|i| i == upstream))
            })
            .map(|(id, _)| id.as_str())
    }
}
