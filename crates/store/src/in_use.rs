//! Which process holds a store on disk.
//!
//! RocksDB lets one process at a time open a store for writing, and keeps
//! the others out with a POSIX lock on the store's `LOCK` file. When it
//! refuses, its message names only the file; the kernel's table of locks
//! (`/proc/locks` on Linux) names the process, so the error can say whom
//! to stop.

use std::path::Path;

/// A process holding a store, as the system describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// Its process id.
    pub pid: u32,
    /// Its command line, words joined by spaces ("" if unreadable).
    pub command: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.command.is_empty() {
            write!(f, "process {}", self.pid)
        } else {
            write!(f, "process {} ({})", self.pid, self.command)
        }
    }
}

/// The process holding the write lock of the store in `dir`, if another
/// process holds it and the system says which (Linux); `None` otherwise.
pub fn holder(dir: &Path) -> Option<Holder> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        let inode = std::fs::metadata(dir.join("LOCK")).ok()?.ino();
        let locks = std::fs::read_to_string("/proc/locks").ok()?;
        let pid = lock_holder(&locks, inode)?;
        if pid == std::process::id() {
            return None;
        }
        let command = std::fs::read(format!("/proc/{pid}/cmdline"))
            .map(|raw| {
                raw.split(|b| *b == 0)
                    .filter(|w| !w.is_empty())
                    .map(String::from_utf8_lossy)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        Some(Holder { pid, command })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
}

/// The pid of the POSIX lock on `inode` in a `/proc/locks` listing, whose
/// lines read `1: POSIX  ADVISORY  WRITE 1234 fd:01:5678 0 EOF`.
fn lock_holder(locks: &str, inode: u64) -> Option<u32> {
    locks.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (kind, pid, file) = (fields.get(1)?, fields.get(4)?, fields.get(5)?);
        let file_inode = file.rsplit(':').next()?.parse::<u64>().ok()?;
        (*kind == "POSIX" && file_inode == inode)
            .then(|| pid.parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::lock_holder;

    #[test]
    fn the_lock_on_the_inode_names_its_process() {
        let locks = "1: FLOCK  ADVISORY  WRITE 77 fd:01:5678 0 EOF\n\
                     2: POSIX  ADVISORY  WRITE 1234 fd:01:5678 0 EOF\n\
                     3: POSIX  ADVISORY  READ 999 08:02:42 0 EOF\n";
        let cases: [(u64, Option<u32>); 3] = [(5678, Some(1234)), (42, Some(999)), (7, None)];
        for (inode, expected) in cases {
            assert_eq!(lock_holder(locks, inode), expected, "inode {inode}");
        }
        assert_eq!(lock_holder("garbage\n\n1: POSIX", 5678), None);
    }
}
