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
