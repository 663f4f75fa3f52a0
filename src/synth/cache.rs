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
//! machine; the cache lives in the user's own directory, where an
//! accidental collision is the only risk, and at 2^-64 for a billion
//! entries a negligible one), in a directory named by the executable's identity (its path,
//! size, modification time, inode and this crate's version): a rebuilt or
//! upgraded `stackcraft` starts afresh and removes the directories of
//! other builds. Every failure to read or write the cache only means
//! checking again; deleting the directory is always safe.

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

    /// Whether the template under `key` passed the gate before.
    pub fn passed(&self, key: &str) -> bool {
        self.dir.join(key).is_file()
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
            self.forget_other_builds();
        }
        for key in keys {
            let _ = fs::File::create(self.dir.join(key));
        }
    }

    /// Removes what other executables remembered (other builds, older
    /// versions): only this build's directory is ever read.
    fn forget_other_builds(&self) {
        let (Some(parent), Some(mine)) = (self.dir.parent(), self.dir.file_name()) else {
            return;
        };
        let Ok(entries) = fs::read_dir(parent) else {
            return;
        };
        for e in entries.flatten() {
            if e.file_name() != mine {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
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

    #[test]
    fn remembers_and_forgets_other_builds() {
        let root = tempfile::tempdir().unwrap();
        let old = GateCache::at(root.path(), "old");
        old.remember(["k1"]);
        assert!(old.passed("k1"));

        let new = GateCache::at(root.path(), "new");
        assert!(!new.passed("k1"));
        new.remember(std::iter::empty());
        assert!(old.passed("k1"), "nothing to remember creates nothing");
        new.remember(["k2", "k3"]);
        assert!(new.passed("k2") && new.passed("k3"));
        assert!(!old.passed("k1"), "another build's memory is removed");
        assert!(!root.path().join("gate/old").exists());
    }

    #[test]
    fn an_unwritable_cache_only_means_checking_again() {
        let root = tempfile::tempdir().unwrap();
        // A file where the cache's directory would go.
        fs::write(root.path().join("gate"), "").unwrap();
        let cache = GateCache::at(root.path(), "id");
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
