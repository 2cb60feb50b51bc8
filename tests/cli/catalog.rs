//! `costcalc catalog import` and `costcalc catalog drift` on small excerpts of the four
//! datasets (`tests/fixtures/catalog/`), each written from the real files' shapes.

use std::path::PathBuf;

use serde_json::Value;

use super::costcalc;

const MAP: &str = "tests/fixtures/catalog/map.toml";
const EXTRA: &str = "tests/fixtures/catalog/scaleway.toml";

/// A fresh path in the temporary folder for one test's output.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("costcalc-catalog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// Imports `source` from `dataset` into a new file and returns its text.
fn import(source: &str, dataset: &str, as_of: &str, name: &str) -> String {
    let into = scratch(name);
    let output = costcalc()
        .args([
            "catalog", "import", source, dataset, "--as-of", as_of, "--map", MAP,
        ])
        .args(["--pricing", EXTRA, "--into"])
        .arg(&into)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(into).unwrap()
}

/// The generated offer for `model`, from its `[[offer]]` line to the next dataset comment.
fn offer<'a>(text: &'a str, model: &str) -> &'a str {
    let start = text
        .find(&format!("model = \"{model}\""))
        .unwrap_or_else(|| panic!("no offer of `{model}` in:\n{text}"));
    let end = text[start..].find("\n# ").map_or(text.len(), |e| start + e);
    &text[start..end]
}

#[test]
fn litellm_import_writes_exact_tiers_and_service_tables() {
    let text = import(
        "litellm",
        "tests/fixtures/catalog/litellm.json",
        "2026-11-20",
        "litellm.toml",
    );
    insta::assert_snapshot!(text);
    // gpt-5.5: 5e-06 per token is 5 per 1M; its tier above 272K tokens (1e-05, 4.5e-05) is
    // 10 and 45; the batch price inside the tier, 2.25e-05, is 22.5.
    let gpt = offer(&text, "gpt-5.5");
    assert!(gpt.contains("input = 5.0\n"), "{gpt}");
    assert!(gpt.contains("[[offer.tier]]\nabove_input_tokens = 272000\ninput = 10.0\ncached_input = 1.0\noutput = 45.0"), "{gpt}");
    assert!(
        gpt.contains("[offer.tier.batch]\ninput = 5.0\ncached_input = 0.5\noutput = 22.5"),
        "{gpt}"
    );
    // `search_context_cost_per_query` is per search, not per token: 0.01 stays 0.01.
    assert!(gpt.contains("web_search = 0.01\n"), "{gpt}");
    // DashScope's `tiered_pricing` ranges [0, 32K], [32K, 128K], [128K, 252K] at 1.2e-06 /
    // 2.4e-06 / 3e-06 input become a base of 1.2 and tiers above 32,000 and 128,000.
    let qwen = offer(&text, "qwen3-max");
    assert!(
        qwen.contains(
            "input = 1.2\noutput = 6.0\n\n[[offer.tier]]\nabove_input_tokens = 32000\ninput = 2.4"
        ),
        "{qwen}"
    );
    assert!(
        qwen.contains("above_input_tokens = 128000\ninput = 3.0\noutput = 15.0"),
        "{qwen}"
    );
}

#[test]
fn a_zero_cache_write_is_left_out_and_said() {
    let into = scratch("zero-write.toml");
    let output = costcalc()
        .args([
            "catalog",
            "import",
            "litellm",
            "tests/fixtures/catalog/litellm.json",
        ])
        .args([
            "--as-of",
            "2026-11-20",
            "--map",
            MAP,
            "--pricing",
            EXTRA,
            "--into",
        ])
        .arg(&into)
        .output()
        .unwrap();
    let notes = String::from_utf8(output.stderr).unwrap();
    assert!(
        notes.contains("`deepseek-v4-flash@deepseek`: `cache_creation_input_token_cost` = 0 left out: a cache write of 0 is not a free write"),
        "{notes}"
    );
    let text = std::fs::read_to_string(into).unwrap();
    let deepseek = offer(&text, "deepseek-v4-flash");
    assert!(!deepseek.contains("cache_write"), "{deepseek}");
    // 6e-09 per token is 0.006 per 1M.
    assert!(deepseek.contains("cached_input = 0.006\n"), "{deepseek}");
}

#[test]
fn genai_prices_takes_the_price_in_force_on_the_as_of_date() {
    // claude-sonnet-5 is $2 / $10 through 2026-08-31 and $3 / $15 from 2026-09-01.
    let before = import(
        "genai-prices",
        "tests/fixtures/catalog/genai-prices.json",
        "2026-08-21",
        "gp-before.toml",
    );
    let sonnet = offer(&before, "claude-sonnet-5");
    assert!(
        sonnet.contains("input = 2.0\n") && sonnet.contains("output = 10.0\n"),
        "{sonnet}"
    );
    // 10 per 1,000 searches is 0.01 per search.
    assert!(sonnet.contains("web_search = 0.01\n"), "{sonnet}");
    // Read on 2026-09-01, the two lists still differ in base prices only, so the offer keeps
    // the first as its prices and the second as a change from 2026-09-01.
    let after = import(
        "genai-prices",
        "tests/fixtures/catalog/genai-prices.json",
        "2026-09-01",
        "gp-after.toml",
    );
    let sonnet = offer(&after, "claude-sonnet-5");
    assert!(
        sonnet.contains("input = 2.0\n") && sonnet.contains("output = 10.0\n"),
        "{sonnet}"
    );
    assert!(sonnet.contains("as_of = 2026-09-01\n"), "{sonnet}");
    assert!(
        after.contains("[[offer.change]]\nfrom = 2026-09-01\n"),
        "{after}"
    );
}

#[test]
fn models_dev_import_declares_the_hosts_currency_and_adds_a_new_offer() {
    let text = import(
        "models.dev",
        "tests/fixtures/catalog/models.dev",
        "2026-07-02",
        "md.toml",
    );
    // Scaleway prices in EUR on its own page; models.dev files the same figures as USD.
    let scaleway = offer(&text, "qwen3.5-397b-a17b");
    assert!(scaleway.contains("currency = \"EUR\"\n"), "{scaleway}");
    assert!(scaleway.contains("input = 0.6\noutput = 3.6"), "{scaleway}");
    // A new offer, not an override: the catalog has no qwen3.5-397b-a17b@eu-host.
    assert!(!scaleway.contains("overrides"), "{scaleway}");
    let gpt = offer(&text, "gpt-5.5");
    assert!(
        gpt.contains("above_input_tokens = 272000\ninput = 10.0"),
        "{gpt}"
    );
}

#[test]
fn openrouter_prices_are_decimal_strings_per_token() {
    let text = import(
        "openrouter",
        "tests/fixtures/catalog/openrouter.json",
        "2026-05-15",
        "or.toml",
    );
    // "0.000000455" and "0.00000182" per token: 0.455 and 1.82 per 1M.
    let qwen = offer(&text, "qwen3-235b-a22b");
    assert!(qwen.contains("input = 0.455\noutput = 1.82"), "{qwen}");
}

#[test]
fn suggest_lists_unmapped_entries_with_their_weights() {
    let output = costcalc()
        .args([
            "catalog",
            "import",
            "openrouter",
            "tests/fixtures/catalog/openrouter.json",
        ])
        .args(["--as-of", "2026-05-15", "--map", MAP, "--suggest"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    // $30 / $150 per 1M: "0.00003" and "0.00015" per token. No `hugging_face_id`: weights unknown.
    assert!(
        text.contains("anthropic/claude-opus-4.7-fast  30 / 150  weights ?"),
        "{text}"
    );
    // Mapped already, so not suggested.
    assert!(!text.contains("qwen/qwen3-235b-a22b"), "{text}");
}

#[test]
fn an_import_that_fails_validation_writes_nothing() {
    let into = scratch("invalid.toml");
    std::fs::write(&into, "# kept\n").unwrap();
    let output = costcalc()
        .args([
            "catalog",
            "import",
            "litellm",
            "tests/fixtures/catalog/litellm.json",
        ])
        .args([
            "--as-of",
            "2026-11-20",
            "--map",
            "tests/fixtures/catalog/map-unknown-model.toml",
        ])
        .arg("--into")
        .arg(&into)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("gpt-9"), "{stderr}");
    assert_eq!(std::fs::read_to_string(into).unwrap(), "# kept\n");
}

#[test]
fn drift_finds_the_planted_difference_and_fails_only_when_asked() {
    let args = [
        "catalog",
        "drift",
        "litellm",
        "tests/fixtures/catalog/litellm.json",
        "--as-of",
        "2026-11-20",
        "--map",
        MAP,
        "--pricing",
        EXTRA,
        "--format",
        "json",
        "--threshold",
        "5",
    ];
    let output = costcalc().args(args).output().unwrap();
    assert!(output.status.success());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let planted: Vec<&Value> = report["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["offer"] == "gpt-5.4@openai")
        .collect();
    // The fixture's gpt-5.4 output is 1.6e-05 per token (the real map says 1.5e-05): 16 per
    // 1M against the catalog's 15, (16 - 15) / 15 = +6.67%, beyond the 5% threshold.
    assert_eq!(planted.len(), 1, "{planted:#?}");
    assert_eq!(planted[0]["component"], "output");
    assert_eq!(planted[0]["catalog"], "15");
    assert_eq!(planted[0]["dataset"], "16");
    assert_eq!(planted[0]["beyond_threshold"], true);
    assert!(
        planted[0]["change_percent"]
            .as_str()
            .unwrap()
            .starts_with("6.666")
    );
    // gpt-5.5's tier above 272K tokens (10 / 1 / 45) is in the catalog at the dataset's prices,
    // so nothing of it is listed; before the catalog had it, its whole table was.
    assert!(
        !report["differences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["offer"] == "gpt-5.5@openai" && d["table"] == "above 272000"),
        "{report:#}"
    );
    let failing = costcalc()
        .args(args)
        .arg("--fail-on-drift")
        .output()
        .unwrap();
    assert_eq!(failing.status.code(), Some(1));
    let stderr = String::from_utf8(failing.stderr).unwrap();
    assert!(
        stderr.starts_with("error: the catalog drifted from the dataset"),
        "{stderr}"
    );
    // A threshold above the planted 6.67% leaves it listed but within.
    let output = costcalc()
        .args(&args[..args.len() - 1])
        .arg("7")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["differences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| { d["offer"] == "gpt-5.4@openai" && d["beyond_threshold"] == false })
    );
}
