//! The habits of a command-line tool: shell completions, manual pages, and the examples at the
//! end of every command's `--help`, each run as written.

use std::path::PathBuf;
use std::process::Command;

use clap::CommandFactory;

use super::costcalc;

/// Every command's path below `costcalc`, the top level first: `[]`, `["run"]`, ...,
/// `["catalog", "import"]`.
fn command_paths() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, path: &[String], into: &mut Vec<Vec<String>>) {
        into.push(path.to_vec());
        for sub in command.get_subcommands() {
            let mut sub_path = path.to_vec();
            sub_path.push(sub.get_name().to_owned());
            walk(sub, &sub_path, into);
        }
    }
    let mut paths = Vec::new();
    walk(&costcalc::cli::Cli::command(), &[], &mut paths);
    paths
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("costcalc-cli-habits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "powershell", "elvish"];

#[test]
fn completions_name_every_command_in_every_shell() {
    let commands: Vec<String> = command_paths()
        .into_iter()
        .filter(|path| path.len() == 1)
        .map(|path| path[0].clone())
        .collect();
    assert!(commands.len() >= 14, "{commands:?}");
    for shell in SHELLS {
        let output = costcalc().args(["completions", shell]).output().unwrap();
        assert!(output.status.success(), "{shell}: {output:?}");
        let script = String::from_utf8(output.stdout).unwrap();
        for command in &commands {
            assert!(
                script.contains(command.as_str()),
                "{shell} lacks `{command}`"
            );
        }
        // Flags of a nested command are completed too.
        assert!(script.contains("target-savings"), "{shell}");
        assert!(script.contains("suggest"), "{shell}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = costcalc().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("[possible values: bash, elvish, fish, powershell, zsh]"),
        "{stderr}"
    );
}

/// The bash script parses (`bash -n`), and sourced in a shell it completes subcommands and
/// flags. Skipped where there is no bash.
#[test]
fn the_bash_completions_parse_and_complete() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("no bash here: the bash script is only checked for its commands");
        return;
    }
    let dir = scratch("bash");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("costcalc.bash");
    let output = costcalc().args(["completions", "bash"]).output().unwrap();
    std::fs::write(&script, output.stdout).unwrap();
    let parse = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(parse.status.success(), "{parse:?}");
    // Complete `costcalc br` and `costcalc solve --tar` as bash would on a tab.
    let complete = |words: &str| -> String {
        let program = format!(
            "source '{}'\nCOMP_WORDS=({words})\nCOMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n\
             _costcalc costcalc \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let run = Command::new("bash")
            .arg("-c")
            .arg(program)
            .output()
            .unwrap();
        assert!(run.status.success(), "{run:?}");
        String::from_utf8(run.stdout).unwrap()
    };
    assert_eq!(complete("costcalc br"), "breakeven\n");
    assert!(
        complete("costcalc solve --tar").contains("--target-savings"),
        "{}",
        complete("costcalc solve --tar")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_man_page_is_roff_with_every_command() {
    let output = costcalc().arg("man").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains(".TH costcalc 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    assert!(page.contains("costcalc\\-breakeven(1)"), "{page}");
    // The examples of `--help` are in the page too.
    let solve = costcalc().args(["man", "solve"]).output().unwrap();
    let solve = String::from_utf8(solve.stdout).unwrap();
    assert!(solve.contains("Examples:"), "{solve}");
}

#[test]
fn man_dir_writes_one_page_per_command() {
    let dir = scratch("man");
    std::fs::create_dir_all(&dir).unwrap();
    let output = costcalc()
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = command_paths()
        .iter()
        .map(|path| {
            std::iter::once("costcalc")
                .chain(path.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("-")
                + ".1"
        })
        .collect();
    expected.sort();
    // Nothing else, such as a temporary file left behind.
    assert_eq!(names, expected);
    let run = std::fs::read_to_string(dir.join("costcalc-catalog-import.1")).unwrap();
    assert!(run.starts_with(".ie \\n(.g"), "{run}");
    assert!(run.contains(".TH costcalc-catalog-import 1"), "{run}");
    // Written again over the pages it wrote, it replaces them.
    let again = costcalc()
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(again.status.success(), "{again:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn man_dir_must_be_an_existing_folder() {
    let dir = scratch("man-missing");
    let output = costcalc()
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "error: `{0}` does not exist; expected a folder for the manual pages\n\
             hint: create it first (`mkdir -p {0}`)\n",
            dir.display()
        )
    );
    assert!(!dir.exists());

    let output = costcalc()
        .args(["man", "--dir", "Cargo.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: `Cargo.toml` is not a folder; expected a folder for the manual pages\n\
         hint: name the folder the pages go in, such as `~/.local/share/man/man1`\n"
    );
}

/// One example of a command's `--help`: the command line, and the exit status its comment
/// states (0 unless it says "exit status N").
#[derive(Debug)]
struct Example {
    line: String,
    status: i32,
}

/// The examples at the end of a help text: the lines after `Examples:`, each command line
/// under its comment.
fn examples(help: &str) -> Vec<Example> {
    let Some((_, section)) = help.split_once("\nExamples:\n") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut status = 0;
    for line in section.lines().map(str::trim) {
        if let Some(comment) = line.strip_prefix('#') {
            status = comment
                .split_once("exit status ")
                .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
                .map_or(0, |digits| digits.parse().unwrap());
        } else if line.starts_with("costcalc ") {
            found.push(Example {
                line: line.to_owned(),
                status,
            });
            status = 0;
        } else {
            assert!(line.is_empty(), "a stray line among the examples: {line}");
        }
    }
    found
}

#[test]
fn every_help_example_runs_as_documented() {
    let mut count = 0;
    for path in command_paths() {
        let help = costcalc().args(&path).arg("--help").output().unwrap();
        assert!(help.status.success(), "{path:?}: {help:?}");
        let help = String::from_utf8(help.stdout).unwrap();
        let examples = examples(&help);
        assert!(
            (2..=3).contains(&examples.len()),
            "`costcalc {}` has {} examples:\n{help}",
            path.join(" "),
            examples.len()
        );
        for example in examples {
            // The part up to a pipe or a redirection is costcalc's; the rest is the shell's.
            let own = example.line.split(['|', '>']).next().unwrap();
            assert!(
                !own.contains(['\'', '"', '$', '~', '*', '`']),
                "an example needs a shell to run: {}",
                example.line
            );
            let args: Vec<&str> = own.split_whitespace().skip(1).collect();
            // Each command of an example is the one whose help shows it.
            assert_eq!(
                &args[..path.len()],
                path.iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice(),
                "{}",
                example.line
            );
            let output = costcalc().args(&args).output().unwrap();
            assert_eq!(
                output.status.code(),
                Some(example.status),
                "`{}`:\n{}",
                example.line,
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(
                !output.stdout.is_empty(),
                "`{}` printed nothing",
                example.line
            );
            count += 1;
        }
    }
    assert!(count >= 40, "only {count} examples");
}

#[test]
fn breakeven_and_solve_say_which_period_they_answer_for() {
    // scenarios/startup-small.toml: 24 months; `gpt-oss-deepinfra` pays a $12,000 migration in
    // year 1 and costs $281.82 in year 2 at 1x against $6,595.42 for `gpt-mini`.
    insta::assert_snapshot!(
        "breakeven_year_two",
        String::from_utf8(
            costcalc()
                .args([
                    "breakeven",
                    "scenarios/startup-small.toml",
                    "--plan",
                    "gpt-oss-deepinfra",
                    "--versus",
                    "gpt-mini",
                    "--year",
                    "2",
                ])
                .output()
                .unwrap()
                .stdout
        )
        .unwrap()
    );
    // Year 2 saves $6,595.42 - $281.82 = $6,313.60 at 1x, proportional to volume (no fixed
    // cost in year 2): $1,000 at 1,000 / 6,313.60 = 0.158x.
    insta::assert_snapshot!(
        "solve_year_two",
        String::from_utf8(
            costcalc()
                .args([
                    "solve",
                    "scenarios/startup-small.toml",
                    "--plan",
                    "gpt-oss-deepinfra",
                    "--target-savings",
                    "1000",
                    "--year",
                    "2",
                ])
                .output()
                .unwrap()
                .stdout
        )
        .unwrap()
    );
    let output = costcalc()
        .args([
            "solve",
            "scenarios/startup-small.toml",
            "--plan",
            "gpt-oss-deepinfra",
            "--target-savings",
            "1000",
            "--horizon",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["period"],
        serde_json::json!({"kind": "horizon", "start": "2027-01", "end": "2028-12", "months": 24})
    );
}

#[test]
fn a_year_past_the_horizon_or_both_periods_are_usage_errors() {
    let run = |extra: &[&str]| {
        costcalc()
            .args([
                "breakeven",
                "scenarios/startup-small.toml",
                "--plan",
                "gpt-oss-deepinfra",
                "--versus",
                "gpt-mini",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let output = run(&["--year", "3"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: `--year 3` is not a year of the horizon of `scenarios/startup-small.toml`, \
         which has 2 years (24 months)\nhint: name a year from 1 to 2, or `--horizon` for all \
         of it\n"
    );
    for extra in [&["--year", "0"][..], &["--year", "2", "--horizon"]] {
        let output = run(extra);
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
    }
}
