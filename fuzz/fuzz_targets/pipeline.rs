//! Feeds arbitrary bytes through the whole pipeline: as a scenario against the built-in catalog,
//! and as a user's catalog file on top of it. Whatever the input, parsing, validation, the
//! engine and every renderer must return a result or a located error, never panic.

#![no_main]

use std::sync::OnceLock;

use costcalc::engine::{self, Options};
use costcalc::error::{Error, SourceFile};
use costcalc::pricing::Catalog;
use costcalc::report::{self, Format, Report};
use costcalc::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fn builtin() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().expect("the built-in catalog is valid"))
}

fn check_error(error: &Error) {
    // Rendering the message must not panic either, and located problems carry a position.
    let _ = error.report();
    if let Error::Invalid(diagnostics) = error {
        assert!(!diagnostics.is_empty());
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::new("fuzz.toml", text);
    match Scenario::parse(&file, builtin()) {
        Ok(scenario) => match engine::estimate(builtin(), &scenario, &Options::default()) {
            Ok(estimate) => {
                let estimates = [estimate];
                for format in [Format::Table, Format::Csv, Format::CsvLines, Format::Json, Format::Markdown] {
                    let _ = report::render(Report::Run(&estimates), format);
                }
            }
            Err(error) => check_error(&error),
        },
        Err(error) => check_error(&error),
    }
    let mut files = Catalog::builtin_files();
    files.push(file);
    if let Err(error) = Catalog::parse(&files) {
        check_error(&error);
    }
});
