use rust_decimal_macros::dec;

use super::*;
use crate::fixtures::exposure_estimate;

/// A scenario whose names hold what HTML reads as markup, quotes and control characters.
const MARKUP: &str = r#"
[scenario]
name = "Costs <script>alert('x')</script> & \"more\""
description = "<b>bold</b> & <img src=x onerror=alert(1)>"
start = "2027-01"
months = 2

[[workload]]
id = "chat<&>"
name = "Chat \u001b[2J <i>"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 0

[[plan]]
id = "<script>"
name = "A & B \"quoted\" 'single'"
baseline = true

[[plan.route]]
workload = "chat<&>"
offer = "closed-b@usa"

[[plan]]
id = "open&cheap"

[[plan.route]]
workload = "chat<&>"
offer = "open-a@cna"
"#;

fn page(estimate: &Estimate) -> String {
    let mut bytes = Vec::new();
    write(&mut bytes, std::slice::from_ref(estimate), &[]).unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn text_escapes_markup_quotes_and_control_characters() {
    assert_eq!(
        text("<script>a & \"b\" 'c'</script>"),
        "&lt;script&gt;a &amp; &quot;b&quot; &#39;c&#39;&lt;/script&gt;"
    );
    assert_eq!(text("a\u{1b}[2J\nb"), "a\\u{1b}[2J\\nb");
    assert_eq!(text("plain"), "plain");
}

#[test]
fn names_from_the_scenario_cannot_add_markup_to_the_page() {
    let estimate = exposure_estimate(MARKUP);
    let html = page(&estimate);
    // The page's own markup has no script, and the only tags are those the renderer writes.
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>"));
    assert!(!html.contains("<i>"));
    assert!(!html.contains("<img"));
    assert!(!html.contains('\u{1b}'));
    assert!(html.contains(
        "<h1>Costs &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;</h1>"
    ));
    assert!(
        html.contains("<p>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</p>")
    );
    assert!(html.contains("Chat \\u{1b}[2J &lt;i&gt; (chat&lt;&amp;&gt;)"));
    assert!(
        html.contains("A &amp; B &quot;quoted&quot; &#39;single&#39; (&lt;script&gt;), baseline")
    );
    // In the charts too: the plan ids under the bars and in the legends, escaped by plotters.
    assert!(html.contains(">\n&lt;script&gt;\n</text>"), "{html}");
    assert!(html.contains(">\nopen&amp;cheap\n</text>"));
    assert!(html.contains(">\nchat&lt;&amp;&gt;\n</text>"));
}

#[test]
fn the_page_is_self_contained() {
    let html = page(&exposure_estimate(crate::fixtures::EXPOSURE_SCENARIO));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.ends_with("</html>\n"));
    for fetch in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(fetch), "{fetch}");
    }
    // The three run charts, each an inline SVG.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 3);
    assert_eq!(html.matches("</svg>").count(), 3);
}

#[test]
fn amounts_are_rounded_for_display_as_in_the_tables() {
    let mut estimate = exposure_estimate(crate::fixtures::EXPOSURE_SCENARIO);
    // Half a cent more than 18: shown as $18.01, away from zero, in the summary.
    estimate.plans[0].total_cost = dec!(18.005);
    let html = page(&estimate);
    assert!(html.contains("<td class=\"num\">$18.01</td>"), "{html}");
    assert!(!html.contains("18.005"));
}

#[test]
fn web_sources_are_links_and_other_sources_text() {
    assert_eq!(
        link("https://example.com/a?b=1&c=2"),
        "<a href=\"https://example.com/a?b=1&amp;c=2\">https://example.com/a?b=1&amp;c=2</a>"
    );
    assert_eq!(link("javascript:alert(1)"), "javascript:alert(1)");
    assert_eq!(link("Contract <2026>"), "Contract &lt;2026&gt;");
}

#[test]
fn a_first_year_shorter_than_twelve_months_says_so() {
    // MARKUP runs two months.
    let html = page(&exposure_estimate(MARKUP));
    assert!(
        html.contains("<th class=\"num\">Year 1 (2 months)</th>"),
        "{html}"
    );
    let html = page(&exposure_estimate(crate::fixtures::EXPOSURE_SCENARIO));
    assert!(html.contains("<th class=\"num\">Year 1</th>"));
}
