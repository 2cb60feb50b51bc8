//! The default catalog, embedded into the binary at build time so `costcalc` works from any
//! directory. A test checks that every file in `pricing/` is listed here.

use std::sync::Arc;

use crate::error::SourceFile;

/// Every file of `pricing/`, by the name errors report it under.
const FILES: &[(&str, &str)] = &[
    (
        "pricing/alibaba.toml",
        include_str!("../../pricing/alibaba.toml"),
    ),
    (
        "pricing/anthropic.toml",
        include_str!("../../pricing/anthropic.toml"),
    ),
    (
        "pricing/azure.toml",
        include_str!("../../pricing/azure.toml"),
    ),
    (
        "pricing/baseten.toml",
        include_str!("../../pricing/baseten.toml"),
    ),
    (
        "pricing/bedrock.toml",
        include_str!("../../pricing/bedrock.toml"),
    ),
    (
        "pricing/cerebras.toml",
        include_str!("../../pricing/cerebras.toml"),
    ),
    (
        "pricing/cortecs.toml",
        include_str!("../../pricing/cortecs.toml"),
    ),
    (
        "pricing/deepinfra.toml",
        include_str!("../../pricing/deepinfra.toml"),
    ),
    (
        "pricing/deepseek.toml",
        include_str!("../../pricing/deepseek.toml"),
    ),
    (
        "pricing/fireworks.toml",
        include_str!("../../pricing/fireworks.toml"),
    ),
    (
        "pricing/google.toml",
        include_str!("../../pricing/google.toml"),
    ),
    ("pricing/gpus.toml", include_str!("../../pricing/gpus.toml")),
    ("pricing/groq.toml", include_str!("../../pricing/groq.toml")),
    ("pricing/meta.toml", include_str!("../../pricing/meta.toml")),
    (
        "pricing/minimax.toml",
        include_str!("../../pricing/minimax.toml"),
    ),
    (
        "pricing/mistral.toml",
        include_str!("../../pricing/mistral.toml"),
    ),
    (
        "pricing/moonshot.toml",
        include_str!("../../pricing/moonshot.toml"),
    ),
    (
        "pricing/nebius.toml",
        include_str!("../../pricing/nebius.toml"),
    ),
    (
        "pricing/novita.toml",
        include_str!("../../pricing/novita.toml"),
    ),
    (
        "pricing/openai.toml",
        include_str!("../../pricing/openai.toml"),
    ),
    (
        "pricing/openrouter.toml",
        include_str!("../../pricing/openrouter.toml"),
    ),
    (
        "pricing/ovhcloud.toml",
        include_str!("../../pricing/ovhcloud.toml"),
    ),
    (
        "pricing/sambanova.toml",
        include_str!("../../pricing/sambanova.toml"),
    ),
    (
        "pricing/scaleway.toml",
        include_str!("../../pricing/scaleway.toml"),
    ),
    (
        "pricing/self-hosted.toml",
        include_str!("../../pricing/self-hosted.toml"),
    ),
    (
        "pricing/stackit.toml",
        include_str!("../../pricing/stackit.toml"),
    ),
    (
        "pricing/together.toml",
        include_str!("../../pricing/together.toml"),
    ),
    (
        "pricing/vertex.toml",
        include_str!("../../pricing/vertex.toml"),
    ),
    ("pricing/zai.toml", include_str!("../../pricing/zai.toml")),
];

/// The embedded files, in name order.
pub fn files() -> Vec<Arc<SourceFile>> {
    FILES
        .iter()
        .map(|(name, text)| SourceFile::new(*name, *text))
        .collect()
}

/// The name of the embedded file with exactly this text, if any: a user's copy of a built-in
/// file would define everything a second time.
pub fn same_as(text: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(_, builtin)| *builtin == text)
        .map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pricing_file_is_embedded() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("pricing");
        let mut on_disk: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| {
                std::path::Path::new(name)
                    .extension()
                    .is_some_and(|e| e == "toml")
            })
            .map(|name| format!("pricing/{name}"))
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, embedded);
    }
}
