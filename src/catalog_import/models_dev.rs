//! models.dev's repository: `providers/<provider>/models/<model>.toml` (models may sit in
//! subfolders), each with a `[cost]` table in USD per 1M tokens, `[limit]`, `open_weights` and
//! `status`. A model file may name a `base_model` under `models/`, whose `open_weights` it
//! inherits when it does not state its own.
//!
//! TOML numbers reach `Decimal` through the same serde path as the catalog's own prices, so
//! `0.6` is exactly 0.6. models.dev states every cost in USD; a host that prices in another
//! currency on its own page is declared in the mapping file (`currency = "EUR"`), not guessed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::{Entry, exact};
use crate::component::Component;
use crate::error::{Diagnostic, Error};
use crate::input;

/// The component a `[cost]` key prices.
fn component_of(key: &str) -> Option<Component> {
    Some(match key {
        "input" => Component::Input,
        "output" => Component::Output,
        "cache_read" => Component::CachedInput,
        "cache_write" => Component::CacheWrite5m,
        "reasoning" => Component::Reasoning,
        "input_audio" => Component::AudioInput,
        "output_audio" => Component::AudioOutput,
        _ => return None,
    })
}

/// Reads every model file of every provider.
///
/// # Errors
/// An I/O error, [`Error::EmptyFolder`] when there is no `providers` folder, or
/// [`Error::Invalid`] at a file that is not TOML or a cost that is not a number.
pub fn read(path: &Path) -> Result<BTreeMap<String, Entry>, Error> {
    let (root, providers) = if path.join("providers").is_dir() {
        (path.to_owned(), path.join("providers"))
    } else {
        (path.parent().unwrap_or(path).to_owned(), path.to_owned())
    };
    let folders = sorted_entries(&providers)?;
    if folders.is_empty() {
        return Err(Error::EmptyFolder { path: providers });
    }
    let mut entries = BTreeMap::new();
    for folder in folders.into_iter().filter(|p| p.is_dir()) {
        let provider = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let models = folder.join("models");
        if !models.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        walk(&models, &mut files)?;
        for file in files {
            let relative = file
                .strip_prefix(&models)
                .unwrap_or(&file)
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/");
            let key = format!("{provider}/{relative}");
            if let Some(entry) = model(&root, &file, key.clone(), &provider)? {
                entries.insert(key, entry);
            }
        }
    }
    Ok(entries)
}

fn sorted_entries(folder: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = std::fs::read_dir(folder).map_err(|source| Error::Read {
        path: folder.to_owned(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = read.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    Ok(paths)
}

fn walk(folder: &Path, files: &mut Vec<PathBuf>) -> Result<(), Error> {
    for path in sorted_entries(folder)? {
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    Ok(())
}

fn model(root: &Path, path: &Path, key: String, provider: &str) -> Result<Option<Entry>, Error> {
    let mut file = input::read_file(path)?;
    // The repository links some models to another provider's file (a git symlink checked out
    // as a file holding the relative path): read the file it names.
    let target = file.text.trim();
    if Path::new(target).extension().is_some_and(|e| e == "toml")
        && !target.contains(['=', '\n', '['])
    {
        let linked = path.parent().unwrap_or(path).join(target);
        // A link to a file the snapshot does not hold prices nothing.
        if !linked.is_file() {
            return Ok(None);
        }
        file = input::read_file(&linked)?;
    }
    let table: toml::Table = input::parse_toml(&file)?;
    let Some(cost) = table.get("cost").and_then(toml::Value::as_table) else {
        return Ok(None);
    };
    let mut entry = Entry {
        key,
        provider: provider.to_owned(),
        ..Entry::default()
    };
    let bad = |name: &str, message: String| {
        let at = file.text.find(name).unwrap_or(0);
        Error::Invalid(vec![
            Diagnostic::at(&file, at..at + name.len(), message)
                .with_hint("fix the dataset or leave the entry out of the mapping file"),
        ])
    };
    let decimal = |name: &str, value: &toml::Value| -> Result<Decimal, Error> {
        let text = match value {
            toml::Value::Integer(i) => i.to_string(),
            // The float's shortest round-trip text: the digits the file wrote, as the catalog
            // reads its own TOML numbers.
            toml::Value::Float(f) => f.to_string(),
            other => {
                return Err(bad(
                    name,
                    format!("`{name}`: expected a number (found {other})"),
                ));
            }
        };
        exact(&text, 0).map_err(|m| bad(name, format!("`{name}`: {m}")))
    };
    for (name, value) in cost {
        if name == "tiers" {
            for tier in value.as_array().into_iter().flatten() {
                let Some(size) = tier
                    .get("tier")
                    .and_then(|t| t.get("size"))
                    .and_then(toml::Value::as_integer)
                    .and_then(|s| u64::try_from(s).ok())
                else {
                    entry
                        .notes
                        .push("a tier without a size left out".to_owned());
                    continue;
                };
                for (key, price) in tier.as_table().into_iter().flatten() {
                    if let Some(component) = component_of(key) {
                        let price = decimal(key, price)?;
                        entry.set(Some(size), None, component, price, key);
                    }
                }
            }
        } else if let Some(component) = component_of(name) {
            let price = decimal(name, value)?;
            entry.set(None, None, component, price, name);
        } else {
            entry
                .notes
                .push(format!("`cost.{name}` left out: no costcalc component"));
        }
    }
    entry.max_input_tokens = table
        .get("limit")
        .and_then(|l| l.get("input"))
        .and_then(toml::Value::as_integer)
        .and_then(|n| u64::try_from(n).ok());
    if table.get("status").and_then(toml::Value::as_str) == Some("deprecated") {
        entry.deprecated = Some(None);
    }
    entry.open_weights = table
        .get("open_weights")
        .and_then(toml::Value::as_bool)
        .or_else(|| base_open_weights(root, &table));
    Ok(Some(entry))
}

/// `open_weights` of the canonical model a provider's file names as `base_model`.
fn base_open_weights(root: &Path, table: &toml::Table) -> Option<bool> {
    let base = table.get("base_model")?.as_str()?;
    if base.contains("..") {
        return None;
    }
    let text = std::fs::read_to_string(root.join("models").join(format!("{base}.toml"))).ok()?;
    let base: toml::Table = toml::from_str(&text).ok()?;
    base.get("open_weights")?.as_bool()
}
