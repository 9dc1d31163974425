//! A full disk: an import that does not fit, and a backup into a full folder, end with a
//! sentence saying the disk is full; the data is as it was and passes `check`. The small
//! disks are tmpfs mounts (root only: CI runs as root; elsewhere the test says it skipped).

use std::path::{Path, PathBuf};
use std::process::Command;

use vardesk_core::settings::SettingsForm;
use vardesk_store::backup::{back_up, BackupKind};
use vardesk_store::Store;

/// A tmpfs of `kb` KiB, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(kb: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kb}k"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI runs these tests as root so they can mount a small tmpfs"
            );
            eprintln!("skipped: mounting a tmpfs needs root");
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk until about `free_kb` KiB are left.
    fn fill_leaving(&self, free_kb: u64) -> PathBuf {
        let filler = self.path().join("filler");
        let stat = Command::new("df")
            .args(["--output=avail", "-k"])
            .arg(self.path())
            .output()
            .unwrap();
        let avail: u64 = String::from_utf8_lossy(&stat.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        std::fs::write(
            &filler,
            vec![0u8; (avail.saturating_sub(free_kb) * 1024) as usize],
        )
        .unwrap();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// A store at `db` with a profile and the sample data (a year of billing).
fn sample_store_at(db: &Path) -> Store {
    let mut store = Store::open_or_create(db).unwrap();
    store
        .save_settings(&SettingsForm {
            company_name: "Contoso".into(),
            ..vardesk_store::sample::sample_company()
        })
        .unwrap();
    store
        .load_sample_data("2026-11-23".parse().unwrap())
        .unwrap();
    store
}

fn customers(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn an_import_that_does_not_fit_changes_nothing_and_says_why() {
    let Some(disk) = SmallDisk::mount(32 * 1024) else {
        return;
    };
    let db = disk.path().join("vardesk.sqlite3");
    let mut store = sample_store_at(&db);
    let before = customers(&store);
    // An empty journal, so the import needs new room on the disk.
    store
        .conn()
        .pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    let filler = disk.fill_leaving(64);

    let mut csv = String::from("name;city;notes\n");
    for i in 0..4000 {
        csv.push_str(&format!(
            "Big Import {i} GmbH;Köln;{}\n",
            "a note that takes room ".repeat(8)
        ));
    }
    let Err(e) = store.import_customers(csv.as_bytes()) else {
        panic!("the import of 1 MB fitted into 64 KB");
    };
    assert!(e.message.contains("disk is full"), "{}", e.message);
    assert_eq!(customers(&store), before, "all or nothing");
    assert!(store.check().unwrap().ok);

    // With room again, the same import goes through.
    std::fs::remove_file(filler).unwrap();
    store.import_customers(csv.as_bytes()).unwrap();
    assert_eq!(customers(&store), before + 4000);
}

#[test]
fn a_backup_into_a_full_folder_says_so_and_leaves_nothing_half_written() {
    let Some(disk) = SmallDisk::mount(256) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vardesk.sqlite3");
    let store = sample_store_at(&db);
    let e = back_up(&db, disk.path(), BackupKind::Manual, 5).unwrap_err();
    assert!(e.message.contains("disk is full"), "{}", e.message);
    let left: Vec<_> = std::fs::read_dir(disk.path()).unwrap().collect();
    assert!(left.is_empty(), "nothing half-written stays: {left:?}");
    assert!(store.check().unwrap().ok);
}

/// A data file that cannot be written (here: its disk mounted read-only, which binds root
/// too): opening it or writing to it ends in a sentence, and the data is as it was.
#[test]
fn a_read_only_data_file_refuses_writes_with_a_sentence() {
    let Some(disk) = SmallDisk::mount(32 * 1024) else {
        return;
    };
    let db = disk.path().join("vardesk.sqlite3");
    let before = {
        let store = sample_store_at(&db);
        store
            .conn()
            .pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
        customers(&store)
    };
    let remounted = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(disk.path())
        .status()
        .unwrap();
    assert!(remounted.success());
    match Store::open(&db) {
        Err(e) => assert!(
            e.message.contains("cannot write to") && e.message.contains("read-only"),
            "{}",
            e.message
        ),
        Ok(mut store) => {
            assert_eq!(customers(&store), before, "the data reads as it was");
            let e = store
                .import_customers(b"name\nNew Customer GmbH\n")
                .unwrap_err();
            assert!(e.message.contains("read-only"), "{}", e.message);
        }
    }
}
