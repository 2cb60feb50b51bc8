//! Terminal layout of `diff`, `usage` (with and without `--compare`), `stress` and `cheapest`:
//! each table report fits 120 columns by default and 80 when asked, on the bundled scenarios and
//! the fixtures, and `--color always` adds nothing but escapes to `--color never`.

use std::path::Path;

use unicode_width::UnicodeWidthStr as _;

use super::costcalc;

const STRESS_PRICING: [&str; 3] = [
    "--no-default-pricing",
    "--pricing",
    "tests/fixtures/exposure-pricing.toml",
];
const DIFF_CATALOG: [&str; 3] = [
    "--no-default-pricing",
    "--pricing",
    "tests/fixtures/diff/catalog.toml",
];
const SEARCH_PRICES: &str = "tests/fixtures/usage/web-search-pricing.toml";

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

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_owned()).collect()
}

/// Every table report of the four commands, on the bundled scenarios and the fixtures.
fn commands() -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    for scenario in scenarios() {
        commands.push(strings(&["stress", &scenario, "--lose-each"]));
        commands.push(strings(&["stress", &scenario, "--lose-country", "CN"]));
        commands.push(strings(&["cheapest", &scenario]));
        // A scenario against itself: every table, every change zero.
        commands.push(strings(&["diff", &scenario, &scenario]));
    }
    for args in [
        &["--lose", "usa", "--lose", "cna", "--from", "2027-07"][..],
        &["--lose-each"],
        &["--lose-country", "CN"],
    ] {
        let mut command = strings(&["stress", "tests/fixtures/stress.toml"]);
        command.extend(strings(&STRESS_PRICING));
        command.extend(strings(args));
        commands.push(command);
    }
    for scenario in [
        "tests/fixtures/stress.toml",
        "tests/fixtures/stress-candidates.toml",
    ] {
        let mut command = strings(&["cheapest", scenario]);
        command.extend(strings(&STRESS_PRICING));
        commands.push(command);
    }
    for new in ["together.toml", "route.toml", "volume.toml"] {
        let mut command = strings(&[
            "diff",
            "tests/fixtures/diff/base.toml",
            &format!("tests/fixtures/diff/{new}"),
        ]);
        command.extend(strings(&DIFF_CATALOG));
        command.extend(strings(&[
            "--pricing",
            "tests/fixtures/diff/price-rise.toml",
        ]));
        commands.push(command);
    }
    for (file, extra) in [
        ("openrouter.json", &[][..]),
        ("costcalc.csv", &[]),
        ("litellm.csv", &[]),
        ("anthropic.json", &["--pricing", SEARCH_PRICES]),
        (
            "claude-code",
            &["--pricing", SEARCH_PRICES, "--group-by", "project"],
        ),
    ] {
        let mut command = strings(&[
            "usage",
            &format!("tests/fixtures/usage/{file}"),
            "--today",
            "2026-12-01",
        ]);
        command.extend(strings(extra));
        commands.push(command.clone());
        // Every offer of the catalog: the widest comparison there is.
        command.push("--compare".to_owned());
        commands.push(command);
    }
    commands
}

fn stdout(args: &[String]) -> String {
    let output = costcalc().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Lines wider than `width`, other than a single word too long for any line (a URL, an id).
fn too_wide(text: &str, width: usize) -> Vec<String> {
    text.lines()
        .filter(|line| line.width() > width && line.trim().contains(' '))
        .map(str::to_owned)
        .collect()
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
fn every_table_report_fits_120_columns_by_default_and_80_when_asked() {
    for command in commands() {
        let default = stdout(&command);
        assert_eq!(too_wide(&default, 120), Vec::<String>::new(), "{command:?}");
        // The fixtures' tables had lines of 300 to 800 columns: the test can fail.
        assert!(default.lines().any(|l| l.width() > 60), "{command:?}");
        let mut narrow = command.clone();
        narrow.extend(strings(&["--width", "80"]));
        let narrow = stdout(&narrow);
        assert_eq!(too_wide(&narrow, 80), Vec::<String>::new(), "{command:?}");
    }
}

#[test]
fn a_narrow_report_keeps_every_figure_of_the_columns_it_shows() {
    // The ranking of `--lose-each` at 70 columns leaves out the first 12 months' extra cost
    // and keeps the horizon's, which equals it here (the horizon is 12 months from the loss).
    // Its columns at their narrowest: plan and provider 13 each, the stranded traffic 8 and
    // cost 9 (their headings' longest words), the extra costs 7 each (`+$12.00`); 3 more
    // each and 1: 57 + 18 + 1 = 76 columns; 66 without the last.
    let mut command = strings(&["stress", "tests/fixtures/stress.toml", "--lose-each"]);
    command.extend(strings(&STRESS_PRICING));
    let wide = stdout(&command);
    command.extend(strings(&["--width", "70"]));
    let narrow = stdout(&command);
    assert!(
        narrow.contains(
            "(1 column left out to fit 70 columns: Extra, first 12 months; `--width\n76` or"
        ),
        "{narrow}"
    );
    for figure in ["+$12.00", "$36.00", "100.0%", "50.0%", "$18.00"] {
        assert!(wide.contains(figure) && narrow.contains(figure), "{figure}");
    }
}

#[test]
fn color_always_adds_only_escapes_to_color_never() {
    for command in commands() {
        let mut never = command.clone();
        never.extend(strings(&["--color", "never", "--width", "80"]));
        let never = stdout(&never);
        let mut always = command.clone();
        always.extend(strings(&["--color", "always", "--width", "80"]));
        let always = stdout(&always);
        assert!(!never.contains('\u{1b}'), "{command:?}");
        assert!(always.contains("\u{1b}[1m"), "{command:?}: bold headers");
        assert_eq!(strip(&always), never, "{command:?}");
    }
}

#[test]
fn a_rise_in_cost_is_red_and_a_saving_green() {
    // `diff`: `today` costs $6,540.00 more in year 1 (red); `extract` falls by $2,460.00 on
    // it (green). crossterm writes dark red and dark green as 38;5;1 and 38;5;2, or the
    // bright ones as 38;5;9 and 38;5;10.
    let mut command = strings(&[
        "diff",
        "tests/fixtures/diff/base.toml",
        "tests/fixtures/diff/together.toml",
        "--color",
        "always",
    ]);
    command.extend(strings(&DIFF_CATALOG));
    command.extend(strings(&[
        "--pricing",
        "tests/fixtures/diff/price-rise.toml",
    ]));
    let text = stdout(&command);
    let red = ["\u{1b}[38;5;1m", "\u{1b}[38;5;9m"];
    let green = ["\u{1b}[38;5;2m", "\u{1b}[38;5;10m"];
    // The colour is set at the start of the cell, before the padding that aligns the figure.
    let coloured = |text: &str, figure: &str, colours: [&str; 2]| {
        text.match_indices(figure).any(|(at, _)| {
            let cell = text[..at].rsplit(['┆', '│']).next().unwrap_or("");
            colours.iter().any(|c| cell.contains(c))
        })
    };
    assert!(coloured(&text, "+$6,540.00", red), "{text}");
    assert!(coloured(&text, "-$2,460.00", green), "{text}");
    // `usage --compare`: the cheapest offer saves $1.11 (green), `gpt-4.1` would cost $8.89
    // more (red).
    let text = stdout(&strings(&[
        "usage",
        "tests/fixtures/usage/costcalc.csv",
        "--today",
        "2026-12-01",
        "--color",
        "always",
        "--compare",
        "gpt-4.1@openai",
        "deepseek-v3.2@deepseek",
    ]));
    assert!(coloured(&text, "$1.11", green), "{text}");
    assert!(coloured(&text, "-$8.89", red), "{text}");
}

#[test]
fn a_plan_that_loses_money_is_said_to_cost_more_in_every_format() {
    // `gpt-oss-deepinfra` against `gpt-mini` in the small startup: -$2,178.35 of savings over
    // 24 months, -$8,491.95 in year 1 (as the JSON report gives them, rounded).
    let json = stdout(&strings(&[
        "sensitivity",
        "scenarios/startup-small.toml",
        "--format",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let plan = json["sensitivity"]["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["plan"] == "gpt-oss-deepinfra")
        .unwrap();
    let savings: rust_decimal::Decimal = plan["savings"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        crate_round(savings),
        "-2178.35",
        "the fixture's figure moved"
    );
    let title = "gpt-oss-deepinfra` against `gpt-mini`: costs $2,178.35 more over 24 months \
                 ($8,491.95 in year 1)";
    for format in ["table", "markdown"] {
        let text = stdout(&strings(&[
            "sensitivity",
            "scenarios/startup-small.toml",
            "--format",
            format,
        ]));
        assert!(text.contains(title), "{format}: {text}");
        assert!(!text.contains("saves -"), "{format}: {text}");
    }
    let page = stdout(&strings(&[
        "run",
        "--format",
        "html",
        "--sensitivity",
        "scenarios/startup-small.toml",
    ]));
    assert!(
        page.contains(
            "<figcaption>gpt-oss-deepinfra against gpt-mini: costs $2,178.35 more over 24 \
             months ($8,491.95 in year 1) at the base values</figcaption>"
        ),
        "{page}"
    );
    assert!(!page.contains("saves -"), "{page}");
}

/// `amount` to cents, half away from zero, as the reports round.
fn crate_round(amount: rust_decimal::Decimal) -> String {
    amount
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_string()
}
