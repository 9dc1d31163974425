//! Where the data file lives. SQLite's locking is not reliable over network file systems,
//! so a database on a network share is refused; a sync client (OneDrive, Dropbox, iCloud
//! Drive, Google Drive) may copy an open database file half-written, so a database inside a
//! synced folder gets a warning that says what to do instead.

use std::path::Path;

use vardesk_core::{CoreError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Local,
    /// Inside a folder a sync client mirrors; the service's name.
    CloudSync(&'static str),
    /// On a network file system; its kind (`nfs4`, `cifs`, `UNC path`…).
    Network(String),
}

const CLOUD_FOLDERS: [(&str, &str); 7] = [
    ("onedrive", "OneDrive"),
    ("dropbox", "Dropbox"),
    ("icloud drive", "iCloud Drive"),
    ("mobile documents", "iCloud Drive"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("box sync", "Box"),
];

const NETWORK_FILE_SYSTEMS: [&str; 11] = [
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "afpfs",
    "webdav",
    "davfs",
    "fuse.sshfs",
    "afs",
    "ncpfs",
];

/// Classifies `path` given the mounted file systems as (mount point, type) pairs.
pub fn classify_with(path: &str, mounts: &[(String, String)]) -> Location {
    let unc = path.starts_with(r"\\") && !path.starts_with(r"\\?\") && !path.starts_with(r"\\.\");
    if unc || path.to_ascii_uppercase().starts_with(r"\\?\UNC\") {
        return Location::Network("UNC path".into());
    }
    // The longest mount point that contains the path decides its file system.
    let fs = mounts
        .iter()
        .filter(|(point, _)| {
            let point = point.trim_end_matches('/');
            point.is_empty()
                || path == point
                || path.starts_with(&format!("{point}/"))
                || path.starts_with(&format!("{point}\\"))
        })
        .max_by_key(|(point, _)| point.len());
    if let Some((_, kind)) = fs {
        if NETWORK_FILE_SYSTEMS.contains(&kind.as_str()) {
            return Location::Network(kind.clone());
        }
    }
    for component in path.split(['/', '\\']) {
        let lower = component.to_lowercase();
        for (needle, service) in CLOUD_FOLDERS {
            if lower == needle
                || lower.starts_with(&format!("{needle} "))
                || lower.starts_with(&format!("{needle}-"))
            {
                return Location::CloudSync(service);
            }
        }
    }
    Location::Local
}

/// The mounted file systems, from the operating system (empty where it cannot tell).
fn mounts() -> Vec<(String, String)> {
    if cfg!(target_os = "linux") {
        // /proc/mounts: "device mountpoint type options 0 0", spaces in paths as \040.
        std::fs::read_to_string("/proc/mounts")
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                let (_, point, kind) = (parts.next()?, parts.next()?, parts.next()?);
                Some((point.replace("\\040", " "), kind.to_string()))
            })
            .collect()
    } else if cfg!(target_os = "macos") {
        // `mount`: "//user@server/share on /Volumes/share (smbfs, nodev, nosuid)".
        std::process::Command::new("/sbin/mount")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let (_, rest) = l.split_once(" on ")?;
                let (point, opts) = rest.rsplit_once(" (")?;
                let kind = opts.split([',', ')']).next()?.trim();
                Some((point.to_string(), kind.to_string()))
            })
            .collect()
    } else {
        Vec::new()
    }
}

pub fn classify(path: &Path) -> Location {
    // The folder that will hold the file decides (the file may not exist yet).
    let shown = path
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.join(path.file_name().unwrap_or_default()))
        .unwrap_or_else(|| path.to_path_buf());
    if on_mapped_network_drive(&shown) {
        return Location::Network("mapped network drive".into());
    }
    classify_with(&shown.display().to_string(), &mounts())
}

/// Whether `path` sits on a drive letter Windows maps to a network share (`N:\…`).
#[cfg(windows)]
fn on_mapped_network_drive(path: &Path) -> bool {
    use std::os::windows::ffi::OsStrExt;
    use std::path::{Component, Prefix};
    use windows_sys::Win32::Storage::FileSystem::GetDriveTypeW;
    const DRIVE_REMOTE: u32 = 4;
    let letter = match path.components().next() {
        Some(Component::Prefix(p)) => match p.kind() {
            Prefix::Disk(d) | Prefix::VerbatimDisk(d) => d,
            _ => return false,
        },
        _ => return false,
    };
    let root: Vec<u16> = std::ffi::OsStr::new(&format!("{}:\\", char::from(letter)))
        .encode_wide()
        .chain([0])
        .collect();
    #[allow(unsafe_code)]
    // SAFETY: `root` is a NUL-terminated UTF-16 string that lives until the call returns.
    let kind = unsafe { GetDriveTypeW(root.as_ptr()) };
    kind == DRIVE_REMOTE
}

#[cfg(not(windows))]
fn on_mapped_network_drive(_: &Path) -> bool {
    false
}

/// Refuses a database on a network share; returns the warning for a synced folder.
pub fn check_data_location(path: &Path) -> Result<Option<String>, CoreError> {
    match classify(path) {
        Location::Local => Ok(None),
        Location::Network(kind) => Err(CoreError::new(
            ErrorCode::Validation,
            format!(
                "{} is on a network share ({kind}). SQLite cannot lock files there reliably, so \
                 VarDesk would risk damaging your data. Keep the data on this computer (set \
                 VARDESK_DATA_DIR to a local folder) and put backups on the share instead.",
                path.display()
            ),
        )),
        Location::CloudSync(service) => Ok(Some(format!(
            "Your data file is inside a {service} folder ({}). A sync client can copy it while \
             VarDesk writes and damage it. Keep the data in a local folder and let {service} \
             sync the backup folder instead (Settings → Backups).",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn network_shares_cloud_folders_and_local_disks() {
        let mounts = m(&[
            ("/", "ext4"),
            ("/mnt/nas", "nfs4"),
            ("/mnt/nasty", "ext4"),
            ("/media/smb share", "cifs"),
        ]);
        let c = |p: &str| classify_with(p, &mounts);
        assert_eq!(
            c("/home/anna/.local/share/com.vardesk.desktop/vardesk.sqlite3"),
            Location::Local
        );
        assert_eq!(
            c("/mnt/nas/vardesk/vardesk.sqlite3"),
            Location::Network("nfs4".into())
        );
        assert_eq!(
            c("/mnt/nasty/vardesk.sqlite3"),
            Location::Local,
            "a longer name is not inside /mnt/nas"
        );
        assert_eq!(
            c("/media/smb share/v.sqlite3"),
            Location::Network("cifs".into())
        );
        assert_eq!(
            c(r"\\fileserver\partners\vardesk.sqlite3"),
            Location::Network("UNC path".into())
        );
        assert_eq!(
            c(r"\\?\UNC\fileserver\share\v.sqlite3"),
            Location::Network("UNC path".into())
        );
        assert_eq!(
            c(r"\\?\C:\Users\anna\AppData\Roaming\v.sqlite3"),
            Location::Local
        );
        assert_eq!(
            c(r"C:\Users\anna\OneDrive - Contoso\VarDesk\v.sqlite3"),
            Location::CloudSync("OneDrive")
        );
        assert_eq!(
            c("/Users/anna/Library/Mobile Documents/com~apple~CloudDocs/v.sqlite3"),
            Location::CloudSync("iCloud Drive")
        );
        assert_eq!(
            c("/home/anna/Dropbox/v.sqlite3"),
            Location::CloudSync("Dropbox")
        );
        assert_eq!(
            c("/Users/anna/Google Drive/My Drive/v.sqlite3"),
            Location::CloudSync("Google Drive")
        );
        assert_eq!(c("/home/anna/dropboxes-old/v.sqlite3"), Location::Local);
    }

    #[test]
    fn the_sentences_say_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let synced = dir.path().join("Dropbox").join("v.sqlite3");
        std::fs::create_dir_all(synced.parent().unwrap()).unwrap();
        let warning = check_data_location(&synced).unwrap().unwrap();
        assert!(
            warning.contains("Dropbox folder") && warning.contains("backup folder"),
            "{warning}"
        );
        assert_eq!(
            check_data_location(&dir.path().join("v.sqlite3")).unwrap(),
            None
        );
    }
}
