//! Which catalog offer a usage record's provider and model name stand for.
//!
//! Exports name models as their APIs do: with dates (`gpt-4o-2024-08-06`,
//! `claude-sonnet-4-5-20250929`) and prefixes (`openai/gpt-4.1`). A name resolves, first rule
//! that applies:
//!
//! 1. a user's mapping (`--map NAME=OFFER`, or a map file's `[map]` table) of the exact name;
//! 2. the provider: the export's own, else the name's prefix (`openai/` in `openai/gpt-4.1`),
//!    matched against the catalog's provider ids and names, ignoring case, spaces and punctuation;
//! 3. the model, named without its prefix: a model id, then a model's alias, then the name with
//!    a trailing date (`-2024-08-06`, `-20250929`) dropped, as an id or an alias; a name found
//!    only by dropping its date is reported in a note, since snapshots can be priced apart;
//! 4. the offer of that model at that provider; without a provider, the model's only offer, or
//!    the offer at the model's maker.
//!
//! A name that resolves to nothing is never priced at zero: the caller lists every such name.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Diagnostic, Error, suggest};
use crate::input;
use crate::pricing::{Catalog, Offer};

/// The user's mappings from exported model names to offers.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    overrides: BTreeMap<String, String>,
}

/// A map file: `[map]` with `"exported name" = "model@provider"`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    #[serde(default)]
    map: BTreeMap<String, Spanned<String>>,
}

impl Mapping {
    /// The mappings of a map file, then of `--map` (which win), each offer checked.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a map file that does not parse or names unknown offers;
    /// [`Error::Argument`] for a `--map` that is not `NAME=OFFER` or names an unknown offer.
    pub fn new(catalog: &Catalog, file: Option<&Path>, pairs: &[String]) -> Result<Mapping, Error> {
        let mut overrides = BTreeMap::new();
        if let Some(path) = file {
            let source = input::read_file(path)?;
            let raw: MapFile = input::parse_toml(&source)?;
            let mut problems = Vec::new();
            for (name, offer) in raw.map {
                match catalog.offer(offer.get_ref()) {
                    Ok(_) => {
                        overrides.insert(name, offer.into_inner());
                    }
                    Err((message, hint)) => problems
                        .push(Diagnostic::at(&source, offer.span(), message).with_hint(hint)),
                }
            }
            if !problems.is_empty() {
                return Err(Error::Invalid(problems));
            }
        }
        for pair in pairs {
            let Some((name, offer)) = pair.split_once('=') else {
                return Err(Error::Argument(format!(
                    "`--map` takes NAME=OFFER (found `{pair}`)\nhint: such as `--map gpt-4o-2024-05-13=gpt-4o@openai`"
                )));
            };
            let (name, offer) = (name.trim(), offer.trim());
            catalog.offer(offer).map_err(|(message, hint)| {
                Error::Argument(format!("`--map {pair}`: {message}\nhint: {hint}"))
            })?;
            overrides.insert(name.to_owned(), offer.to_owned());
        }
        Ok(Mapping { overrides })
    }
}

/// An offer found for a name.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'c> {
    pub offer: &'c Offer,
    pub dropped_date: bool,
}

/// Resolves an exported provider and model name to an offer, or says why it cannot.
///
/// # Errors
/// Why nothing matched, with a did-you-mean where one is close, for the caller to list.
pub fn resolve<'c>(
    catalog: &'c Catalog,
    mapping: &Mapping,
    provider: Option<&str>,
    model: &str,
) -> Result<Resolved<'c>, String> {
    if let Some(offer) = mapping.overrides.get(model) {
        let offer = catalog.offer(offer).map_err(|(message, _)| message)?;
        return Ok(Resolved {
            offer,
            dropped_date: false,
        });
    }
    let (prefix, name) = match model.split_once('/') {
        Some((prefix, _)) => (Some(prefix), model.rsplit('/').next().unwrap_or(model)),
        None => (None, model),
    };
    let provider_id = provider
        .and_then(|p| provider_of(catalog, p))
        .or_else(|| prefix.and_then(|p| provider_of(catalog, p)));
    if let Some(given) = provider
        && provider_id.is_none()
    {
        return Err(format!(
            "the provider `{}` is not in the catalog",
            given.escape_debug()
        ));
    }
    let Some((model_id, dropped_date)) = model_of(catalog, name) else {
        let names = catalog.models.iter().flat_map(|(id, m)| {
            std::iter::once(id.as_str()).chain(m.aliases.iter().map(String::as_str))
        });
        return Err(match suggest(name, names) {
            Some(best) => format!("no model or alias is named so; did you mean `{best}`?"),
            None => "no model or alias is named so".to_owned(),
        });
    };
    let offers: Vec<&Offer> = catalog.offers().filter(|o| o.model == model_id).collect();
    let found = match provider_id {
        Some(provider) => offers.iter().find(|o| o.provider == provider).copied(),
        None if offers.len() == 1 => offers.first().copied(),
        None => {
            let maker = catalog.model(model_id).map(|m| normalise(&m.maker));
            offers
                .iter()
                .find(|o| {
                    catalog
                        .provider(&o.provider)
                        .is_some_and(|p| Some(normalise(&p.name)) == maker)
                })
                .copied()
        }
    };
    if let Some(offer) = found {
        Ok(Resolved {
            offer,
            dropped_date,
        })
    } else {
        {
            let ids: Vec<String> = offers.iter().map(|o| format!("`{}`", o.id)).collect();
            let at = provider_id.map_or_else(
                || "no provider is named and".to_owned(),
                |p| format!("`{p}` does not offer it in the catalog;"),
            );
            Err(if ids.is_empty() {
                format!("model `{model_id}` has no offer in the catalog")
            } else {
                format!("{at} `{model_id}` is offered as {}", ids.join(", "))
            })
        }
    }
}

/// The catalog provider an export's provider name stands for.
fn provider_of<'c>(catalog: &'c Catalog, name: &str) -> Option<&'c str> {
    let wanted = normalise(name);
    catalog
        .providers
        .iter()
        .find(|(id, provider)| normalise(id) == wanted || normalise(&provider.name) == wanted)
        .map(|(id, _)| id.as_str())
}

/// The model id a name (without prefix) stands for, and whether its date had to be dropped.
fn model_of<'c>(catalog: &'c Catalog, name: &str) -> Option<(&'c str, bool)> {
    let direct = |name: &str| {
        catalog
            .models
            .get_key_value(name)
            .map(|(id, _)| id.as_str())
            .or_else(|| catalog.model_by_alias(name))
    };
    direct(name)
        .map(|id| (id, false))
        .or_else(|| without_date(name).and_then(direct).map(|id| (id, true)))
}

/// The name without a trailing `-YYYY-MM-DD` or `-YYYYMMDD`, if it has one.
fn without_date(name: &str) -> Option<&str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (rest, last) = name.rsplit_once('-')?;
    if last.len() == 8 && digits(last) && last.starts_with("20") {
        return Some(rest);
    }
    // `-2024-08-06`: three parts of 4, 2 and 2 digits.
    let (rest, month) = rest.rsplit_once('-')?;
    let (rest, year) = rest.rsplit_once('-')?;
    (year.len() == 4
        && month.len() == 2
        && last.len() == 2
        && digits(year)
        && digits(month)
        && digits(last))
    .then_some(rest)
}

/// Lowercase letters and digits only: `Together AI` and `together-ai` are the same name.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_dropped_only_at_the_end_and_only_when_they_are_dates() {
        assert_eq!(without_date("gpt-4o-2024-08-06"), Some("gpt-4o"));
        assert_eq!(
            without_date("claude-sonnet-4-5-20250929"),
            Some("claude-sonnet-4-5")
        );
        assert_eq!(without_date("qwen3-235b-a22b-instruct-2507"), None);
        assert_eq!(without_date("gpt-4.1"), None);
        assert_eq!(without_date("deepseek-r1-0528"), None);
    }

    fn builtin() -> Catalog {
        Catalog::builtin().unwrap()
    }

    fn offer_of(provider: Option<&str>, model: &str) -> Result<(String, bool), String> {
        let catalog = builtin();
        resolve(&catalog, &Mapping::default(), provider, model)
            .map(|r| (r.offer.id().to_owned(), r.dropped_date))
    }

    #[test]
    fn names_resolve_by_id_alias_prefix_and_dropped_date() {
        let ok = |id: &str, dropped| Ok((id.to_owned(), dropped));
        assert_eq!(
            offer_of(Some("openai"), "gpt-4o-2024-08-06"),
            ok("gpt-4o@openai", false)
        );
        assert_eq!(
            offer_of(None, "openai/gpt-4.1"),
            ok("gpt-4.1@openai", false)
        );
        assert_eq!(
            offer_of(Some("OpenAI"), "openai/gpt-4.1"),
            ok("gpt-4.1@openai", false)
        );
        assert_eq!(
            offer_of(Some("DeepInfra"), "qwen/qwen3-235b-a22b"),
            ok("qwen3-235b-a22b@deepinfra", false)
        );
        // Not an alias: found by dropping the date, and flagged.
        assert_eq!(
            offer_of(Some("openai"), "gpt-4o-2024-05-13"),
            ok("gpt-4o@openai", true)
        );
        // Without a provider, the offer at the model's maker.
        assert_eq!(
            offer_of(None, "claude-haiku-4-5-20251001"),
            ok("claude-haiku-4-5@anthropic", false)
        );
    }

    #[test]
    fn unknown_names_and_providers_say_why() {
        let error = offer_of(Some("openai"), "gpt-4o-mimi").unwrap_err();
        assert_eq!(
            error,
            "no model or alias is named so; did you mean `gpt-4o-mini`?"
        );
        let error = offer_of(Some("perplexity"), "gpt-4o").unwrap_err();
        assert_eq!(error, "the provider `perplexity` is not in the catalog");
        let error = offer_of(Some("deepinfra"), "gpt-4o").unwrap_err();
        assert!(
            error.starts_with(
                "`deepinfra` does not offer it in the catalog; `gpt-4o` is offered as `gpt-4o@"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_users_mapping_wins_and_is_checked() {
        let catalog = builtin();
        let mapping = Mapping::new(&catalog, None, &["my-model=gpt-4o@openai".to_owned()]).unwrap();
        let found = resolve(&catalog, &mapping, Some("azure"), "my-model").unwrap();
        assert_eq!(found.offer.id(), "gpt-4o@openai");
        let error = Mapping::new(&catalog, None, &["x=gpt-4o@opneai".to_owned()]).unwrap_err();
        assert!(
            error.to_string().contains("unknown offer `gpt-4o@opneai`"),
            "{error}"
        );
        let error = Mapping::new(&catalog, None, &["x".to_owned()]).unwrap_err();
        assert!(
            error.to_string().contains("`--map` takes NAME=OFFER"),
            "{error}"
        );
    }
}
