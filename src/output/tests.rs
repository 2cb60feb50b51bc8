use super::*;

use std::os::unix::fs::{PermissionsExt, symlink};

/// A fresh folder under the system's temporary folder, removed by the test that made it.
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

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_complete_write_replaces_the_file() {
    let folder = scratch("complete");
    let target = folder.join("report.csv");
    fs::write(&target, "old report\n").unwrap();
    write_file(&target, b"new report\n").unwrap();
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
    assert!(interrupt_pending_is_empty(), "the handler forgets the file");
    fs::remove_dir_all(folder).unwrap();
}

fn interrupt_pending_is_empty() -> bool {
    interrupt::PENDING.lock().unwrap().iter().all(|p| {
        !p.starts_with(
            std::env::temp_dir().join(format!("costcalc-output-{}-failed", std::process::id())),
        )
    })
}

#[test]
fn a_missing_folder_is_an_error_and_creates_nothing() {
    let folder = scratch("missing");
    let error = write_file(&folder.join("no/such/report.csv"), b"x").unwrap_err();
    assert!(matches!(error, Error::WriteFile { .. }));
    assert!(entries(&folder).is_empty());
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_replaced_file_keeps_its_permissions() {
    let folder = scratch("permissions");
    let private = folder.join("private.csv");
    fs::write(&private, "old\n").unwrap();
    fs::set_permissions(&private, fs::Permissions::from_mode(0o600)).unwrap();
    write_file(&private, b"new\n").unwrap();
    assert_eq!(fs::read_to_string(&private).unwrap(), "new\n");
    assert_eq!(mode(&private), 0o600);

    let shared = folder.join("shared.csv");
    fs::write(&shared, "old\n").unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o664)).unwrap();
    write_file(&shared, b"new\n").unwrap();
    assert_eq!(mode(&shared), 0o664);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_new_file_gets_the_default_permissions() {
    let folder = scratch("new-file");
    // What the umask makes of a file created by another program in the same folder.
    let reference = folder.join("reference");
    File::create(&reference).unwrap();
    let report = folder.join("report.csv");
    write_file(&report, b"new\n").unwrap();
    assert_eq!(mode(&report), mode(&reference));
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_symbolic_link_is_followed_and_stays_a_link() {
    let folder = scratch("symlink");
    fs::create_dir(folder.join("reports")).unwrap();
    let real = folder.join("reports/real.csv");
    fs::write(&real, "old\n").unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
    // A relative link, through a second link, to the real file.
    let first = folder.join("latest.csv");
    let second = folder.join("reports/current.csv");
    symlink("real.csv", &second).unwrap();
    symlink("reports/current.csv", &first).unwrap();
    write_file(&first, b"new\n").unwrap();
    assert!(
        fs::symlink_metadata(&first)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::symlink_metadata(&second)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
    assert_eq!(mode(&real), 0o640);
    assert_eq!(
        entries(&folder.join("reports")),
        ["current.csv", "real.csv"]
    );

    // A link to nothing yet creates its target, as a shell's `>` would.
    let dangling = folder.join("dangling.csv");
    symlink("reports/future.csv", &dangling).unwrap();
    write_file(&dangling, b"first\n").unwrap();
    assert!(
        fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(folder.join("reports/future.csv")).unwrap(),
        "first\n"
    );

    // A loop of links is an error, not a hang.
    symlink("loop-b", folder.join("loop-a")).unwrap();
    symlink("loop-a", folder.join("loop-b")).unwrap();
    let error = write_file(&folder.join("loop-a"), b"x").unwrap_err();
    assert!(error.to_string().contains("too many levels"), "{error}");
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn dev_null_is_written_through_and_stays_a_device() {
    use std::os::unix::fs::FileTypeExt;
    write_file(Path::new("/dev/null"), b"a report nobody keeps\n").unwrap();
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // Through a link too.
    let folder = scratch("dev-null");
    let link = folder.join("discard.csv");
    symlink("/dev/null", &link).unwrap();
    write_file(&link, b"x\n").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert_eq!(entries(&folder), ["discard.csv"]);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_fifo_is_written_through() {
    use std::io::Read as _;
    use std::os::unix::fs::FileTypeExt;
    let folder = scratch("fifo");
    let fifo = folder.join("pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            File::open(fifo).unwrap().read_to_string(&mut text).unwrap();
            text
        })
    };
    write_file(&fifo, b"through the pipe\n").unwrap();
    assert_eq!(reader.join().unwrap(), "through the pipe\n");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(entries(&folder), ["pipe"]);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_folder_is_refused() {
    let folder = scratch("folder");
    let error = write_file(&folder, b"x").unwrap_err();
    assert!(matches!(error, Error::OutputIsFolder { .. }), "{error}");
    assert!(entries(&folder).is_empty());
    // Through a link too, and the link stays.
    let link = folder.join("link");
    symlink(&folder, &link).unwrap();
    let error = write_file(&link, b"x").unwrap_err();
    assert!(matches!(error, Error::OutputIsFolder { .. }), "{error}");
    assert_eq!(entries(&folder), ["link"]);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_socket_is_refused() {
    let folder = scratch("socket");
    let socket = folder.join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let error = write_file(&socket, b"x").unwrap_err();
    assert!(
        matches!(
            error,
            Error::OutputNotAFile {
                kind: "a socket",
                ..
            }
        ),
        "{error}"
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn an_input_is_never_an_output() {
    let folder = scratch("input");
    let scenario = folder.join("in.toml");
    fs::write(&scenario, "[scenario]\n").unwrap();
    let other = folder.join("other.toml");
    fs::write(&other, "").unwrap();
    let refused = |output: &Path, inputs: &[&Path]| {
        matches!(
            refuse_inputs(output, inputs),
            Err(Error::OutputIsInput { .. })
        )
    };
    assert!(refused(&scenario, &[&other, &scenario]));
    // The same file under another name: `./`, a link, a hard link.
    assert!(refused(&folder.join(".").join("in.toml"), &[&scenario]));
    symlink(&scenario, folder.join("link.toml")).unwrap();
    assert!(refused(&folder.join("link.toml"), &[&scenario]));
    fs::hard_link(&scenario, folder.join("hard.toml")).unwrap();
    assert!(refused(&folder.join("hard.toml"), &[&scenario]));
    // A `.toml` file in a folder given as input; other files there are not read.
    assert!(refused(&other, &[&folder]));
    let notes = folder.join("notes.txt");
    fs::write(&notes, "").unwrap();
    assert!(!refused(&notes, &[&folder]));
    // Not the same file, a new file, standard output.
    assert!(!refused(&other, &[&scenario]));
    assert!(!refused(&folder.join("new.csv"), &[&scenario]));
    assert!(!refused(Path::new("-"), &[Path::new("-")]));
    assert_eq!(fs::read_to_string(&scenario).unwrap(), "[scenario]\n");
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_closed_standard_output_refuses_every_write() {
    let mut out = ClosedOutput;
    let error = out.write_all(b"report").unwrap_err();
    assert_eq!(error.to_string(), "standard output is closed");
    // Nothing to write still succeeds: an empty report is not lost.
    out.write_all(b"").unwrap();
}

#[test]
fn dash_is_standard_output() {
    assert!(is_standard_output(Path::new("-")));
    assert!(!is_standard_output(Path::new("./-")));
    assert!(!is_standard_output(Path::new("-.csv")));
}

#[test]
fn a_stream_that_fails_halfway_leaves_the_existing_file_untouched() {
    let folder = scratch("stream-failed");
    let target = folder.join("report.json");
    fs::write(&target, "old report\n").unwrap();
    // More than the buffer holds reaches the temporary file before the error.
    let error = write_to(&target, |out| {
        out.write_all(&vec![b'x'; 3 * BUFFER_BYTES])?;
        Err(io::Error::new(
            io::ErrorKind::StorageFull,
            "no space left on device",
        ))
    })
    .unwrap_err();
    assert!(matches!(error, Error::WriteFile { .. }), "{error}");
    assert_eq!(fs::read_to_string(&target).unwrap(), "old report\n");
    assert_eq!(
        entries(&folder),
        ["report.json"],
        "no temporary file is left behind"
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_complete_stream_replaces_the_file_with_every_byte() {
    let folder = scratch("stream-complete");
    let target = folder.join("report.json");
    fs::write(&target, "old report\n").unwrap();
    let bytes: Vec<u8> = (0..3 * BUFFER_BYTES)
        .map(|i| b"0123456789"[i % 10])
        .collect();
    write_to(&target, |out| {
        for chunk in bytes.chunks(1000) {
            out.write_all(chunk)?;
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(fs::read(&target).unwrap(), bytes);
    assert_eq!(entries(&folder), ["report.json"]);
    fs::remove_dir_all(folder).unwrap();
}
