//! The gate's memory: which templates this executable has already passed.
//!
//! The check gate is a pure function of a template's name and text, and a
//! given executable always judges them the same way. So once a template
//! has passed, the same bytes under the same name pass again: an unchanged
//! `synth` of a 1,000-service `micro` re-checks nothing, and a change to one
//! service re-checks one template. A template that fails is never
//! remembered, so it is judged (and reported) every time.
//!
//! Each passed template is an empty file named by a 128-bit hash of its
//! name and text (SipHash-1-3: not a cryptographic hash, which would ask
//! the CPU for its features, at ~10 microseconds per `cpuid` in a virtual
//! machine; an accidental collision is the only risk, and a negligible
//! one), in a directory named by the executable's identity (this crate's
//! version and the running file's path, size, inode, device, modification
//! and status-change times; the status-change time cannot be set by `cp -p`
//! or `tar`): a rebuilt or upgraded `stackcraft` starts afresh. A new build
//! removes the directories of all but the three builds used most recently.
//!
//! Entries are trusted, so the cache is only used when the directories
//! holding them belong to the user and nobody else may write to them; the
//! command line also refuses a relative cache root. Every failure to read
//! or write the cache only means checking again; deleting the directory is
//! always safe.

use std::fs;
use std::path::{Path, PathBuf};

use std::hash::Hasher;

use siphasher::sip128::{Hasher128, SipHasher13};

use crate::blueprints::Artifact;

/// Where one executable remembers the templates it passed.
#[derive(Debug, Clone)]
pub struct GateCache {
    /// `<root>/gate/<executable identity>`.
    dir: PathBuf,
}

impl GateCache {
    /// The cache of the running executable under `root` (the command line
    /// uses `$XDG_CACHE_HOME/stackcraft` or `~/.cache/stackcraft`); `None`
    /// when the executable cannot be found or read.
    pub fn for_executable(root: &Path) -> Option<GateCache> {
        let exe = std::env::current_exe().ok()?;
        // The file this process runs, even if `exe` was replaced since.
        #[cfg(target_os = "linux")]
        let meta = fs::metadata("/proc/self/exe").ok()?;
        #[cfg(not(target_os = "linux"))]
        let meta = fs::metadata(&exe).ok()?;
        let mut id = SipHasher13::new();
        id.write(env!("CARGO_PKG_VERSION").as_bytes());
        id.write(&[0]);
        id.write(exe.as_os_str().as_encoded_bytes());
        id.write(&[0]);
        id.write(&meta.len().to_le_bytes());
        let modified = meta.modified().ok()?;
        let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
        id.write(&since.as_nanos().to_le_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            id.write(&meta.ino().to_le_bytes());
            id.write(&meta.dev().to_le_bytes());
            id.write(&meta.ctime().to_le_bytes());
            id.write(&meta.ctime_nsec().to_le_bytes());
        }
        Some(GateCache::at(root, &hex(&id.finish128().as_bytes())))
    }

    /// The cache of the executable identified by `identity` under `root`.
    fn at(root: &Path, identity: &str) -> GateCache {
        GateCache {
            dir: root.join("gate").join(identity),
        }
    }

    /// The name a template is remembered under: the hash of its path and
    /// text (a NUL between them, which no path holds).
    pub fn key(artifact: &Artifact) -> String {
        let mut k = SipHasher13::new();
        k.write(artifact.path.as_os_str().as_encoded_bytes());
        k.write(&[0]);
        k.write(artifact.contents().as_bytes());
        hex(&k.finish128().as_bytes())
    }

    /// Whether the template under `key` passed the gate before (never when
    /// the directory is not the user's own, see [`private`]).
    pub fn passed(&self, key: &str) -> bool {
        self.dir.join(key).is_file() && self.trusted()
    }

    /// Whether the cache's directories are the user's and closed to others.
    fn trusted(&self) -> bool {
        let gate = self.dir.parent().unwrap_or(&self.dir);
        private(gate) && private(&self.dir)
    }

    /// Remembers that the templates under `keys` passed. Best effort: a
    /// cache that cannot be written only means checking again.
    pub fn remember<'k>(&self, keys: impl IntoIterator<Item = &'k str>) {
        let mut keys = keys.into_iter().peekable();
        if keys.peek().is_none() {
            return;
        }
        if !self.dir.is_dir() {
            if create_private_dir(&self.dir).is_err() {
                return;
            }
            self.forget_old_builds();
        }
        if !self.trusted() {
            return;
        }
        for key in keys {
            let _ = fs::File::create(self.dir.join(key));
        }
    }

    /// Removes what older builds remembered, keeping the [`KEEP_BUILDS`]
    /// used most recently (an installed binary and a development build can
    /// take turns without starting afresh each time). Only directories named
    /// like an identity are touched, whatever else the root holds.
    fn forget_old_builds(&self) {
        let (Some(parent), Some(mine)) = (self.dir.parent(), self.dir.file_name()) else {
            return;
        };
        let Ok(entries) = fs::read_dir(parent) else {
            return;
        };
        let mut others: Vec<(std::time::SystemTime, PathBuf)> = entries
            .flatten()
            .filter(|e| e.file_name() != mine && is_identity(&e.file_name()))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        // Newest first; this build is one of those kept.
        others.sort_by_key(|b| std::cmp::Reverse(b.0));
        for (_, path) in others.into_iter().skip(KEEP_BUILDS - 1) {
            let _ = fs::remove_dir_all(path);
        }
    }
}

/// Builds whose memory is kept.
const KEEP_BUILDS: usize = 3;

/// Whether a directory entry's name is an identity: 32 lower-case
/// hexadecimal digits.
fn is_identity(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.len() == 32 && n.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// Whether `dir` is a directory of the current user that no one else may
/// write to (on Unix; elsewhere, whether it is a directory).
fn private(dir: &Path) -> bool {
    let Ok(meta) = fs::metadata(dir) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.mode() & 0o022 != 0 {
            return false;
        }
        #[cfg(target_os = "linux")]
        if meta.uid() != rustix::process::geteuid().as_raw() {
            return false;
        }
    }
    meta.is_dir()
}

/// Creates `dir` and its parents, readable by the owner only on Unix: the
/// cache says which templates may skip the checks.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_both_path_and_text() {
        let a = Artifact::new("a.template.json", "{}".into());
        let same = Artifact::new("a.template.json", "{}".into());
        let other_text = Artifact::new("a.template.json", "{ }".into());
        let other_path = Artifact::new("b.template.json", "{}".into());
        let key = GateCache::key(&a);
        assert_eq!(key.len(), 32);
        assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(key, GateCache::key(&same));
        assert_ne!(key, GateCache::key(&other_text));
        assert_ne!(key, GateCache::key(&other_path));
    }

    /// Identities as `for_executable` names them.
    fn id(n: u8) -> String {
        format!("{n:032x}")
    }

    #[test]
    fn remembers_and_keeps_the_builds_used_last() {
        let root = tempfile::tempdir().unwrap();
        let builds: Vec<GateCache> = (1..=4)
            .map(|n| GateCache::at(root.path(), &id(n)))
            .collect();
        builds[0].remember(["k1"]);
        assert!(builds[0].passed("k1"));
        assert!(!builds[1].passed("k1"));
        builds[1].remember(std::iter::empty());
        assert!(
            !builds[1].dir.exists(),
            "nothing to remember creates nothing"
        );
        // Distinct modification times, oldest first.
        std::thread::sleep(std::time::Duration::from_millis(20));
        builds[1].remember(["k2"]);
        std::thread::sleep(std::time::Duration::from_millis(20));
        builds[2].remember(["k3"]);
        assert!(builds[0].passed("k1") && builds[1].passed("k2") && builds[2].passed("k3"));
        // A fourth build keeps itself and the two used last.
        builds[3].remember(["k4"]);
        assert!(
            !builds[0].passed("k1"),
            "the oldest build's memory is removed"
        );
        assert!(builds[1].passed("k2") && builds[2].passed("k3") && builds[3].passed("k4"));
    }

    #[test]
    fn only_identity_directories_are_ever_removed() {
        let root = tempfile::tempdir().unwrap();
        let mine = root.path().join("gate/mine");
        std::fs::create_dir_all(&mine).unwrap();
        std::fs::write(mine.join("notes.txt"), "keep").unwrap();
        for n in 1..=4 {
            GateCache::at(root.path(), &id(n)).remember(["k"]);
        }
        assert!(mine.join("notes.txt").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_others_may_write_is_not_trusted() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let cache = GateCache::at(root.path(), &id(1));
        cache.remember(["k"]);
        assert!(cache.passed("k"));
        let gate = root.path().join("gate");
        std::fs::set_permissions(&gate, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(!cache.passed("k"), "a world-writable gate directory");
        std::fs::set_permissions(&gate, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(&cache.dir, std::fs::Permissions::from_mode(0o775)).unwrap();
        assert!(!cache.passed("k"), "a group-writable identity directory");
        cache.remember(["k2"]);
        assert!(
            !cache.dir.join("k2").exists(),
            "nothing is written there either"
        );
    }

    #[test]
    fn an_unwritable_cache_only_means_checking_again() {
        let root = tempfile::tempdir().unwrap();
        // A file where the cache's directory would go.
        fs::write(root.path().join("gate"), "").unwrap();
        let cache = GateCache::at(root.path(), &id(1));
        cache.remember(["k"]);
        assert!(!cache.passed("k"));
    }

    #[test]
    fn the_running_executable_has_an_identity() {
        let root = tempfile::tempdir().unwrap();
        let a = GateCache::for_executable(root.path()).unwrap();
        let b = GateCache::for_executable(root.path()).unwrap();
        assert_eq!(a.dir, b.dir);
        assert!(a.dir.starts_with(root.path().join("gate")));
    }
}
