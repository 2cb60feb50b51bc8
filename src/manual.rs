//! Shell completion scripts and manual pages, generated at run time from the command line's own
//! definition in [`crate::cli`], so they can never fall behind it. Produces text; writing it is
//! left to the caller, except `man --dir`, which writes its pages through [`crate::output`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::Error;
use crate::output;

/// The command line as clap builds it for help: every subcommand named `costcalc-...` and no
/// `help` subcommand, which has no page of its own.
fn command() -> clap::Command {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    command
}

/// The completion script for `shell`.
#[must_use]
pub fn completions(shell: Shell) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "costcalc", &mut script);
    // clap writes the names and help texts it is given, which are UTF-8.
    String::from_utf8_lossy(&script).into_owned()
}

/// The roff source of one manual page.
fn render(command: clap::Command) -> Vec<u8> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .source(concat!("costcalc ", env!("CARGO_PKG_VERSION")))
        .manual("costcalc manual")
        .render(&mut page)
        .expect("writing into memory cannot fail");
    page
}

/// The manual page of `costcalc`, or of the subcommand `path` names (`["catalog", "import"]`).
///
/// # Errors
/// [`Error::Argument`] when `path` names no subcommand, with the closest name as a hint.
pub fn page(path: &[String]) -> Result<String, Error> {
    let mut command = command();
    for (depth, name) in path.iter().enumerate() {
        let Some(sub) = command.find_subcommand(name).cloned() else {
            let names: Vec<&str> = command
                .get_subcommands()
                .map(clap::Command::get_name)
                .collect();
            let parent = std::iter::once("costcalc")
                .chain(path[..depth].iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            if names.is_empty() {
                let shown = parent.strip_prefix("costcalc").unwrap_or(&parent);
                return Err(Error::Argument(format!(
                    "`{parent}` has no commands, so `{name}` names no page\nhint: \
                     `costcalc man{shown}` shows the page of `{parent}`"
                )));
            }
            let hint = crate::error::suggest(name, names.iter().copied()).map_or_else(
                || format!("the commands of `{parent}` are {}", names.join(", ")),
                |best| format!("did you mean `{best}`?"),
            );
            return Err(Error::Argument(format!(
                "no command `{name}` in `{parent}`\nhint: {hint}"
            )));
        };
        command = sub;
    }
    Ok(String::from_utf8_lossy(&render(command)).into_owned())
}

/// Every page: `costcalc.1`, then each subcommand's (`costcalc-run.1`, `costcalc-catalog.1`,
/// `costcalc-catalog-import.1`, ...), depth first in the order of `--help`.
#[must_use]
pub fn pages() -> Vec<(String, Vec<u8>)> {
    fn collect(command: &clap::Command, into: &mut Vec<(String, Vec<u8>)>) {
        let name = command
            .get_display_name()
            .unwrap_or_else(|| command.get_name());
        into.push((format!("{name}.1"), render(command.clone())));
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            collect(sub, into);
        }
    }
    let mut pages = Vec::new();
    collect(&command(), &mut pages);
    pages
}

/// Writes every page into the folder `dir`, all or nothing (see [`output::write_files`]): each
/// page goes to a temporary file first, and the files are renamed into place only once every
/// page was written. Returns a line per file written.
///
/// # Errors
/// [`Error::NotAFolder`] when `dir` does not exist or is not a folder; [`Error::ManPage`] when
/// a page cannot be written, saying which pages (none, unless a rename failed) were.
pub fn write_pages(dir: &Path) -> Result<String, Error> {
    let found = match std::fs::metadata(dir) {
        Ok(metadata) if metadata.is_dir() => None,
        Ok(_) => Some((
            "is not a folder",
            "name the folder the pages go in, such as `~/.local/share/man/man1`".to_owned(),
        )),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Some((
            "does not exist",
            format!("create it first (`mkdir -p {}`)", dir.display()),
        )),
        Err(source) => {
            return Err(Error::Read {
                path: dir.to_owned(),
                source,
            });
        }
    };
    if let Some((found, hint)) = found {
        return Err(Error::NotAFolder {
            path: dir.to_owned(),
            found,
            hint,
        });
    }
    let files: Vec<(PathBuf, Vec<u8>)> = pages()
        .into_iter()
        .map(|(name, page)| (dir.join(name), page))
        .collect();
    output::write_files(&files).map_err(|(error, renamed)| {
        let outcome = if renamed == 0 {
            "no page was written".to_owned()
        } else {
            let names: Vec<String> = files[..renamed]
                .iter()
                .map(|(path, _)| format!("`{}`", path.display()))
                .collect();
            format!("only these pages were written: {}", names.join(", "))
        };
        let (path, reason, hint) = match error {
            Error::OutputIsFolder { path } => {
                let hint = format!(
                    "move or remove the folder `{}`, then run again",
                    path.display()
                );
                (path, "it is a folder".to_owned(), hint)
            }
            Error::OutputNotAFile { path, kind } => {
                let hint = format!("move or remove `{}`, then run again", path.display());
                (path, format!("it is {kind}"), hint)
            }
            Error::WriteFile { path, source } | Error::WriteThrough { path, source } => {
                let hint = format!(
                    "check that you may write in `{}` and that its disk has room",
                    dir.display()
                );
                (path, source.to_string(), hint)
            }
            other => return other,
        };
        Error::ManPage {
            path,
            reason,
            outcome,
            hint,
        }
    })?;
    let mut written = String::new();
    for (path, _) in &files {
        let _ = writeln!(written, "wrote {}", path.display());
    }
    Ok(written)
}

#[cfg(test)]
mod tests;
