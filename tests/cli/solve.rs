//! `breakeven` and `solve` end to end: verdicts about the range searched, the direction of a
//! target, and ranges and plans that are refused.

use insta_cmd::assert_cmd_snapshot;

use super::costcalc;

#[test]
fn breakeven_judges_the_range_not_the_scenarios_volume() {
    // At 1x gpt-mini is cheaper ($3,664.64 against $12,156.59, which includes a $12,000
    // migration), but from 20x on DeepInfra is: at 20x gpt-mini costs 20 x $3,664.64 = $73,292.79.
    assert_cmd_snapshot!(costcalc().args([
        "breakeven",
        "scenarios/startup-small.toml",
        "--plan",
        "gpt-mini",
        "--versus",
        "gpt-oss-deepinfra",
        "--from",
        "20",
        "--to",
        "100"
    ]));
}

#[test]
fn solve_says_when_savings_fall_with_volume() {
    // Savings a year are 12 x (100,000 k x $0.000207 + $2,000 - 100,000 k x $0.00525)
    // = 24,000 - 6,051.6 k; $12,000 is met up to k = 12,000 / 6,051.6 = 1.98.
    assert_cmd_snapshot!(costcalc().args([
        "solve",
        "tests/fixtures/falling-savings.toml",
        "--plan",
        "closed",
        "--target-savings",
        "12000"
    ]));
    // Met across the whole range: $10 at 0.01x is 24,000 - 60.52; at 2x, 24,000 - 12,103.20.
    assert_cmd_snapshot!(costcalc().args([
        "solve",
        "tests/fixtures/falling-savings.toml",
        "--plan",
        "closed",
        "--target-savings",
        "10",
        "--to",
        "2",
        "--format",
        "json"
    ]));
}

#[test]
fn solve_with_a_target_beyond_any_cost_never_meets_it() {
    assert_cmd_snapshot!(costcalc().args([
        "solve",
        "scenarios/qwen-400k.toml",
        "--plan",
        "all-qwen",
        "--target-savings",
        "79228162514264337593543950335"
    ]));
}

/// Each refused command line: exit 2 and its whole message, with no search started.
#[test]
fn refused_ranges_and_plans_are_usage_errors() {
    let breakeven = [
        "breakeven",
        "scenarios/startup-small.toml",
        "--plan",
        "gpt-mini",
    ];
    for extra in [
        &["--versus", "gpt-mini"][..],
        &[
            "--versus",
            "gpt-oss-groq",
            "--to",
            "79228162514264337593543950335",
        ],
        &[
            "--versus",
            "gpt-oss-groq",
            "--from",
            "123456789012345678901234",
            "--to",
            "1000000000",
        ],
        &[
            "--versus",
            "gpt-oss-groq",
            "--from",
            "0.0000000000000000000000000025",
        ],
        &["--versus", "gpt-oss-groq", "--from", "3", "--to", "3"],
        &["--versus", "gpt-oss-groq", "--from", "0"],
    ] {
        let output = costcalc().args(breakeven).args(extra).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8(output.stderr).unwrap();
        insta::assert_snapshot!(stderr);
    }
}
