//! `costcalc catalog import` and `costcalc catalog drift`: read a dataset and the mapping file,
//! then write checked catalog TOML or a drift report.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::mapping::Mapping;
use super::{drift, read, write};
use crate::cli::{AnswerFormatArg, CatalogCommand, DriftArgs, ImportArgs};
use crate::error::{Error, SourceFile};
use crate::input;
use crate::pricing::Catalog;

/// Runs one `catalog` command.
///
/// # Errors
/// Invalid input or I/O; [`Error::Drift`] when `--fail-on-drift` finds drift, after the report
/// is written.
pub fn run(
    command: &CatalogCommand,
    out: &mut dyn Write,
    notes: &mut dyn Write,
) -> Result<(), Error> {
    match command {
        CatalogCommand::Import(args) => import(args, out, notes),
        CatalogCommand::Drift(args) => report_drift(args, out),
        CatalogCommand::Export(args) => crate::catalog_export::run(args, out),
    }
}

fn import(args: &ImportArgs, out: &mut dyn Write, notes: &mut dyn Write) -> Result<(), Error> {
    let dataset = &args.dataset;
    let mapping = Mapping::load(&dataset.map)?;
    let snapshot = read(dataset.source.source(), &dataset.path, dataset.as_of)?;
    let Some(into) = args.into.as_deref().filter(|_| !args.suggest) else {
        let suggestions = write::suggest(&snapshot, &mapping);
        return emit(out, &write::suggestions_text(&suggestions));
    };
    for input in [dataset.path.as_path(), dataset.map.as_path()] {
        if same_file(input, into) {
            return Err(Error::OutputIsInput {
                path: into.to_owned(),
            });
        }
    }
    let mut files = catalog_files(&dataset.catalog.sources(), into)?;
    let catalog = Catalog::parse(&files)?;
    let generated = write::generate(&snapshot, &mapping, &catalog);
    // The same validation as a hand-written file: the text is parsed on top of the catalog it
    // changes, and nothing is written unless it passes.
    files.push(SourceFile::new(
        into.display().to_string(),
        generated.text.clone(),
    ));
    Catalog::parse(&files)?;
    crate::output::write_file(into, generated.text.as_bytes())?;
    let count = generated.offers.len();
    let mut lines = format!(
        "wrote {count} {} to {}\n",
        if count == 1 { "offer" } else { "offers" },
        into.display()
    );
    for (offer, key) in &generated.missing {
        let _ = writeln!(lines, "note: `{offer}`: `{key}` is not in the dataset");
    }
    for note in &generated.notes {
        let _ = writeln!(lines, "note: {note}");
    }
    // Notes are advice: one that cannot be written loses nothing of the file.
    let _ = notes.write_all(crate::terminal::escape_lines(&lines).as_bytes());
    Ok(())
}

fn report_drift(args: &DriftArgs, out: &mut dyn Write) -> Result<(), Error> {
    let dataset = &args.dataset;
    let mapping = Mapping::load(&dataset.map)?;
    let snapshot = read(dataset.source.source(), &dataset.path, dataset.as_of)?;
    let catalog = Catalog::load(&dataset.catalog.sources())?;
    let found = drift::compare(&snapshot, &mapping, &catalog, args.threshold);
    let text = match args.format {
        AnswerFormatArg::Table => drift::text(&found),
        AnswerFormatArg::Json => {
            let mut json = serde_json::to_string_pretty(&found)
                .unwrap_or_else(|e| unreachable!("a drift report serialises: {e}"));
            json.push('\n');
            json
        }
    };
    emit(out, &text)?;
    let failures = found.failures();
    if args.fail_on_drift && failures > 0 {
        return Err(Error::Drift {
            count: failures,
            threshold: args.threshold,
        });
    }
    Ok(())
}

/// The catalog files the output goes on top of: built-in and `--pricing`, without the file
/// being replaced, whose old content the new one supersedes.
fn catalog_files(
    sources: &crate::pricing::CatalogSources,
    into: &Path,
) -> Result<Vec<Arc<SourceFile>>, Error> {
    let read = input::read_paths(&sources.paths)?;
    let mut files = if sources.no_default {
        Vec::new()
    } else {
        Catalog::builtin_files()
    };
    files.extend(read.files.into_iter().filter(|f| {
        !same_file(Path::new(&f.name), into)
            && (sources.no_default || Catalog::builtin_copy(f).is_none())
    }));
    Ok(files)
}

fn same_file(a: &Path, b: &Path) -> bool {
    let identity = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| PathBuf::from(p));
    identity(a) == identity(b)
}

/// Writes text to standard output; a reader that went away early is not an error.
fn emit(out: &mut dyn Write, text: &str) -> Result<(), Error> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.map_err(Error::Write),
    }
}
