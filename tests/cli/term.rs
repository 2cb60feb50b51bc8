//! Terminal layout: `--width`, `--color`, `NO_COLOR` and `COLUMNS` on the table reports.

use std::path::Path;
use std::process::Output;

use insta_cmd::assert_cmd_snapshot;
use unicode_width::UnicodeWidthStr as _;

use super::costcalc;

fn scenarios() -> Vec<String> {
    let mut paths: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_string_lossy()))
            .collect();
    paths.sort();
    assert!(paths.len() >= 6, "{paths:?}");
    paths
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Lines wider than `width`, other than a single word too long for any line (a URL, an id).
fn too_wide(text: &str, width: usize) -> Vec<String> {
    text.lines()
        .filter(|line| line.width() > width && line.trim().contains(' '))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_bundled_scenario_fits_120_columns_by_default_and_80_when_asked() {
    for path in scenarios() {
        let default = stdout(&costcalc().args(["run", &path]).output().unwrap());
        assert_eq!(too_wide(&default, 120), Vec::<String>::new(), "{path}");
        // Nothing but a single token (the ECB's URL, 121 wide) is wider than 120.
        assert!(default.lines().all(|l| l.width() <= 125), "{path}");
        let narrow = stdout(
            &costcalc()
                .args(["run", &path, "--width", "80"])
                .output()
                .unwrap(),
        );
        assert_eq!(too_wide(&narrow, 80), Vec::<String>::new(), "{path}");
    }
}

#[test]
fn columns_sets_the_width_when_no_flag_does_and_the_flag_wins() {
    let path = "scenarios/eu-fintech.toml";
    let by_flag = stdout(
        &costcalc()
            .args(["run", path, "--width", "90"])
            .output()
            .unwrap(),
    );
    let by_columns = stdout(
        &costcalc()
            .args(["run", path])
            .env("COLUMNS", "90")
            .output()
            .unwrap(),
    );
    assert_eq!(by_flag, by_columns);
    let flag_wins = stdout(
        &costcalc()
            .args(["--width", "200", "run", path])
            .env("COLUMNS", "90")
            .output()
            .unwrap(),
    );
    assert_ne!(flag_wins, by_columns);
    // At 200 columns the routes table keeps every column: no line says one was left out.
    assert!(!flag_wins.contains("left out to fit"), "{flag_wins}");
    assert!(
        by_columns.contains("left out to fit 90 columns"),
        "{by_columns}"
    );
    // Nonsense in COLUMNS is ignored: 120.
    let ignored = stdout(
        &costcalc()
            .args(["run", path])
            .env("COLUMNS", "wide")
            .output()
            .unwrap(),
    );
    let default = stdout(&costcalc().args(["run", path]).output().unwrap());
    assert_eq!(ignored, default);
}

#[test]
fn a_width_out_of_range_is_a_usage_error() {
    assert_cmd_snapshot!(costcalc().args(["run", "scenarios/eu-fintech.toml", "--width", "20"]));
    assert_cmd_snapshot!(costcalc().args(["models", "--width", "wide"]));
}

/// `text` without its SGR escapes (`ESC [ ... m`).
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            assert_eq!(chars.next(), Some('['), "only SGR escapes are written");
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn color_always_adds_only_escapes_and_never_colours_other_formats() {
    for args in [
        &["run", "scenarios/eu-fintech.toml"][..],
        &["run", "scenarios/self-hosting-loses.toml", "--width", "80"][..],
        &["sensitivity", "scenarios/startup-small.toml"][..],
        &["models", "--provider", "openai"][..],
    ] {
        let never = stdout(
            &costcalc()
                .args(args)
                .args(["--color", "never"])
                .output()
                .unwrap(),
        );
        let always = stdout(
            &costcalc()
                .args(args)
                .args(["--color", "always"])
                .output()
                .unwrap(),
        );
        assert!(!never.contains('\u{1b}'), "{args:?}");
        assert!(always.contains("\u{1b}[1m"), "{args:?}: bold headers");
        assert_eq!(strip(&always), never, "{args:?}");
    }
    // A loss in red, a saving in green (crossterm's dark red and dark green are 38;5;1 and 38;5;2).
    let always = stdout(
        &costcalc()
            .args(["run", "scenarios/eu-fintech.toml", "--color", "always"])
            .output()
            .unwrap(),
    );
    assert!(always.contains("-€148,329.32"), "{always}");
    let loss = always.find("-€148,329.32").unwrap();
    assert!(
        always[..loss].rfind("\u{1b}[38;5;9m").is_some()
            || always[..loss].rfind("\u{1b}[38;5;1m").is_some()
    );
    for format in ["csv", "json", "markdown", "csv-lines"] {
        let text = stdout(
            &costcalc()
                .args([
                    "run",
                    "scenarios/eu-fintech.toml",
                    "--color",
                    "always",
                    "--format",
                    format,
                ])
                .output()
                .unwrap(),
        );
        assert!(!text.contains('\u{1b}'), "{format}");
    }
}

#[test]
fn auto_colours_nothing_off_a_terminal_or_with_no_color() {
    let path = "scenarios/eu-fintech.toml";
    let auto = stdout(
        &costcalc()
            .args(["run", path, "--color", "auto"])
            .output()
            .unwrap(),
    );
    let no_color = stdout(
        &costcalc()
            .args(["run", path, "--color", "auto"])
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    );
    assert!(!auto.contains('\u{1b}'));
    assert!(!no_color.contains('\u{1b}'));
    // `always` outranks NO_COLOR.
    let always = stdout(
        &costcalc()
            .args(["run", path, "--color", "always"])
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    );
    assert!(always.contains('\u{1b}'));
}

#[test]
fn a_long_note_is_wrapped_at_words_under_its_bullet() {
    let text = stdout(
        &costcalc()
            .args(["run", "scenarios/eu-fintech.toml", "--width", "80"])
            .output()
            .unwrap(),
    );
    // The deployment's note was one line of about 590 columns.
    let start = text
        .find("- `deepseek-r1-0528@self-h200x8-sglang`: ")
        .unwrap();
    let note: Vec<&str> = text[start..]
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(note.len() >= 8, "{note:?}");
    for line in &note[1..] {
        assert!(
            line.starts_with("  ") && !line.starts_with("   "),
            "{line:?}"
        );
    }
    let joined = note.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    assert!(
        joined.contains(
            "per GPU-hour (nebius/h200, as of 2026-09-25, https://nebius.com/prices); one replica"
        ),
        "{joined}"
    );
    assert!(
        joined.ends_with("and it is planned at 70.0% busy"),
        "{joined}"
    );
}

#[test]
fn a_narrow_report_says_which_columns_it_left_out_and_keeps_every_figure_it_shows() {
    let wide = stdout(
        &costcalc()
            .args(["run", "scenarios/eu-fintech.toml", "--width", "300"])
            .output()
            .unwrap(),
    );
    let narrow = stdout(
        &costcalc()
            .args(["run", "scenarios/eu-fintech.toml", "--width", "80"])
            .output()
            .unwrap(),
    );
    assert!(narrow.contains("left out to fit 80 columns: "), "{narrow}");
    // Every money figure of the narrow report is one of the wide report's.
    for word in narrow
        .split_whitespace()
        .filter(|w| w.starts_with('€') || w.starts_with("-€"))
    {
        assert!(wide.contains(word), "{word}");
    }
    // And the summary's savings are all there.
    for figure in ["€218,784.02", "€169,000.31", "€137,436.15", "-€148,329.32"] {
        assert!(narrow.contains(figure), "{figure}");
    }
}
