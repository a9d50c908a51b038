//! Which state of its data a store on disk is in: a [`Generation`], a
//! random number that changes with every write, kept in a file beside the
//! data (`<store>/interlock/generation`).
//!
//! It lets what is derived from the data (the graph projection, kept in a
//! file so that a fresh process need not read millions of quads again) say
//! which state it was derived from, and be used only while the store is
//! still in that state. Every write through [`crate::Store`] marks the
//! file "writing" (durably) before it touches the data and gives it a new
//! generation once the data is committed, so a write cut short (a crash,
//! SIGKILL) leaves "writing", and the next process to open the store for
//! writing gives it a generation nothing was derived from.
//!
//! Only the process that holds the store for writing (RocksDB's lock) writes
//! the file; a process that opens it read-only reads the file each time it
//! is asked. Writes by other programs than interlock are not seen: the
//! store is interlock's to write.

use crate::StoreError;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// The folder inside a store's folder for interlock's own files.
pub const OWN_FOLDER: &str = "interlock";

/// What the generation file says while a write is under way.
const WRITING: &str = "writing";

/// One state of a store's data. Two equal generations of the same store
/// mean the same data; a write never gives a store a generation it had before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Generation(u128);

impl Generation {
    fn fresh() -> Generation {
        Generation(rand::random())
    }

    /// Reads a generation written by [`fmt::Display`]; `None` for anything
    /// else ("writing", an empty or damaged file).
    pub(crate) fn parse(text: &str) -> Option<Generation> {
        let text = text.trim();
        (text.len() == 32)
            .then(|| u128::from_str_radix(text, 16).ok())
            .flatten()
            .map(Generation)
    }
}

impl fmt::Display for Generation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// The generation of a store and the writes under way in this process.
#[derive(Clone)]
pub(crate) struct Generations {
    inner: Arc<Inner>,
}

enum Inner {
    /// A store in memory: no generation (nothing derived outlives it).
    InMemory,
    /// A store this process holds for writing.
    Writer {
        file: PathBuf,
        state: Mutex<WriterState>,
    },
    /// A store another process may be writing: the file says.
    Reader { file: PathBuf },
}

struct WriterState {
    /// The data's generation, when no write is under way.
    at_rest: Option<Generation>,
    /// Writes under way in this process.
    writes: usize,
}

impl Generations {
    /// A store in memory.
    pub fn in_memory() -> Generations {
        Generations {
            inner: Arc::new(Inner::InMemory),
        }
    }

    /// The store in `dir`, which this process holds for writing: a store
    /// with no generation yet, or left "writing" by a write cut short,
    /// gets a new one.
    pub fn writer(dir: &Path) -> Result<Generations, StoreError> {
        let file = generation_file(dir);
        std::fs::create_dir_all(dir.join(OWN_FOLDER)).map_err(unwritable(&file))?;
        let found = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| Generation::parse(&t));
        let at_rest = match found {
            Some(g) => g,
            None => {
                let g = Generation::fresh();
                write_durably(&file, &g.to_string()).map_err(unwritable(&file))?;
                g
            }
        };
        Ok(Generations {
            inner: Arc::new(Inner::Writer {
                file,
                state: Mutex::new(WriterState {
                    at_rest: Some(at_rest),
                    writes: 0,
                }),
            }),
        })
    }

    /// The store in `dir`, opened read-only beside its writer, if any.
    pub fn reader(dir: &Path) -> Generations {
        Generations {
            inner: Arc::new(Inner::Reader {
                file: generation_file(dir),
            }),
        }
    }

    /// The data's generation now; `None` in memory, while a write is under
    /// way, or when a write was cut short (until a writer opens the store).
    pub fn current(&self) -> Option<Generation> {
        match &*self.inner {
            Inner::InMemory => None,
            Inner::Writer { state, .. } => {
                state.lock().unwrap_or_else(PoisonError::into_inner).at_rest
            }
            Inner::Reader { file } => std::fs::read_to_string(file)
                .ok()
                .and_then(|t| Generation::parse(&t)),
        }
    }

    /// Marks the start of a write: the file says "writing" (on disk) before
    /// this returns, and gets a new generation when the last write under
    /// way ends (the guard is dropped). Refused for a store opened read-only.
    pub fn write(&self) -> Result<Writing, StoreError> {
        if let Inner::Writer { file, state } = &*self.inner {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.writes == 0 {
                write_durably(file, WRITING).map_err(unwritable(file))?;
                state.at_rest = None;
            }
            state.writes += 1;
        }
        Ok(Writing {
            generations: self.clone(),
        })
    }

    fn written(&self) {
        if let Inner::Writer { file, state } = &*self.inner {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            state.writes -= 1;
            if state.writes == 0 {
                let g = Generation::fresh();
                // When the new generation cannot be written, the file keeps
                // "writing" and this process knows no generation: what is
                // derived is rebuilt, never trusted.
                if write_durably(file, &g.to_string()).is_ok() {
                    state.at_rest = Some(g);
                }
            }
        }
    }

    /// A reader of the file `name` derived from the data, past its first
    /// line, when that line is the data's generation now: a file derived
    /// from another state of the data is never read.
    pub fn read_derived(&self, name: &str) -> Option<std::io::BufReader<std::fs::File>> {
        let now = self.current()?;
        let folder = self.folder()?;
        let mut reader = std::io::BufReader::new(std::fs::File::open(folder.join(name)).ok()?);
        let mut first = String::new();
        std::io::BufRead::read_line(&mut reader, &mut first).ok()?;
        (Generation::parse(&first) == Some(now)).then_some(reader)
    }

    /// Writes the file `name` derived from the data in `generation`, with
    /// the generation as its first line and then what `write` writes.
    /// It replaces the file only if this process holds the store for writing
    /// and the data is still in `generation` (checked while no write can
    /// start); returns whether it did.
    pub fn write_derived(
        &self,
        name: &str,
        generation: Generation,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<bool> {
        let Inner::Writer { file, state } = &*self.inner else {
            return Ok(false);
        };
        let folder = file.parent().unwrap_or(Path::new("."));
        let temporary = written_aside(folder, |out| {
            writeln!(out, "{generation}")?;
            write(out)
        })?;
        let state = state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.at_rest != Some(generation) {
            return Ok(false);
        }
        temporary.persist(folder.join(name)).map_err(|e| e.error)?;
        Ok(true)
    }

    fn folder(&self) -> Option<&Path> {
        match &*self.inner {
            Inner::Writer { file, .. } | Inner::Reader { file } => file.parent(),
            Inner::InMemory => None,
        }
    }
}

/// A write under way; its end gives the store a new generation.
pub(crate) struct Writing {
    generations: Generations,
}

impl Drop for Writing {
    fn drop(&mut self) {
        self.generations.written();
    }
}

/// The generation file of the store in `dir`.
fn generation_file(dir: &Path) -> PathBuf {
    dir.join(OWN_FOLDER).join("generation")
}

/// The error for a generation `file` that cannot be written.
fn unwritable(file: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let file = file.to_path_buf();
    move |reason| StoreError::Generation { file, reason }
}

/// A new file in `folder` holding what `write` writes, on disk, not yet
/// under its name: persisting it then replaces a file so that a reader
/// sees the old content or the new, never a part.
fn written_aside(
    folder: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<tempfile::NamedTempFile> {
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    {
        let mut out = std::io::BufWriter::new(temporary.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    temporary.as_file().sync_all()?;
    Ok(temporary)
}

/// Replaces `file` with `text`, on disk before this returns.
fn write_durably(file: &Path, text: &str) -> std::io::Result<()> {
    let folder = file.parent().unwrap_or(Path::new("."));
    written_aside(folder, |out| out.write_all(text.as_bytes()))?
        .persist(file)
        .map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generation_reads_back_and_nothing_else_does() {
        let g = Generation::fresh();
        assert_eq!(Generation::parse(&g.to_string()), Some(g));
        assert_eq!(Generation::parse(&format!("{g}\n")), Some(g));
        for text in ["", "writing", "12", &"z".repeat(32), &"0".repeat(33)] {
            assert_eq!(Generation::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn every_write_gives_a_new_generation_and_none_while_under_way() {
        let dir = tempfile::tempdir().unwrap();
        let generations = Generations::writer(dir.path()).unwrap();
        let reader = Generations::reader(dir.path());
        let first = generations.current().unwrap();
        assert_eq!(reader.current(), Some(first));
        let a = generations.write().unwrap();
        let b = generations.write().unwrap();
        assert_eq!(generations.current(), None);
        assert_eq!(reader.current(), None);
        drop(a);
        assert_eq!(generations.current(), None, "one write is still under way");
        drop(b);
        let second = generations.current().unwrap();
        assert_ne!(second, first);
        assert_eq!(reader.current(), Some(second));
        // Reopened, the store keeps its generation.
        drop(generations);
        assert_eq!(
            Generations::writer(dir.path()).unwrap().current(),
            Some(second)
        );
    }

    #[test]
    fn a_write_cut_short_leaves_no_generation_until_the_next_writer_opens() {
        let dir = tempfile::tempdir().unwrap();
        let generations = Generations::writer(dir.path()).unwrap();
        let before = generations.current().unwrap();
        // What a process killed during a write leaves: "writing" on disk.
        std::mem::forget(generations.write().unwrap());
        drop(generations);
        assert_eq!(Generations::reader(dir.path()).current(), None);
        let after = Generations::writer(dir.path()).unwrap().current().unwrap();
        assert_ne!(after, before);
    }

    #[test]
    fn a_derived_file_is_read_only_in_the_generation_it_was_written_in() {
        let dir = tempfile::tempdir().unwrap();
        let generations = Generations::writer(dir.path()).unwrap();
        let reader = Generations::reader(dir.path());
        let first = generations.current().unwrap();
        let text = |r: Option<std::io::BufReader<std::fs::File>>| {
            r.map(|mut r| {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut r, &mut s).unwrap();
                s
            })
        };
        assert!(
            generations
                .write_derived("d", first, |w| w.write_all(b"one"))
                .unwrap()
        );
        assert_eq!(text(generations.read_derived("d")).as_deref(), Some("one"));
        assert_eq!(text(reader.read_derived("d")).as_deref(), Some("one"));
        // A reader never writes one.
        assert!(
            !reader
                .write_derived("d", first, |w| w.write_all(b"two"))
                .unwrap()
        );
        drop(generations.write().unwrap());
        assert_eq!(text(generations.read_derived("d")), None);
        assert_eq!(text(reader.read_derived("d")), None);
        // Derived from the data before the write: not kept.
        assert!(
            !generations
                .write_derived("d", first, |w| w.write_all(b"old"))
                .unwrap()
        );
        let second = generations.current().unwrap();
        assert!(
            generations
                .write_derived("d", second, |w| w.write_all(b"new"))
                .unwrap()
        );
        assert_eq!(text(reader.read_derived("d")).as_deref(), Some("new"));
    }

    #[test]
    fn no_temporary_file_is_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let generations = Generations::writer(dir.path()).unwrap();
        drop(generations.write().unwrap());
        let g = generations.current().unwrap();
        assert!(
            generations
                .write_derived("d", g, |w| w.write_all(b"x"))
                .unwrap()
        );
        drop(generations.write().unwrap());
        assert!(
            !generations
                .write_derived("d", g, |w| w.write_all(b"x"))
                .unwrap()
        );
        let mut names: Vec<_> = std::fs::read_dir(dir.path().join(OWN_FOLDER))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["d", "generation"]);
    }
}
