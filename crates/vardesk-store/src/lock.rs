//! One writer at a time per data file: the app holds an exclusive lock on `<db>.lock` for as
//! long as it runs (so a second window on the same data is refused), and the CLI takes the
//! same lock for commands that write. The operating system releases it when the process
//! ends, however it ends.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use vardesk_core::{CoreError, ErrorCode};

use crate::Result;

/// Held while it lives.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
    pub path: PathBuf,
}

fn lock_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

/// Takes the lock for `db`, or says who holds it. `holder` names what is asking ("the app",
/// "this command") in the sentence.
pub fn lock_data(db: &Path) -> Result<DataLock> {
    let path = lock_path(db);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| {
            CoreError::new(
                ErrorCode::Internal,
                format!("The lock file {} cannot be opened: {e}.", path.display()),
            )
        })?;
    match file.try_lock() {
        Ok(()) => Ok(DataLock { _file: file, path }),
        Err(TryLockError::WouldBlock) => Err(CoreError::new(
            ErrorCode::AlreadyOpen,
            format!(
                "VarDesk is already working with {} (the app is open, or another command is \
                 running). Close the app or wait, then try again.",
                db.display()
            ),
        )),
        Err(TryLockError::Error(e)) => Err(CoreError::new(
            ErrorCode::Internal,
            format!("The lock file {} cannot be locked: {e}.", path.display()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("v.sqlite3");
        let first = lock_data(&db).unwrap();
        let e = lock_data(&db).unwrap_err();
        assert_eq!(e.code, ErrorCode::AlreadyOpen);
        assert!(e.message.contains("already working with"), "{}", e.message);
        drop(first);
        assert!(lock_data(&db).is_ok());
    }
}
