//! `run --format html` and `run --format markdown --mermaid` from the command line.

use insta_cmd::assert_cmd_snapshot;

use super::costcalc;

fn run(args: &[&str]) -> std::process::Output {
    costcalc().args(args).output().unwrap()
}

/// The whole page of a small bundled scenario, tornado included: the tables, the SVG of each
/// chart and the sources. Byte for byte, so a change of layout is reviewed here.
#[test]
fn the_page_of_a_small_scenario() {
    let output = run(&[
        "run",
        "--format",
        "html",
        "--sensitivity",
        "scenarios/startup-small.toml",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!(page);
}

#[test]
fn the_page_is_the_same_on_every_run_and_in_a_file() {
    let args = ["run", "--format", "html", "scenarios/eu-fintech.toml"];
    let first = run(&args);
    let second = run(&args);
    assert!(first.status.success());
    assert_eq!(first.stdout, second.stdout);
    let folder = std::env::temp_dir().join(format!("costcalc-cli-html-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("report.html");
    let status = costcalc()
        .args(args)
        .arg("--output")
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read(&file).unwrap(), first.stdout);
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn names_with_markup_are_escaped_in_the_page() {
    let output = run(&[
        "run",
        "--format",
        "html",
        "--no-default-pricing",
        "--pricing",
        "tests/fixtures/exposure-pricing.toml",
        "tests/fixtures/html-markup.toml",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("<b>"));
    assert!(!page.contains('\u{7}'));
    assert!(page.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</h1>"));
    assert!(page.contains("R&amp;D \\u{7}bell &quot;quoted&quot; (&lt;b&gt;rd&lt;/b&gt;)"));
    assert!(page.contains(">\n&lt;b&gt;rd&lt;/b&gt;\n</text>"), "{page}");
}

#[test]
fn commands_without_html_refuse_it_as_a_usage_error() {
    for args in [
        &["models", "--format", "html"][..],
        &[
            "sensitivity",
            "--format",
            "html",
            "scenarios/qwen-400k.toml",
        ],
        &[
            "quote", "--format", "html", "--input", "1000", "--output", "10",
        ],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("invalid value 'html'"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn html_with_by_month_and_mermaid_without_markdown_are_refused() {
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "--format",
        "html",
        "--by",
        "month",
        "scenarios/qwen-400k.toml"
    ]));
    assert_cmd_snapshot!(costcalc().args(["run", "--mermaid", "scenarios/qwen-400k.toml"]));
}

/// Lines across the years, in the colours named under the block. The sensitivity fixture's
/// plans: closed $820 a month, $9,840 a year; open $255 a month plus $6,000 once: $9,060 in
/// year 1 and $3,060 in year 2.
#[test]
fn mermaid_chart_of_cost_by_year() {
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "--format",
        "markdown",
        "--mermaid",
        "--no-default-pricing",
        "--pricing",
        "tests/fixtures/sensitivity-pricing.toml",
        "tests/fixtures/sensitivity.toml"
    ]));
}

/// A horizon of one year or less: a bar per plan. Exposure fixture (see its comments): split
/// 18 + 6 = 24, cn-only 12, spread 9 + 12 = 21.
#[test]
fn mermaid_chart_of_a_single_year_is_a_bar_per_plan() {
    let output = run(&[
        "run",
        "--format",
        "markdown",
        "--mermaid",
        "--no-default-pricing",
        "--pricing",
        "tests/fixtures/exposure-pricing.toml",
        "tests/fixtures/exposure.toml",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "    x-axis [\"split\", \"cn-only\", \"spread\"]\n    y-axis \"Cost (USD)\"\n    bar [24.00, 12.00, 21.00]\n```\n"
        ),
        "{text}"
    );
    // Without the flag the report has no chart.
    let plain = run(&[
        "run",
        "--format",
        "markdown",
        "--no-default-pricing",
        "--pricing",
        "tests/fixtures/exposure-pricing.toml",
        "tests/fixtures/exposure.toml",
    ]);
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(!plain.contains("mermaid"));
    assert_eq!(text.replace(&mermaid_block(&text), ""), plain);
}

/// The block and what follows it up to the next blank line.
fn mermaid_block(text: &str) -> String {
    let start = text.find("\n```mermaid").unwrap();
    let end = start + text[start..].find("```\n").unwrap() + 4;
    text[start..end].to_owned()
}

#[test]
fn several_scenarios_make_one_page_with_a_section_each() {
    let output = run(&[
        "run",
        "--format",
        "html",
        "--sensitivity",
        "scenarios/startup-small.toml",
        "scenarios/qwen-400k.toml",
    ]);
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).unwrap();
    assert_eq!(page.matches("<main>").count(), 1);
    assert_eq!(page.matches("<section class=\"scenario\">").count(), 2);
    assert!(page.contains("<title>costcalc report</title>"));
    // Three charts each, and a tornado per plan but the baseline: 2 in startup-small, 3 in
    // qwen-400k.
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 3 + 2 + 3 + 3);
}
