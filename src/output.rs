//! Writing a report where `--output` says, without destroying anything that is not the report's.
//!
//! - `-` is standard output.
//! - A regular file, or a name that does not exist yet, is replaced atomically: the bytes go to a
//!   temporary file `.NAME.PID.tmp` in the same folder, which is synced and then renamed over the
//!   target. A failure at any point removes the temporary file, so an existing report is only
//!   ever replaced by a complete new one, never truncated. The replaced file's permissions carry
//!   over; a new file gets the default ones (the umask's).
//! - A symbolic link is followed to its final target, and these rules apply to that target: the
//!   link itself stays a link.
//! - A character device (`/dev/null`, a terminal) or a FIFO is written through, never replaced.
//! - A folder, a block device or a socket is refused.
//! - An interrupt (SIGINT, SIGTERM, SIGHUP) during the write removes the temporary file before
//!   the process ends as the signal asks.
//!
//! Input files are never written over: [`refuse_inputs`] compares the target with each of them.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::input::file_kind;

/// Whether `path` is `-`, the name for standard output.
#[must_use]
pub fn is_standard_output(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Refuses an output path that is one of the input files, or names the same file through a
/// link: writing the report would destroy what it was computed from. Inputs that are folders
/// stand for the `.toml` files in them.
///
/// # Errors
/// [`Error::OutputIsInput`].
pub fn refuse_inputs(output: &Path, inputs: &[&Path]) -> Result<(), Error> {
    if is_standard_output(output) {
        return Ok(());
    }
    // A target that does not exist yet cannot be an input.
    let Ok(target) = fs::metadata(output) else {
        return Ok(());
    };
    for input in inputs {
        let mut files = vec![input.to_path_buf()];
        if input.is_dir()
            && let Ok(entries) = fs::read_dir(input)
        {
            files.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "toml")),
            );
        }
        for file in files {
            if fs::metadata(&file).is_ok_and(|m| same_file(&target, &m, output, &file)) {
                return Err(Error::OutputIsInput {
                    path: output.to_owned(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata, _: &Path, _: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata, a: &Path, b: &Path) -> bool {
    matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
}

/// Writes `bytes` to the file `path` names, by the rules of this module.
///
/// # Errors
/// [`Error::WriteFile`] naming the path (the target is then as it was), [`Error::WriteThrough`]
/// for a device or FIFO, [`Error::OutputIsFolder`] or [`Error::OutputNotAFile`].
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_with(path, |file| file.write_all(bytes))
}

/// Writes each of `files` (a path and its bytes) by the rules of this module, all or nothing:
/// every file is first written in full to its temporary file (devices and FIFOs, which have no
/// old content to keep, are written through then), and only when all were written are the
/// temporary files renamed over their targets, in order. A failure before the renames leaves
/// every target as it was; a failed rename (a folder changed meanwhile) leaves the files
/// renamed before it in place.
///
/// # Errors
/// As [`write_file`], for the first file that failed, with how many files had been renamed
/// into place before it (zero unless a rename failed).
pub fn write_files(files: &[(PathBuf, Vec<u8>)]) -> Result<(), (Error, usize)> {
    let failed = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::WriteFile { path, source }
    };
    let mut staged = Vec::with_capacity(files.len());
    let mut through = Vec::new();
    for (path, bytes) in files {
        match resolve(path).map_err(|error| (error, 0))? {
            Target::Replace { path: target, old } => staged.push((
                path,
                stage(&target, old.as_ref(), |file| file.write_all(bytes))
                    .map_err(|source| (failed(path)(source), 0))?,
            )),
            Target::WriteThrough(target) => through.push((path, target, bytes)),
        }
    }
    for (path, target, bytes) in through {
        let result = OpenOptions::new()
            .write(true)
            .open(target)
            .and_then(|mut file| file.write_all(bytes).and_then(|()| file.flush()));
        match result {
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {}
            result => result.map_err(|source| {
                (
                    Error::WriteThrough {
                        path: path.clone(),
                        source,
                    },
                    0,
                )
            })?,
        }
    }
    for (renamed, (path, file)) in staged.into_iter().enumerate() {
        file.commit()
            .map_err(|source| (failed(path)(source), renamed))?;
    }
    Ok(())
}

/// The size of the buffer a streamed report is written through.
pub const BUFFER_BYTES: usize = 64 * 1024;

/// Writes to the file `path` names by the rules of this module, with the bytes streamed by
/// `write` through a buffer: a report need not be held whole to replace a file atomically. An
/// error from `write`, halfway or not, leaves the target as it was.
///
/// # Errors
/// As [`write_file`], with `write`'s error in place of the file's.
pub fn write_to(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    write_with(path, |file| {
        let mut buffered = io::BufWriter::with_capacity(BUFFER_BYTES, file);
        write(&mut buffered)?;
        buffered.flush()
    })
}

/// The same, with the writing done by `write`, so that tests can make it fail halfway.
fn write_with(path: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> Result<(), Error> {
    match resolve(path)? {
        Target::Replace { path: target, old } => {
            replace(&target, old.as_ref(), write).map_err(|source| Error::WriteFile {
                path: path.to_owned(),
                source,
            })
        }
        Target::WriteThrough(target) => {
            let result = OpenOptions::new()
                .write(true)
                .open(&target)
                .and_then(|mut file| write(&mut file).and_then(|()| file.flush()));
            match result {
                // A FIFO whose reader went away is a pipe closed early, as with `| head`.
                Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                result => result.map_err(|source| Error::WriteThrough {
                    path: path.to_owned(),
                    source,
                }),
            }
        }
    }
}

/// Where the bytes go once links are followed.
#[derive(Debug)]
enum Target {
    /// A regular file (`old` is its metadata) or a name that does not exist yet (`old` is
    /// `None`): written to a temporary file renamed over it.
    Replace {
        path: PathBuf,
        old: Option<fs::Metadata>,
    },
    /// A character device or FIFO: opened and written, never replaced.
    WriteThrough(PathBuf),
}

/// Linux gives up after 40 links; so does this.
const MAX_LINKS: usize = 40;

/// Follows `path` through any symbolic links to what it finally names, and decides how to
/// write there.
fn resolve(path: &Path) -> Result<Target, Error> {
    let fail = |source: io::Error| Error::WriteFile {
        path: path.to_owned(),
        source,
    };
    let mut current = path.to_owned();
    for _ in 0..=MAX_LINKS {
        let metadata = match fs::symlink_metadata(&current) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok(Target::Replace {
                    path: current,
                    old: None,
                });
            }
            Err(error) => return Err(fail(error)),
            Ok(metadata) => metadata,
        };
        let kind = metadata.file_type();
        if kind.is_symlink() {
            // A relative link is relative to the folder that holds it.
            let link = fs::read_link(&current).map_err(fail)?;
            current = match current.parent() {
                Some(folder) => folder.join(link),
                None => link,
            };
        } else if kind.is_file() {
            return Ok(Target::Replace {
                path: current,
                old: Some(metadata),
            });
        } else if kind.is_dir() {
            return Err(Error::OutputIsFolder {
                path: path.to_owned(),
            });
        } else if is_write_through(kind) {
            return Ok(Target::WriteThrough(current));
        } else {
            return Err(Error::OutputNotAFile {
                path: path.to_owned(),
                kind: file_kind(kind),
            });
        }
    }
    Err(fail(io::Error::other("too many levels of symbolic links")))
}

#[cfg(unix)]
fn is_write_through(kind: fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_char_device() || kind.is_fifo()
}

#[cfg(not(unix))]
fn is_write_through(_: fs::FileType) -> bool {
    false
}

/// Writes a temporary file beside `target` and renames it over `target` once complete.
fn replace(
    target: &Path,
    old: Option<&fs::Metadata>,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    stage(target, old, write)?.commit()
}

/// A complete temporary file beside its target: renamed over the target by [`Staged::commit`],
/// removed if dropped before, or if the rename fails.
struct Staged {
    temporary: PathBuf,
    target: PathBuf,
    pending: Option<interrupt::Pending>,
}

impl Staged {
    fn commit(mut self) -> io::Result<()> {
        match self.pending.take() {
            Some(pending) => pending.rename_to(&self.target),
            None => Ok(()),
        }
        .inspect_err(|_| {
            // Nothing useful can be done if the cleanup fails too; the error reported is the
            // first.
            let _ = fs::remove_file(&self.temporary);
        })
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.pending.is_some() {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

/// Writes a temporary file beside `target` in full, synced, ready to be renamed over it.
fn stage(
    target: &Path,
    old: Option<&fs::Metadata>,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<Staged> {
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let temporary = folder.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    // Known to the interrupt handler before it exists, so that no moment is left uncovered.
    let pending = interrupt::Pending::new(&temporary);
    let result = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut file| {
            // The old file's permissions apply before any byte is written, so a private report
            // is never readable by others, even half-written.
            if let Some(old) = old {
                keep_owner_and_permissions(&file, old)?;
            }
            write(&mut file)?;
            file.sync_all()
        });
    if let Err(error) = result {
        // Nothing useful can be done if the cleanup fails too; the error reported is the first.
        let _ = fs::remove_file(&temporary);
        return Err(error);
    }
    Ok(Staged {
        temporary,
        target: target.to_owned(),
        pending: Some(pending),
    })
}

/// Gives the new file the old one's permissions, and its owner and group where allowed (a user
/// can keep a group they belong to; only root can keep another user as owner).
fn keep_owner_and_permissions(file: &File, old: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let new = file.metadata()?;
        if new.uid() != old.uid() || new.gid() != old.gid() {
            let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()))
                .or_else(|_| std::os::unix::fs::fchown(file, None, Some(old.gid())));
        }
    }
    file.set_permissions(old.permissions())
}

/// Removal of temporary files when a signal ends the process.
mod interrupt {
    use std::fs;
    use std::io;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, MutexGuard, Once, PoisonError};

    /// Temporary files that exist (or are about to) and are not yet renamed.
    pub(super) static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static HANDLER: Once = Once::new();

    fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
        PENDING.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A temporary file the handler removes on a signal, until it is renamed or dropped.
    pub(super) struct Pending(PathBuf);

    impl Pending {
        pub(super) fn new(path: &Path) -> Self {
            HANDLER.call_once(install);
            pending().push(path.to_owned());
            Self(path.to_owned())
        }

        /// Renames the file while the handler is held off, so that a signal sees either the
        /// temporary file or the complete target, never a removed temporary file mid-rename.
        pub(super) fn rename_to(self, target: &Path) -> io::Result<()> {
            let mut pending = pending();
            let result = fs::rename(&self.0, target);
            pending.retain(|p| *p != self.0);
            result
        }
    }

    impl Drop for Pending {
        fn drop(&mut self) {
            pending().retain(|p| *p != self.0);
        }
    }

    /// A thread waits for the signals that end a process, removes the pending files, then ends
    /// the process as the signal would have. Without a handler (on another platform, or if
    /// it cannot be installed) the write is still atomic; only the cleanup is lost.
    #[cfg(unix)]
    fn install() {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        use signal_hook::iterator::Signals;
        let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("interrupt".to_owned())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until the end, so that no new temporary file starts meanwhile.
                    let pending = pending();
                    for path in pending.iter() {
                        let _ = fs::remove_file(path);
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    // Not reached: the default action of these signals ends the process.
                    std::process::exit(128 + signal);
                }
            });
    }

    #[cfg(not(unix))]
    fn install() {}
}

/// A standard output that was closed when the program started (`costcalc ... >&-`).
///
/// The Rust runtime reopens a closed standard output on `/dev/null` before `main`, so that
/// nothing else lands on its descriptor; writes then vanish without an error. That `/dev/null`
/// is opened for reading and writing, while a shell's `>/dev/null` opens it for writing only,
/// which tells the two apart on Linux. Elsewhere this cannot be seen, and it answers `false`.
#[must_use]
pub fn standard_output_closed() -> bool {
    #[cfg(target_os = "linux")]
    {
        const O_ACCMODE: u32 = 0o3;
        const O_RDWR: u32 = 0o2;
        let is_null = fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == Path::new("/dev/null"));
        let flags = fs::read_to_string("/proc/self/fdinfo/1")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find_map(|l| l.strip_prefix("flags:"))
                    .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
            });
        is_null && flags.is_some_and(|f| f & O_ACCMODE == O_RDWR)
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// What standard output becomes when it was closed: every write fails, so the report is not
/// silently lost.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClosedOutput;

/// The error every write to [`ClosedOutput`] fails with, told apart from other write errors so
/// that it can carry a hint.
#[derive(Debug, Clone, Copy)]
pub struct StandardOutputClosed;

impl std::fmt::Display for StandardOutputClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output is closed")
    }
}

impl std::error::Error for StandardOutputClosed {}

impl StandardOutputClosed {
    /// Whether `error` is this one.
    #[must_use]
    pub fn is(error: &io::Error) -> bool {
        error
            .get_ref()
            .and_then(|e| e.downcast_ref::<Self>())
            .is_some()
    }
}

impl Write for ClosedOutput {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::other(StandardOutputClosed))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
