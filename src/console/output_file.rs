//! Where data goes: stdout, or the file named by `-o`, written under a temporary name and
//! moved into place only when the command succeeds.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The writer data goes to (see [`super::Console::stdout`]).
pub enum DataOut {
    /// Stdout.
    Stdout(BufWriter<io::StdoutLock<'static>>),
    /// The `-o` file.
    File(Arc<OutputFile>),
}

impl Write for DataOut {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            DataOut::Stdout(w) => w.write(buf),
            DataOut::File(f) => f.with(|w| w.write(buf)),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            DataOut::Stdout(w) => w.flush(),
            DataOut::File(f) => f.with(|w| w.flush()),
        }
    }
}

/// The file named by `-o`. It is written under a temporary name beside it and moved into
/// place only when the command succeeds ([`OutputFile::commit`]), so a command that fails
/// leaves no half picture, and an earlier file of that name as it was.
#[derive(Debug)]
pub struct OutputFile {
    path: PathBuf,
    temporary: PathBuf,
    writer: Mutex<Option<BufWriter<File>>>,
}

impl OutputFile {
    /// Creates the temporary file for `path`.
    pub fn create(path: &Path) -> io::Result<Arc<OutputFile>> {
        let name = path
            .file_name()
            .ok_or_else(|| io::Error::other("names no file"))?;
        let mut temporary_name = std::ffi::OsString::from(".");
        temporary_name.push(name);
        temporary_name.push(format!(".peel-{}.tmp", std::process::id()));
        let temporary = path.with_file_name(temporary_name);
        let file = File::create(&temporary)?;
        Ok(Arc::new(OutputFile {
            path: path.to_path_buf(),
            temporary,
            writer: Mutex::new(Some(BufWriter::new(file))),
        }))
    }

    /// The file's name as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn with<T>(&self, f: impl FnOnce(&mut BufWriter<File>) -> io::Result<T>) -> io::Result<T> {
        let mut slot = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        match slot.as_mut() {
            Some(w) => f(w),
            None => Err(io::Error::other("the output file is closed")),
        }
    }

    /// Writes out what is buffered and moves the file into place.
    pub fn commit(&self) -> io::Result<()> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(w) = writer {
            let file = w.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
        }
        std::fs::rename(&self.temporary, &self.path)
    }

    /// Removes the temporary file: the command failed.
    pub fn discard(&self) {
        drop(self.writer.lock().unwrap_or_else(|p| p.into_inner()).take());
        let _ = std::fs::remove_file(&self.temporary);
    }
}
