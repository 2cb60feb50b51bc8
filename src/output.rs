//! Writing a report to a file, atomically: the bytes go to a temporary file in the same folder,
//! which is synced and then renamed over the target. A failure at any point removes the temporary
//! file, so an existing report is only ever replaced by a complete new one, never truncated.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes `bytes` to `path`, replacing it only once they are all on disk.
///
/// # Errors
/// [`Error::WriteFile`] naming the path; the target is then as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_with(path, |file| file.write_all(bytes))
}

/// The same, with the writing done by `write`, so that tests can make it fail halfway.
fn write_with(path: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> Result<(), Error> {
    let fail = |source: io::Error| Error::WriteFile {
        path: path.to_owned(),
        source,
    };
    let name = path.file_name().ok_or_else(|| {
        fail(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path names no file",
        ))
    })?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let temporary = folder.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut file| {
            write(&mut file)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temporary, path));
    if result.is_err() {
        // Nothing useful can be done if the cleanup fails too; the error reported is the first.
        let _ = fs::remove_file(&temporary);
    }
    result.map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("costcalc-output-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        fs::create_dir_all(&folder).unwrap();
        folder
    }

    fn entries(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_complete_write_replaces_the_file() {
        let folder = scratch("complete");
        let target = folder.join("report.csv");
        fs::write(&target, "old report\n").unwrap();
        write_atomically(&target, b"new report\n").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new report\n");
        assert_eq!(entries(&folder), ["report.csv"]);
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_existing_file_untouched() {
        let folder = scratch("failed");
        let target = folder.join("report.csv");
        fs::write(&target, "old report\n").unwrap();
        // The disk fills up after half the report is written.
        let error = write_with(&target, |file| {
            file.write_all(b"plan,cost\nclosed,12")?;
            Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "no space left on device",
            ))
        })
        .unwrap_err();
        assert!(
            error.to_string().contains("no space left on device"),
            "{error}"
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "old report\n");
        assert_eq!(
            entries(&folder),
            ["report.csv"],
            "no temporary file is left behind"
        );
        fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_missing_folder_is_an_error_and_creates_nothing() {
        let folder = scratch("missing");
        let error = write_atomically(&folder.join("no/such/report.csv"), b"x").unwrap_err();
        assert!(matches!(error, Error::WriteFile { .. }));
        assert!(entries(&folder).is_empty());
        fs::remove_dir_all(folder).unwrap();
    }
}
