//! `quote` and `models`: currencies, retired offers, and inputs at the edge of the decimal range.

use insta_cmd::assert_cmd_snapshot;

use super::{models, quote};

/// The largest decimal, 79228162514264337593543950335.
const MAX: &str = "79228162514264337593543950335";

fn two_currencies(args: &[&str]) -> std::process::Command {
    let mut command = quote(&[
        "--input",
        "10000",
        "--output",
        "1000",
        "--no-default-pricing",
        "--pricing",
        "tests/fixtures/two-currencies.toml",
    ]);
    command.args(args);
    command
}

#[test]
fn quote_in_two_currencies_ranks_each_apart_and_says_so() {
    // Model A: 10,000 x EUR 1.00 + 1,000 x EUR 2.00 = EUR 0.012; model B: 10,000 x USD 1.20 +
    // 1,000 x USD 2.00 = USD 0.014. Both 1.00x, each in its own currency, as the footer says.
    assert_cmd_snapshot!(two_currencies(&[]));
}

#[test]
fn quote_converted_to_one_currency() {
    // In USD at 1 EUR = 1.16 USD: model A = 0.012 x 1.16 = $0.01392 (1.00x), model B = $0.014,
    // 0.014 / 0.01392 = 1.0057 (1.01x).
    assert_cmd_snapshot!(two_currencies(&[
        "--currency",
        "USD",
        "--rate",
        "1 EUR = 1.16 USD"
    ]));
    // In EUR with the same rate in pair notation: model B = 0.014 / 1.16 = EUR 0.01206897 (shown
    // to six decimals, EUR 0.012069), 1.01x model A's EUR 0.012.
    assert_cmd_snapshot!(two_currencies(&[
        "--currency",
        "EUR",
        "--rate",
        "EUR:USD=1.16",
        "--format",
        "csv"
    ]));
}

#[test]
fn quote_currency_errors() {
    // No rate for EUR: a usage error naming the currency and its offer.
    assert_cmd_snapshot!(two_currencies(&["--currency", "USD"]));
    // A rate without a currency to convert to, and a rate with no direction.
    let output = two_currencies(&["--rate", "1 EUR = 1.16 USD"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = two_currencies(&["--currency", "USD", "--rate", "1.16"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 EUR = 1.16 USD"));
}

#[test]
fn models_in_two_currencies() {
    let mut command = models(&[
        "--no-default-pricing",
        "--pricing",
        "tests/fixtures/two-currencies.toml",
        "--sort",
        "input",
    ]);
    // Sorted within each currency, and saying so.
    assert_cmd_snapshot!(command);
    // Converted: model A's EUR 1.00 input is $1.16, below model B's $1.20.
    command.args(["--currency", "USD", "--rate", "1 EUR = 1.16 USD"]);
    assert_cmd_snapshot!(command);
}

#[test]
fn quote_lists_retired_offers_apart() {
    // o4-mini was retired on 2026-10-23, before --today 2026-11-29: listed apart, not ranked.
    // gpt-5-mini retires on 2026-12-11: priced, with a note.
    let args = [
        "--input",
        "1000",
        "--output",
        "100",
        "o4-mini@openai",
        "gpt-5-mini@openai",
    ];
    assert_cmd_snapshot!(quote(&args));
    // gpt-5-mini: 1,000 x 0.25 + 100 x 2 = 450 / 1M = $0.00045.
    // With --include-retired, o4-mini is priced too: 1,000 x 1.10 + 100 x 4.40 = 1,540 / 1M =
    // $0.00154, 0.00154 / 0.00045 = 3.42x the cheapest, noted "retired from 2026-10-23".
    let mut command = quote(&args);
    command.arg("--include-retired");
    assert_cmd_snapshot!(command);
}

#[test]
fn models_markdown_keeps_the_stale_and_deprecated_column() {
    let output = models(&["--provider", "openai", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("| As of | Also |"), "{text}");
    let o4 = text
        .lines()
        .find(|l| l.starts_with("| `o4-mini@openai`"))
        .unwrap();
    assert!(o4.ends_with("| batch, deprecated 2026-10-23 |"), "{o4}");
    let stale = models(&["--provider", "groq", "--format", "markdown"])
        .output()
        .unwrap();
    let text = String::from_utf8(stale.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("| `kimi-k2@groq`") && l.ends_with("| stale |")),
        "{text}"
    );
}

#[test]
fn the_largest_numbers_are_errors_not_panics() {
    // The argument parser refuses a ratio whose sides overflow when added (exit 2).
    let ratio = format!("{MAX}:{MAX}");
    let output = models(&["--sort", "blended", "--ratio", &ratio])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("decimal range"));
    // A ratio that parses but overflows the blended price: an overflow error (exit 1).
    let ratio = format!("{MAX}:0");
    let output = models(&["--sort", "blended", "--ratio", &ratio])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("blended price"));
    // Cached plus cache-write overflowing: the usage error of parts above the prompt.
    let output = quote(&[
        "--input",
        MAX,
        "--cached",
        MAX,
        "--cache-write",
        MAX,
        "--output",
        "1",
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("more than `--input`"));
}

/// `value` exactly, as a count of 1e-28 units: a sum of these never rounds.
fn units(value: rust_decimal::Decimal) -> i128 {
    value
        .mantissa()
        .checked_mul(10i128.pow(28 - value.scale()))
        .expect("bundled amounts fit")
}

/// Every `csv-lines` row of every bundled scenario: its cost columns add up exactly to its
/// `total_cost`, and each plan's rows add up to the plan's token charges in the JSON.
///
/// A decimal keeps 28 significant digits, so the engine's own sums round in the 28th digit, and
/// in an order (month by month) other than the rows'. The rows are therefore summed exactly here,
/// and the plan's figure may differ from that exact sum by at most half a unit of its last digit
/// per addition the engine made: one per row.
#[test]
fn csv_lines_add_up_to_their_totals_and_to_the_plans() {
    use std::collections::BTreeMap;
    use std::str::FromStr;

    use rust_decimal::Decimal;

    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5);
    let mut self_hosted_rows = 0;
    for path in paths {
        let run = |format: &str| {
            let output = super::costcalc()
                .args(["run", "--format", format])
                .arg(&path)
                .output()
                .unwrap();
            assert!(output.status.success(), "{}", path.display());
            output.stdout
        };
        let lines = run("csv-lines");
        let mut reader = csv::Reader::from_reader(lines.as_slice());
        let header = reader.headers().unwrap().clone();
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        let mut by_plan: BTreeMap<String, (i128, i128)> = BTreeMap::new();
        for record in reader.records() {
            let record = record.unwrap();
            let cell = |name: &str| {
                let text = &record[column(name)];
                if text.is_empty() {
                    Decimal::ZERO
                } else {
                    Decimal::from_str(text).unwrap()
                }
            };
            // Summed exactly, so that only the figures themselves can make this fail.
            // Every cost column but the total: one per price component, then GPUs and operations.
            let names: Vec<&str> = header
                .iter()
                .filter(|name| name.ends_with("_cost") && *name != "total_cost")
                .collect();
            let parts: i128 = names.iter().map(|name| units(cell(name))).sum();
            let total = cell("total_cost");
            // Exact when every part fits the total's 28 digits, as USD prices in a USD report
            // do. An amount converted at a rate such as 1 / 1.16 fills all 28 digits, so the
            // total may round in its last digit: by at most half a unit per addition.
            let last_digit = 10i128.pow(28 - total.scale());
            let additions = i128::try_from(names.len()).unwrap();
            assert!(
                (parts - units(total)).abs() * 2 <= last_digit * additions,
                "{}: parts add up to {parts}e-28: {record:?}",
                path.display()
            );
            if !record[column("gpu_cost")].is_empty() {
                self_hosted_rows += 1;
                // Named by the GPU's provider, with no token charges.
                assert_ne!(&record[column("provider")], "self-hosted");
                assert_eq!(&record[column("input_cost")], "");
                assert!(cell("gpu_hours") > Decimal::ZERO);
            }
            let plan = by_plan
                .entry(record[column("plan")].to_owned())
                .or_default();
            plan.0 += units(total);
            plan.1 += 1;
        }
        let json: serde_json::Value = serde_json::from_slice(&run("json")).unwrap();
        for plan in json["scenarios"][0]["plans"].as_array().unwrap() {
            let usage = Decimal::from_str(plan["usage_cost"].as_str().unwrap()).unwrap();
            let id = plan["id"].as_str().unwrap();
            let (exact, rows) = by_plan[id];
            let last_digit = 10i128.pow(28 - usage.scale());
            let off = (exact - units(usage)).abs();
            assert!(
                off * 2 <= last_digit * rows,
                "{}: plan {id}: rows add up to {exact}e-28, the plan says {usage}",
                path.display()
            );
        }
    }
    assert!(self_hosted_rows > 0, "no self-hosted rows were checked");
}

/// The Markdown cost-per-workload table ends with the fixed costs and a total row, whose cells
/// are the summary's horizon totals, for every bundled scenario.
#[test]
fn markdown_workload_columns_end_in_the_horizon_total() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut fixed_rows = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let output = super::costcalc()
            .args(["run", "--format", "markdown"])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let cells = |line: &str| -> Vec<String> {
            line.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().trim_matches('*').to_owned())
                .collect()
        };
        // The summary's fourth column is the horizon total, one row per plan.
        let summary: Vec<String> = text
            .lines()
            .skip_while(|l| !l.starts_with("| Plan |"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| cells(l)[3].clone())
            .collect();
        let total = text
            .lines()
            .find(|l| l.starts_with("| **total** |"))
            .unwrap_or_else(|| panic!("{}: no total row:\n{text}", path.display()));
        assert_eq!(cells(total)[1..], summary[..], "{}", path.display());
        fixed_rows += usize::from(text.contains("| fixed and one-time costs |"));
    }
    // self-hosting-wins has a one-time cost, and its fixed row shows it.
    assert!(fixed_rows > 0);
}

#[test]
fn self_hosted_csv_lines_share_the_deployment_month_by_tokens() {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    let output = super::costcalc()
        .args([
            "run",
            "--format",
            "csv-lines",
            "scenarios/self-hosting-wins.toml",
        ])
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[column("plan")] == "self-on-demand" && &r[column("month")] == "2027-01")
        .collect();
    let value =
        |row: &csv::StringRecord, name: &str| Decimal::from_str(&row[column(name)]).unwrap();
    // January 2027 on gpt-oss-120b@self-h100x2-vllm (prefill 47,474, decode 9,292 tokens a
    // second): at peak, note-summaries sends 420,000 / 86,400 x 1.6 = 7.778 requests a second
    // (19,444 prefill and 7,000 decode tokens) and patient-messages 3.472 (4,167 and 1,389):
    // 23,611 / 47,474 + 8,389 / 9,292 = 0.4973 + 0.9028 = 1.4001 busy replicas, over 0.7 =
    // 2.0002, so 3 replicas x 2 GPUs x 744 hours = 4,464 GPU-hours at $3.99 at Lambda =
    // $17,811.36, plus $12,000 operations. note-summaries sends 32,550M + 7,812M + 3,906M =
    // 44,268M of the month's 51,708M tokens (patient-messages sends 5,580M + 1,162.5M + 697.5M
    // = 7,440M), so 44,268 / 51,708 of each: 3,821.6978 GPU-hours, $15,248.57 of GPUs and
    // $10,273.38 of operations; patient-messages takes the rest.
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(&row[column("provider")], "lambda");
    }
    let notes = &rows[0];
    assert_eq!(&notes[column("workload")], "note-summaries");
    assert_eq!(
        value(notes, "gpu_hours").round_dp(4),
        Decimal::new(38_216_978, 4)
    );
    assert_eq!(
        value(notes, "gpu_cost").round_dp(2),
        Decimal::new(1_524_857, 2)
    );
    assert_eq!(
        value(notes, "ops_cost").round_dp(2),
        Decimal::new(1_027_338, 2)
    );
    let sum = |name: &str| value(&rows[0], name) + value(&rows[1], name);
    assert_eq!(sum("gpu_hours"), Decimal::from(4464));
    assert_eq!(sum("gpu_cost"), Decimal::new(1_781_136, 2));
    assert_eq!(sum("ops_cost"), Decimal::from(12_000));
}

#[test]
fn a_per_1k_requests_cost_beyond_the_decimal_range_is_shown_as_a_dash() {
    // One request costs 1e26; a thousand would be 1e29, beyond the decimal range (7.9e28).
    let output = super::costcalc()
        .args([
            "run",
            // Wide enough that no column is left out.
            "--width",
            "200",
            "--no-default-pricing",
            "--pricing",
            "tests/fixtures/huge-request-fee.toml",
            "tests/fixtures/huge-request-fee-scenario.toml",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let route = text
        .lines()
        .find(|l| l.contains("dear-model@dear") && l.contains("100.0%"))
        .unwrap();
    assert!(
        route.contains("┆               - ┆ $100,000,000,000,000,000,000,000,000.00 │"),
        "{route}"
    );
}
