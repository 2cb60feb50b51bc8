//! genai-prices' dated price lists: imported as `[[offer.change]]`s where they differ in base
//! prices only, left as a note where they do not, and compared period by period by `drift`.
//! The excerpt `tests/fixtures/catalog/genai-prices-history.json` holds claude-sonnet-5 and
//! claude-sonnet-4-6 as in the 2026-08-21 feed, and a planted o3 and gpt-5.4.

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

use super::costcalc;

const DATASET: &str = "tests/fixtures/catalog/genai-prices-history.json";
const MAP: &str = "tests/fixtures/catalog/map-history.toml";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("costcalc-genai-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// Imports the excerpt as of 2026-08-21 into `into`; returns the output (notes on stderr).
fn import(into: &PathBuf) -> Output {
    let output = costcalc()
        .args(["catalog", "import", "genai-prices", DATASET])
        .args(["--as-of", "2026-08-21", "--map", MAP, "--into"])
        .arg(into)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The generated text of one offer: from its dataset comment to the next offer's.
fn offer<'a>(text: &'a str, key: &str) -> &'a str {
    let header = format!("# genai-prices v2 data.json `{key}`\n");
    let start = text
        .find(&header)
        .unwrap_or_else(|| panic!("no offer of `{key}` in:\n{text}"));
    let end = text[start + header.len()..]
        .find("\n# genai-prices v2 data.json")
        .map_or(text.len(), |e| start + header.len() + e);
    &text[start..end]
}

fn quote_total(pricing: &PathBuf, date: &str) -> String {
    let output = costcalc()
        .args(["quote", "--today", "2026-11-29", "--pricing"])
        .arg(pricing)
        .args(["--date", date, "--input", "100000", "--output", "10000"])
        .args([
            "--cached",
            "20000",
            "--format",
            "json",
            "claude-sonnet-5@anthropic",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    json["quotes"][0]["total"].as_str().unwrap().to_owned()
}

#[test]
fn an_untiered_two_period_model_imports_as_one_change() {
    let into = scratch("history.toml");
    import(&into);
    let text = std::fs::read_to_string(&into).unwrap();
    let sonnet = offer(&text, "anthropic/claude-sonnet-5");
    // The first list ($2 / $10, introductory) is the offer's own prices, the list from
    // 2026-09-01 ($3 / $15) one change restating every base price, with the page the
    // dataset's `price_comments` cite for it (they name 2026-09-01). The feed is kept as it
    // was read, although the increase was later cancelled (see pricing/anthropic.toml).
    assert!(
        sonnet.contains(
            "as_of = 2026-08-21\n\
             source = \"https://platform.claude.com/docs/en/about-claude/pricing\"\n\
             provenance = \"genai-prices 2026-08-21 `anthropic/claude-sonnet-5`\"\n\
             input = 2.0\ncached_input = 0.2\ncache_write_5m = 2.5\ncache_write_1h = 4.0\n\
             output = 10.0\nweb_search = 0.01\n\n\
             # genai-prices 2026-08-21 `anthropic/claude-sonnet-5`: the list from 2026-09-01\n\
             [[offer.change]]\nfrom = 2026-09-01\n\
             source = \"https://www.anthropic.com/news/claude-sonnet-5\"\n\
             input = 3.0\ncached_input = 0.3\ncache_write_5m = 3.75\ncache_write_1h = 6.0\n\
             output = 15.0\nweb_search = 0.01\n"
        ),
        "{sonnet}"
    );
    // One change only, and no "left out: after the as-of date" note: the later list is in.
    assert_eq!(sonnet.matches("[[offer.change]]").count(), 1, "{sonnet}");
    assert!(!sonnet.contains("left out"), "{sonnet}");
    // The planted gpt-5.4 cut cites no page: its change keeps the offer's source.
    let gpt = offer(&text, "openai/gpt-5.4");
    assert!(
        gpt.contains("[[offer.change]]\nfrom = 2027-02-01\ninput = 2.0\n"),
        "{gpt}"
    );
    // 100,000 input tokens of which 20,000 cached, 10,000 output:
    // on 2026-08-31, 80,000 x 2 + 20,000 x 0.2 + 10,000 x 10 = 264,000 / 1M = $0.264;
    // on 2026-09-01, 80,000 x 3 + 20,000 x 0.3 + 10,000 x 15 = 396,000 / 1M = $0.396.
    assert_eq!(quote_total(&into, "2026-08-31"), "0.264");
    assert_eq!(quote_total(&into, "2026-09-01"), "0.396");
}

#[test]
fn a_model_that_drops_its_tier_keeps_one_list_and_says_why() {
    let into = scratch("tier.toml");
    let output = import(&into);
    let notes = String::from_utf8(output.stderr).unwrap();
    assert!(
        notes.contains(
            "note: `claude-sonnet-4-6@anthropic`: price history not imported: the list from \
             2026-03-13 drops the tier above 200000 tokens, and a dated change restates base \
             prices only; the list in force on 2026-08-21 is taken"
        ),
        "{notes}"
    );
    let text = std::fs::read_to_string(&into).unwrap();
    let sonnet = offer(&text, "anthropic/claude-sonnet-4-6");
    // The list in force on 2026-08-21: $3 / $15 with no tier, and no change.
    assert!(sonnet.contains("input = 3.0\n"), "{sonnet}");
    assert!(!sonnet.contains("[[offer.change]]"), "{sonnet}");
    assert!(!sonnet.contains("[[offer.tier]]"), "{sonnet}");
}

#[test]
fn a_later_list_that_omits_a_price_is_not_a_change() {
    let into = scratch("omitted.toml");
    let output = import(&into);
    let notes = String::from_utf8(output.stderr).unwrap();
    // The planted o3 list from 2025-06-10 has no cache read price; a change cannot take the
    // earlier 0.5 away, so writing one would keep charging it.
    assert!(
        notes.contains(
            "note: `o3@openai`: price history not imported: the list from 2025-06-10 omits \
             `cached_input`, and a dated change cannot remove a price"
        ),
        "{notes}"
    );
    let text = std::fs::read_to_string(&into).unwrap();
    let o3 = offer(&text, "openai/o3");
    assert!(o3.contains("input = 2.0\noutput = 8.0\n"), "{o3}");
    assert!(!o3.contains("[[offer.change]]"), "{o3}");
}

fn drift(as_of: &str, pricing: Option<&PathBuf>) -> Value {
    let mut command = costcalc();
    command
        .args(["catalog", "drift", "genai-prices", DATASET])
        .args(["--as-of", as_of, "--map", MAP, "--threshold", "5"])
        .args(["--format", "json"]);
    if let Some(pricing) = pricing {
        command.arg("--pricing").arg(pricing);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn rows<'a>(report: &'a Value, offer: &str) -> Vec<&'a Value> {
    report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["offer"] == offer)
        .collect()
}

#[test]
fn drift_finds_a_planted_change_the_catalog_lacks() {
    let report = drift("2026-08-21", None);
    let missing = report["changes_not_in_catalog"].as_array().unwrap();
    // The planted gpt-5.4 cut from 2027-02-01: the built-in catalog has no change that day.
    assert!(
        missing.iter().any(|c| c["offer"] == "gpt-5.4@openai"
            && c["from"] == "2027-02-01"
            && c["importable"] == true),
        "{report:#}"
    );
    // Its period is compared with the catalog's prices in force on 2027-02-01: input 2.5
    // against 2, (2 - 2.5) / 2.5 = -20%, beyond 5%.
    let gpt = rows(&report, "gpt-5.4@openai");
    let input = gpt
        .iter()
        .find(|d| d["table"] == "base from 2027-02-01" && d["component"] == "input")
        .unwrap_or_else(|| panic!("{gpt:#?}"));
    assert_eq!(input["catalog"], "2.5");
    assert_eq!(input["dataset"], "2");
    assert_eq!(input["change_percent"], "-20.00");
    assert_eq!(input["beyond_threshold"], true);
    // The list in force on 2026-08-21 is the catalog's own: no `base` row.
    assert!(gpt.iter().all(|d| d["table"] != "base"), "{gpt:#?}");
    // o3's list before 2025-06-10 ($10 / $40) ended before the dataset's date: listed as
    // history, never counted.
    let o3 = rows(&report, "o3@openai");
    assert!(
        !o3.is_empty()
            && o3
                .iter()
                .all(|d| d["history"] == true && d["beyond_threshold"] == false),
        "{o3:#?}"
    );
}

#[test]
fn a_catalog_that_carries_the_history_is_not_flagged() {
    let into = scratch("carried.toml");
    import(&into);
    // Read on 2026-09-15 the dataset's list in force is $3 / $15, which the catalog prices
    // from its change of 2026-09-01 on (not its own $2 / $10); the $2 / $10 list before it
    // matches the catalog's prices on 2026-08-31.
    for as_of in ["2026-08-21", "2026-09-15"] {
        let report = drift(as_of, Some(&into));
        for offer in ["claude-sonnet-5@anthropic", "gpt-5.4@openai"] {
            assert!(rows(&report, offer).is_empty(), "{as_of}: {report:#}");
            assert!(
                !report["changes_not_in_catalog"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["offer"] == offer),
                "{as_of}: {report:#}"
            );
        }
    }
}
