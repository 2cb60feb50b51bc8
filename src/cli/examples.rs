//! The examples that end each command's `--help` (and its manual page). Every line that starts
//! with `costcalc` is run by the test suite from the repository root, so these must use files
//! the repository has and offers the built-in catalog has. A comment line saying "exit status
//! N" declares the status of the command under it; anything after a `|` or `>` is left to the
//! shell and not run.

pub const COSTCALC: &str = "\
Examples:
  # Compare the plans of a bundled scenario
  costcalc run scenarios/qwen-400k.toml
  # Price one request at two offers
  costcalc quote --input 10000 --output 1000 gpt-5.4@openai qwen3-235b-a22b-instruct-2507@deepinfra";

pub const RUN: &str = "\
Examples:
  # Every plan of the $400k scenario against its baseline
  costcalc run scenarios/qwen-400k.toml
  # A 24-month scenario month by month, as Markdown for a pull request
  costcalc run scenarios/startup-small.toml --by month --format markdown
  # Exact figures for a spreadsheet or a script
  costcalc run scenarios/eu-fintech.toml --format json --pretty";

pub const CHECK: &str = "\
Examples:
  # Check two scenarios against the built-in catalog
  costcalc check scenarios/qwen-400k.toml scenarios/eu-fintech.toml
  # Check a catalog file (a copy of a built-in one is recognised)
  costcalc check pricing/openai.toml";

pub const MODELS: &str = "\
Examples:
  # Open-weight models from China, cheapest for three input tokens to one output token first
  costcalc models --weights open --origin CN --sort blended --ratio 3:1
  # One provider's prices in euros
  costcalc models --provider deepinfra --currency EUR --rate EUR:USD=1.16
  # Every host of one model
  costcalc models --model qwen3-235b";

pub const QUOTE: &str = "\
Examples:
  # One request at GPT-5.4 and at the open Qwen3-235B on DeepInfra
  costcalc quote --input 10000 --output 1000 gpt-5.4@openai qwen3-235b-a22b-instruct-2507@deepinfra
  # A million chat requests with 40% of the prompt cached, at every open-weight offer
  costcalc quote --input 3000 --cached 1200 --output 350 --requests 1000000 --weights open";

pub const BREAKEVEN: &str = "\
Examples:
  # The volume at which renting GPUs beats GPT mini, in year 1
  costcalc breakeven scenarios/self-hosting-wins.toml --plan self-on-demand --versus gpt-mini
  # The same over year 2 of a 24-month scenario, which includes its growth
  costcalc breakeven scenarios/startup-small.toml --plan gpt-oss-deepinfra --versus gpt-mini --year 2
  # Over the whole horizon, as JSON
  costcalc breakeven scenarios/startup-small.toml --plan gpt-oss-groq --versus gpt-mini --horizon --format json";

pub const SOLVE: &str = "\
Examples:
  # What volume saves $400,000 in year 1 by moving to Qwen?
  costcalc solve scenarios/qwen-400k.toml --plan all-qwen --target-savings 400000
  # The volume at which the open plan saves 1,000 in year 2
  costcalc solve scenarios/startup-small.toml --plan gpt-oss-deepinfra --target-savings 1000 --year 2
  # Over the whole horizon, one-time costs included, as JSON
  costcalc solve scenarios/startup-small.toml --plan gpt-oss-deepinfra --target-savings 1000 --horizon --format json";

pub const DIFF: &str = "\
Examples:
  # What a 50% cache hit share does to a Claude chat workload
  costcalc diff tests/fixtures/small.toml tests/fixtures/cached-chat.toml
  # As a pull-request comment; exit status 3, since the horizon cost rises by more than 10%
  costcalc diff tests/fixtures/cached-chat.toml tests/fixtures/small.toml --per horizon --fail-above 10% --format markdown";

pub const STRESS: &str = "\
Examples:
  # Each provider lost in turn: the single points of failure of every plan
  costcalc stress scenarios/qwen-400k.toml --lose-each
  # Alibaba lost from July
  costcalc stress scenarios/qwen-400k.toml --lose alibaba --from 2027-07
  # Every provider headquartered in China lost
  costcalc stress scenarios/eu-fintech.toml --lose-country CN";

pub const CHEAPEST: &str = "\
Examples:
  # The cheapest offer that meets the EU policy, for each workload
  costcalc cheapest scenarios/eu-fintech.toml
  # As Markdown
  costcalc cheapest scenarios/qwen-400k.toml --format markdown";

pub const USAGE: &str = "\
Examples:
  # An Anthropic usage report at list prices
  costcalc usage tests/fixtures/usage/anthropic.json
  # OpenRouter activity repriced at every open-weight offer
  costcalc usage tests/fixtures/usage/openrouter.json --compare --weights open
  # LiteLLM spend logs by project
  costcalc usage tests/fixtures/usage/litellm.csv --group-by project";

pub const CATALOG: &str = "\
Examples:
  # The catalog as one CSV table
  costcalc catalog export
  # LiteLLM entries of the mapped providers not mapped yet
  costcalc catalog import litellm tests/fixtures/catalog/litellm.json --as-of 2026-11-20 --suggest";

pub const CATALOG_IMPORT: &str = "\
Examples:
  # LiteLLM entries of the mapped providers not mapped yet
  costcalc catalog import litellm tests/fixtures/catalog/litellm.json --as-of 2026-11-20 --suggest
  # The same for OpenRouter's models list
  costcalc catalog import openrouter tests/fixtures/catalog/openrouter.json --as-of 2026-11-20 --suggest";

pub const CATALOG_DRIFT: &str = "\
Examples:
  # Prices more than 5% away from LiteLLM's
  costcalc catalog drift litellm tests/fixtures/catalog/litellm.json --as-of 2026-11-20 --threshold 5
  # Fail a CI job on any drift from OpenRouter; exit status 1, since this copy has drifted
  costcalc catalog drift openrouter tests/fixtures/catalog/openrouter.json --as-of 2026-11-20 --fail-on-drift";

pub const CATALOG_EXPORT: &str = "\
Examples:
  # Every offer's prices as CSV, for SQL
  costcalc catalog export
  # With a negotiated price on top of the built-in catalog
  costcalc catalog export --pricing tests/fixtures/negotiated.toml";

pub const SENSITIVITY: &str = "\
Examples:
  # What the $400k saving depends on, ranked
  costcalc sensitivity scenarios/qwen-400k.toml
  # A 24-month scenario as CSV
  costcalc sensitivity scenarios/startup-small.toml --format csv";

pub const COMPLETIONS: &str = "\
Examples:
  # Bash (bash-completion loads it on demand)
  costcalc completions bash > ~/.local/share/bash-completion/completions/costcalc
  # Zsh: a folder on $fpath
  costcalc completions zsh > ~/.zfunc/_costcalc
  # Fish
  costcalc completions fish > ~/.config/fish/completions/costcalc.fish";

pub const MAN: &str = "\
Examples:
  # Read costcalc's page now
  costcalc man | man -l -
  # One command's page
  costcalc man catalog import | man -l -
  # One page saved for `man -l` (or every page at once with `--dir DIR`)
  costcalc man solve > costcalc-solve.1";
