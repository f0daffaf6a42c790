//! Files written whole or not at all.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes the file at `path` whole or not at all: `write` fills a temporary
/// file in the same folder, which is flushed, synced and then renamed over
/// `path`. A failure in `write`, a full disk or a kill on the way leaves
/// whatever was at `path` before untouched, and the temporary file is
/// removed (a kill can leave one behind, named `.cx-*.tmp`).
///
/// - A `path` that is a symbolic link has its link kept: the file it points
///   to is replaced.
/// - A `path` that is not a regular file (`/dev/null`, a named pipe, a
///   terminal) is written directly, as renaming over it would replace the
///   device or pipe itself.
/// - The new file keeps the permissions of the file it replaces; a new one
///   gets `rw-r--r--`.
///
/// # Errors
///
/// The first I/O error, from `write`, the temporary file, or the rename.
///
/// # Example
///
/// ```
/// use std::io::Write;
///
/// let folder = std::env::temp_dir().join(format!("cx-atomic-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&folder)?;
/// let path = folder.join("card.json");
/// std::fs::write(&path, "good")?;
/// // A writer that fails halfway leaves the good file as it was.
/// let failed = cx_io::write_file(&path, |out| {
///     out.write_all(b"half")?;
///     Err::<(), _>(std::io::Error::other("interrupted"))
/// });
/// assert!(failed.is_err());
/// assert_eq!(std::fs::read_to_string(&path)?, "good");
/// cx_io::write_file(&path, |out| out.write_all(b"better"))?;
/// assert_eq!(std::fs::read_to_string(&path)?, "better");
/// assert_eq!(std::fs::read_dir(&folder)?.count(), 1);
/// # std::fs::remove_dir_all(&folder)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_file<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> io::Result<T> {
    let target = resolved(path);
    let existing = fs::metadata(&target).ok();
    if existing
        .as_ref()
        .is_some_and(|metadata| !metadata.is_file())
    {
        let mut out = BufWriter::new(fs::OpenOptions::new().write(true).open(&target)?);
        let value = write(&mut out)?;
        out.flush()?;
        return Ok(value);
    }
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".cx-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    let value = {
        let mut out = BufWriter::new(temporary.as_file_mut());
        let value = write(&mut out)?;
        out.flush()?;
        value
    };
    match existing {
        Some(metadata) => temporary
            .as_file()
            .set_permissions(metadata.permissions())?,
        None => new_file_permissions(temporary.as_file())?,
    }
    temporary.as_file().sync_all()?;
    temporary.persist(&target).map_err(|error| error.error)?;
    Ok(value)
}

/// `path`, or the file its chain of symbolic links ends at (which may not
/// exist yet).
fn resolved(path: &Path) -> PathBuf {
    let mut target = path.to_path_buf();
    // A bounded walk: a loop of links ends as the path itself, whose
    // rename then fails or replaces the link, never spins.
    for _ in 0..40 {
        match fs::read_link(&target) {
            Ok(next) => {
                target = match target.parent() {
                    Some(parent) if next.is_relative() => parent.join(next),
                    _ => next,
                };
            }
            Err(_) => return target,
        }
    }
    path.to_path_buf()
}

/// What a new file gets: `rw-r--r--`, as most tools create files (a
/// temporary file starts private, `rw-------`).
#[cfg(unix)]
fn new_file_permissions(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

/// Elsewhere a temporary file's permissions are a new file's.
#[cfg(not(unix))]
fn new_file_permissions(_: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn folder(name: &str) -> PathBuf {
        let folder = std::env::temp_dir().join(format!("cx-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        fs::create_dir_all(&folder).unwrap();
        folder
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_nothing_behind() {
        let folder = folder("fail");
        let path = folder.join("out.csv");
        fs::write(&path, "old").unwrap();
        let error = write_file(&path, |out| {
            out.write_all(&[b'x'; 100_000])?;
            Err::<(), _>(io::Error::from(io::ErrorKind::StorageFull))
        })
        .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::StorageFull);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(&folder).unwrap().count(), 1);
        fs::remove_dir_all(&folder).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_and_permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let folder = folder("link");
        let real = folder.join("real.json");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = folder.join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_file(&link, |out| out.write_all(b"new")).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        let mode = fs::metadata(&real).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        let fresh = folder.join("fresh.md");
        write_file(&fresh, |out| out.write_all(b"# new")).unwrap();
        let mode = fs::metadata(&fresh).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
        fs::remove_dir_all(&folder).unwrap();
    }

    /// `/dev/null` is written, not replaced.
    #[cfg(unix)]
    #[test]
    fn devices_are_written_in_place() {
        write_file(Path::new("/dev/null"), |out| out.write_all(b"gone")).unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
    }
}
