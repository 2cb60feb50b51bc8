//! Completions and pages name every command.

use super::*;

#[test]
fn every_page_is_named_after_its_command() {
    let names: Vec<String> = pages().into_iter().map(|(name, _)| name).collect();
    for expected in [
        "costcalc.1",
        "costcalc-run.1",
        "costcalc-breakeven.1",
        "costcalc-catalog.1",
        "costcalc-catalog-import.1",
        "costcalc-man.1",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    // `help` is clap's, not a command with a page.
    assert!(!names.iter().any(|n| n.contains("help")), "{names:?}");
}

#[test]
fn a_page_for_an_unknown_command_suggests_the_closest() {
    let error = page(&["catalog".to_owned(), "imprt".to_owned()]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no command `imprt` in `costcalc catalog`\nhint: did you mean `import`?"
    );
}

#[test]
fn a_subcommand_page_is_its_own() {
    let text = page(&["solve".to_owned()]).unwrap();
    assert!(text.starts_with(".ie \\n(.g .ds Aq"), "{}", &text[..80]);
    assert!(text.contains("costcalc\\-solve"), "{text}");
    assert!(text.contains("target\\-savings"), "{text}");
}

#[test]
fn a_page_below_a_command_without_commands_says_so_rather_than_listing_none() {
    // `costcalc man run run` used to end in "the commands of `costcalc run` are " and nothing.
    let error = page(&["run".to_owned(), "run".to_owned()]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "`costcalc run` has no commands, so `run` names no page\n\
         hint: `costcalc man run` shows the page of `costcalc run`"
    );
    assert_eq!(error.exit_code(), crate::error::EXIT_USAGE);
}
