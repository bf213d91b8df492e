//! The message files of a maildir folder: the regular files in `cur/` and `new/`. `tmp/` holds
//! messages still being delivered, and dot-files are a mail program's own, so neither is read.

use std::fs;
use std::path::{Path, PathBuf};

/// The messages of the maildir `dir`, sorted by file name (a delivery's time comes first in
/// it), so two runs over the same folder log in the same order.
///
/// Symbolic links are skipped, `cur` and `new` included: a link could lead out of the folder
/// the user named. A folder with neither `cur` nor `new` is an error naming it.
pub fn messages(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut any = false;
    for sub in ["cur", "new"] {
        let sub = dir.join(sub);
        match fs::symlink_metadata(&sub) {
            Ok(meta) if meta.is_dir() => any = true,
            _ => continue,
        }
        let entries = fs::read_dir(&sub).map_err(|e| format!("{}: {e}", sub.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", sub.display()))?;
            let name = entry.file_name();
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            // DirEntry's file type does not follow a symbolic link: a link is neither a file
            // nor a folder here, and so is skipped.
            let kind = entry
                .file_type()
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
            if kind.is_file() {
                found.push(entry.path());
            }
        }
    }
    if !any {
        return Err(format!(
            "{}: not a maildir (no cur or new folder)",
            dir.display()
        ));
    }
    found.sort_by(|a, b| a.file_name().cmp(&b.file_name()).then_with(|| a.cmp(b)));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(paths: &[PathBuf], root: &Path) -> Vec<String> {
        paths
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn files_of_cur_and_new_sorted_by_name_without_tmp_dot_files_or_links() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        for sub in ["cur", "new", "tmp", "cur/nested"] {
            fs::create_dir(dir.join(sub)).unwrap();
        }
        for file in [
            "cur/1700000002.M2P2.host:2,S",
            "new/1700000001.M1P1.host",
            "new/1700000003.M3P3.host",
            "tmp/1700000000.M0P0.host",
            "cur/.hidden",
            "cur/nested/1600000000.x",
        ] {
            fs::write(dir.join(file), "From: a@example.com\n\nx\n").unwrap();
        }
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), "x").unwrap();
        symlink(
            outside.path().join("secret"),
            dir.join("new/1600000000.link"),
        )
        .unwrap();
        assert_eq!(
            names(&messages(dir).unwrap(), dir),
            [
                "new/1700000001.M1P1.host",
                "cur/1700000002.M2P2.host:2,S",
                "new/1700000003.M3P3.host"
            ]
        );
    }

    #[test]
    fn a_linked_cur_folder_is_not_followed() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("1.eml"), "x").unwrap();
        symlink(outside.path(), root.path().join("cur")).unwrap();
        fs::create_dir(root.path().join("new")).unwrap();
        assert!(messages(root.path()).unwrap().is_empty());
        fs::remove_dir(root.path().join("new")).unwrap();
        let err = messages(root.path()).unwrap_err();
        assert!(
            err.ends_with("not a maildir (no cur or new folder)"),
            "{err}"
        );
    }

    #[test]
    fn a_folder_without_cur_or_new_is_named_in_the_error() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join("tmp")).unwrap();
        let err = messages(root.path()).unwrap_err();
        assert_eq!(
            err,
            format!(
                "{}: not a maildir (no cur or new folder)",
                root.path().display()
            )
        );
        let only_new = tempfile::tempdir().unwrap();
        fs::create_dir(only_new.path().join("new")).unwrap();
        assert_eq!(messages(only_new.path()).unwrap(), Vec::<PathBuf>::new());
    }
}
