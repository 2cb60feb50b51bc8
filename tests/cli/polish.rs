//! Finishing touches found by a hostile review: names that Markdown would read as inline HTML,
//! overflow hints that name `--to`, manual pages written all or nothing, the word for what
//! failed to be written, and "1 month" rather than "1 months".

use super::costcalc;

const PRICING: [&str; 3] = [
    "--no-default-pricing",
    "--pricing",
    "tests/fixtures/polish/markup-pricing.toml",
];
const MARKUP: &str = "tests/fixtures/polish/markup.toml";

fn stdout(args: &[&str]) -> String {
    let output = costcalc().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Every line of `markdown` with, outside code spans (the names here hold no backticks, so a
/// span is the text between two backticks of a line) and fenced blocks (the Mermaid chart,
/// whose names are strings of its own language), the start of an HTML tag or comment that the
/// fixtures hide in their names.
fn inline_html(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if fenced {
            continue;
        }
        for (i, piece) in line.split('`').enumerate() {
            let outside = i % 2 == 0;
            for tag in ["<b>", "</b>", "<i>", "</i>", "<img", "<!--"] {
                if outside && piece.contains(tag) {
                    found.push(line.to_owned());
                }
            }
        }
    }
    found
}

#[test]
fn markdown_reports_show_names_that_look_like_html_as_written() {
    let markup_run = [&["run", "--format", "markdown", MARKUP][..], &PRICING].concat();
    let with_extras = [
        &[
            "run",
            "--format",
            "markdown",
            "--by",
            "month",
            "--mermaid",
            "--sensitivity",
        ][..],
        &PRICING,
        &[MARKUP],
    ]
    .concat();
    let commands: Vec<Vec<&str>> = vec![
        markup_run,
        with_extras,
        [&["models", "--format", "markdown"][..], &PRICING].concat(),
        [
            &["sensitivity", "--format", "markdown", MARKUP][..],
            &PRICING,
        ]
        .concat(),
        [
            &["stress", "--format", "markdown", "--lose", "us", MARKUP][..],
            &PRICING,
        ]
        .concat(),
        [&["cheapest", "--format", "markdown", MARKUP][..], &PRICING].concat(),
        [
            &["diff", "--format", "markdown", MARKUP][..],
            &["tests/fixtures/polish/markup-double.toml"],
            &PRICING,
        ]
        .concat(),
        [
            &[
                "usage",
                "tests/fixtures/polish/markup-usage.csv",
                "--format",
                "markdown",
            ][..],
            &[
                "--group-by",
                "project",
                "--today",
                "2027-02-01",
                "--compare",
            ],
            &PRICING,
        ]
        .concat(),
    ];
    for args in &commands {
        let text = stdout(args);
        assert!(inline_html(&text).is_empty(), "{args:?}:\n{text}");
        // The references GitHub shows as the characters: something was escaped, not dropped.
        assert!(
            text.contains("&lt;") && text.contains("&gt;"),
            "{args:?}:\n{text}"
        );
    }
}

#[test]
fn each_kind_of_name_is_escaped_in_markdown_and_code_spans_are_left_alone() {
    let run = stdout(&[&["run", "--format", "markdown", MARKUP][..], &PRICING].concat());
    // The scenario's name, a heading.
    assert!(
        run.starts_with("### &lt;b&gt;Plan&lt;/b&gt; &amp; &lt;!-- hidden --&gt;\n"),
        "{run}"
    );
    // Plan and workload ids in table cells and headers.
    assert!(
        run.contains("| Workload | &lt;i&gt;closed&lt;/i&gt; | &lt;img src=x&gt;open |"),
        "{run}"
    );
    assert!(
        run.contains("| &lt;b&gt;rd&lt;/b&gt; | $3.00 | $1.00 |"),
        "{run}"
    );
    // A catalog's source, in the list of prices; the offer id stays a code span.
    assert!(
        run.contains(
            "- `open@us`: input $1.00, output $1.00 (as of 2026-12-01, &lt;!-- hidden --&gt; list)"
        ),
        "{run}"
    );
    // A catalog's model name in `models`.
    let models = stdout(&[&["models", "--format", "markdown"][..], &PRICING].concat());
    assert!(
        models.contains("| `open@us` | &lt;b&gt;Open&lt;/b&gt; &amp; co | open |"),
        "{models}"
    );
    // Inside code spans GitHub shows text literally, so the ids there are as written.
    let stress = stdout(
        &[
            &["stress", "--format", "markdown", "--lose", "us", MARKUP][..],
            &PRICING,
        ]
        .concat(),
    );
    assert!(
        stress.contains("- STRANDED: plan `<i>closed</i>`, workload `<b>rd</b>` at `closed@us`"),
        "{stress}"
    );
}

#[test]
fn markdown_of_ordinary_names_is_unchanged() {
    // The HTML the report writes itself stays HTML.
    let run = stdout(&[&["run", "--format", "markdown", MARKUP][..], &PRICING].concat());
    assert!(
        run.contains("\n<sub>Prices per 1M tokens, with the date each was read:</sub>\n"),
        "{run}"
    );
    let diff = stdout(
        &[
            &["diff", "--format", "markdown", MARKUP][..],
            &["tests/fixtures/polish/markup-double.toml"],
            &PRICING,
        ]
        .concat(),
    );
    assert!(
        diff.contains("\n<details>\n<summary>Every plan, workload and year</summary>\n")
            && diff.ends_with("\n</details>\n"),
        "{diff}"
    );
}

#[test]
fn an_overflow_caused_by_the_top_of_the_range_says_to_lower_to() {
    // 1e20 requests a month is in range as written; at 1e9x it is 1e29, above about 7.9e28.
    for command in [
        &["breakeven", "--plan", "open", "--versus", "closed"][..],
        &["solve", "--plan", "open", "--target-savings", "1"],
    ] {
        let output = costcalc()
            .args(command)
            .args(PRICING)
            .args(["tests/fixtures/polish/huge.toml", "--to", "1000000000"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "error: a workload's volume scaled 1000000000x overflows the decimal range (about \
             7.9e28)\nhint: at 1x every figure is in range; scaled towards `--to 1000000000` \
             the volumes leave it: lower `--to`\n",
            "{command:?}"
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn man_dir_writes_every_page_or_none() {
    let dir = std::env::temp_dir().join(format!("costcalc-cli-polish-{}-man", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("costcalc-run.1")).unwrap();
    // An old page that comes before the blocked one: it must stay as it was.
    std::fs::write(dir.join("costcalc.1"), "old page\n").unwrap();
    let output = costcalc()
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let blocked = dir.join("costcalc-run.1");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "error: cannot write the manual page `{0}`: it is a folder; no page was written\n\
             hint: move or remove the folder `{0}`, then run again\n",
            blocked.display()
        )
    );
    assert!(output.stdout.is_empty());
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    // No page written, no temporary file left behind.
    assert_eq!(left, ["costcalc-run.1", "costcalc.1"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("costcalc.1")).unwrap(),
        "old page\n"
    );
    // Once the folder is gone, every page is written.
    std::fs::remove_dir(&blocked).unwrap();
    let output = costcalc()
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(output.status.success());
    let page = std::fs::read_to_string(&blocked).unwrap();
    assert!(page.contains(".TH costcalc-run 1"), "{page}");
    assert_ne!(
        std::fs::read_to_string(dir.join("costcalc.1")).unwrap(),
        "old page\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A failed write of output that is not a report names what it is.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_names_what_was_being_written() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for (args, what) in [
        (&["completions", "bash"][..], "the completion script"),
        (&["man"], "the manual page"),
        (&["man", "run"], "the manual page"),
        (&["models"], "the report"),
    ] {
        let output = costcalc().args(args).stdout(full()).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with(&format!("error: cannot write {what}: ")),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn one_month_is_written_in_the_singular() {
    // The fixture's horizon is one month; the same with 13 months has a last year of one.
    let dir =
        std::env::temp_dir().join(format!("costcalc-cli-polish-{}-month", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let thirteen = dir.join("thirteen.toml");
    let text = std::fs::read_to_string(MARKUP).unwrap();
    assert!(text.contains("\nmonths = 1\n"));
    std::fs::write(&thirteen, text.replace("\nmonths = 1\n", "\nmonths = 13\n")).unwrap();
    let thirteen = thirteen.to_str().unwrap();
    let with = |args: &[&str]| stdout(&[args, &PRICING].concat());
    let cases = [
        (
            with(&["run", "--format", "markdown", "--mermaid", MARKUP]),
            vec![
                "2027-01 to 2027-01 (1 month), amounts in USD",
                "title \"Cost over the horizon (1 month)\"",
            ],
        ),
        (
            with(&["run", "--format", "markdown", "--mermaid", thirteen]),
            vec![
                "| Year 2 (1 month) |",
                "x-axis [\"Year 1\", \"Year 2 (1 month)\"]",
            ],
        ),
        (
            with(&["run", "--format", "html", MARKUP]),
            vec![
                "2027-01 to 2027-01 (1 month), amounts in USD",
                "Year 1 (1 month)",
            ],
        ),
        (
            with(&["sensitivity", "--width", "200", MARKUP]),
            vec!["saves $2.00 over 1 month ($2.00 in year 1)"],
        ),
        (
            with(&["stress", "--width", "200", "--lose", "us", MARKUP]),
            vec!["the first 12 months after the loss: 2027-01 to 2027-01 (1 month)"],
        ),
        (
            with(&["diff", "--width", "200", MARKUP, thirteen]),
            vec!["OLD covers 1 month and NEW 13;"],
        ),
        (
            with(&["run", "--width", "200", MARKUP]),
            vec![
                "2027-01 to 2027-01 (1 month), amounts in USD",
                "Year 1 (1 month)",
            ],
        ),
        (
            with(&["run", "--width", "200", thirteen]),
            vec!["Year 2 (1 month)"],
        ),
    ];
    for (text, expected) in cases {
        for line in expected {
            assert!(text.contains(line), "{line}\n{text}");
        }
        assert!(!text.contains("1 months"), "{text}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
