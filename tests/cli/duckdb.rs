//! `costcalc catalog export` and the usage fixture the SQL recipe is checked on: the exported
//! table of a hand-written offer, its output file, and `costcalc usage`'s own figures for
//! `tests/fixtures/usage/sql-recipe.csv`, which `scripts/duckdb-check` compares the SQL with.

use std::path::PathBuf;

use rust_decimal::Decimal;

use super::costcalc;

const RECIPE_PRICES: &str = "tests/fixtures/usage/sql-recipe-pricing.toml";
const SEARCH_PRICES: &str = "tests/fixtures/usage/web-search-pricing.toml";

/// The export of `acme-chat@acme` alone: base prices as stated; flex and priority tables laid
/// over them (the audio and fee prices they leave out are the base's); the tier above 100,000
/// tokens with input 2 and output 8 over the base, and no flex or priority rows in the tier,
/// which lists none of its own. No row for cached audio, images or reasoning, which fall back.
const ACME_EXPORT: &str = "\
offer,provider,model,component,unit,tier_input_tokens,tier_boundary,tier_applies_to,service_tier,price,currency,as_of,source,effective_from,effective_to
acme-chat@acme,acme,acme-chat,input,per_mtok,,,,,1,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,audio_input,per_mtok,,,,,10,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,output,per_mtok,,,,,4,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,audio_output,per_mtok,,,,,20,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,per_request,per_request,,,,,0.001,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,input,per_mtok,,,,flex,0.5,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,audio_input,per_mtok,,,,flex,10,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,output,per_mtok,,,,flex,2,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,audio_output,per_mtok,,,,flex,20,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,per_request,per_request,,,,flex,0.001,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,input,per_mtok,,,,priority,2,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,audio_input,per_mtok,,,,priority,20,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,output,per_mtok,,,,priority,8,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,audio_output,per_mtok,,,,priority,20,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,per_request,per_request,,,,priority,0.001,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,input,per_mtok,100000,above,whole_request,,2,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,audio_input,per_mtok,100000,above,whole_request,,10,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,output,per_mtok,100000,above,whole_request,,8,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,audio_output,per_mtok,100000,above,whole_request,,20,USD,2026-11-20,https://example.com/pricing,,
acme-chat@acme,acme,acme-chat,per_request,per_request,100000,above,whole_request,,0.001,USD,2026-11-20,https://example.com/pricing,,
";

/// A fresh path in the temporary folder for one test's output.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("costcalc-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn catalog_export_writes_one_row_per_stated_price() {
    let output = costcalc()
        .args([
            "catalog",
            "export",
            "--format",
            "csv",
            "--no-default-pricing",
            "--pricing",
            RECIPE_PRICES,
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), ACME_EXPORT);
}

#[test]
fn catalog_export_writes_a_file_but_never_over_a_catalog_file() {
    let path = scratch("prices.csv");
    let output = costcalc()
        .args(["catalog", "export", "--no-default-pricing", "--pricing"])
        .arg(RECIPE_PRICES)
        .arg("--output")
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), ACME_EXPORT);

    let copy = scratch("acme.toml");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(RECIPE_PRICES),
        &copy,
    )
    .unwrap();
    let before = std::fs::read_to_string(&copy).unwrap();
    let output = costcalc()
        .args(["catalog", "export", "--no-default-pricing", "--pricing"])
        .arg(&copy)
        .arg("--output")
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("error:"));
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), before);
}

// `costcalc usage`'s figures for the recipe's fixture, worked by hand (prices per 1M tokens;
// Sonnet 4.5 at 3 / 0.3 / 3.75 / 6 / 15 and $0.01 a search, batch half of every token price):
// - claude-sonnet-4-5, 2025-03: 1M x 3 + 2M x 0.3 + 0.4M x 3.75 + 0.1M x 6 + 0.2M x 15
//   + 50 x 0.01 = 3 + 0.6 + 1.5 + 0.6 + 3 + 0.5 = 9.2; batch: 2M x 1.5 + 1M x 7.5 + 10 x 0.01
//   = 10.6; together 19.8. 2025-04: 1,000 x 3 / 1M + 500 x 15 / 1M = 0.0105. Group 19.8105.
// - gpt-4.1 (2 / 8, no flex prices, reasoning at the output price): 0.5M x 2 + 0.1M x 8
//   + 0.05M x 8 = 1 + 0.8 + 0.4 = 2.2.
// - qwen-plus (0.4 / 1.2, reasoning 4, cache reads at the input price; `default` is the
//   standard tier): 2M x 0.4 + 0.1M x 1.2 + 0.1M x 4 = 0.8 + 0.12 + 0.4 = 1.32.
// - acme-chat, 2025-03: standard, 0.1M x 1 + 0.05M x 10 + 0.05M cached audio x 10 + 0.1M
//   images x 1 + 0.1M x 4 + 0.01M x 20 + 100 x 0.001 = 0.1 + 0.5 + 0.5 + 0.1 + 0.4 + 0.2 + 0.1
//   = 1.9; flex, 1M x 0.5 + 0.5M x 2 + 1,000 x 0.001 = 2.5; month 4.4. 2025-04: priority,
//   1M x 2 + 0.1M x 20 + 0.1M x 8 + 0.1M x 20 + 100 x 0.001 = 6.9; batch (none: standard),
//   1M x 1 + 1M x 4 + 1,000 x 0.001 = 6; month 12.9. Group 17.3.
// - Total: 19.8105 + 2.2 + 1.32 + 17.3 = 40.6305.
#[test]
fn the_recipe_fixture_costs_what_the_hand_working_says() {
    let output = costcalc()
        .args([
            "usage",
            "tests/fixtures/usage/sql-recipe.csv",
            "--pricing",
            SEARCH_PRICES,
            "--pricing",
            RECIPE_PRICES,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let amount = |v: &serde_json::Value| v.as_str().unwrap().parse::<Decimal>().unwrap();
    let costs: Vec<(String, Vec<Decimal>, Decimal)> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let months = g["months"].as_array().unwrap();
            (
                g["group"].as_str().unwrap().to_owned(),
                months.iter().map(|m| amount(&m["cost"])).collect(),
                amount(&g["cost"]),
            )
        })
        .collect();
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    assert_eq!(
        costs,
        [
            ("acme-chat".to_owned(), vec![d("4.4"), d("12.9")], d("17.3")),
            (
                "claude-sonnet-4-5".to_owned(),
                vec![d("19.8"), d("0.0105")],
                d("19.8105")
            ),
            ("gpt-4.1".to_owned(), vec![d("2.2")], d("2.2")),
            ("qwen-plus".to_owned(), vec![d("1.32")], d("1.32")),
        ]
    );
    assert_eq!(amount(&report["total_cost"]), d("40.6305"));
}
