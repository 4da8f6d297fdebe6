//! The shell at a terminal: rustyline as a [`LineSource`], with history kept in the
//! platform's data folder, plus where the startup file lives and how wide the screen is.

use std::io;
use std::path::PathBuf;

use rustyline::Editor;
use rustyline::config::{CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;

use super::helper::{PeelHelper, Vocabulary};
use super::{Input, LineSource};

/// Entries kept in the history file.
const HISTORY_SIZE: usize = 10_000;

/// The history file: `$XDG_DATA_HOME/peel/history`, else `~/.local/share/peel/history` on
/// Linux (the platform's data folder elsewhere). `None` when there is no home folder.
pub fn history_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("peel").join("history"))
}

/// The startup file: `$XDG_CONFIG_HOME/peel/peelrc`, else `~/.config/peel/peelrc` on Linux
/// (the platform's config folder elsewhere).
pub fn startup_file() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("peel").join("peelrc"))
}

/// Lines typed at a terminal, with editing, history, Ctrl-R search and Tab completion.
pub struct Terminal {
    editor: Editor<PeelHelper, FileHistory>,
    history: Option<PathBuf>,
    /// A history that cannot be saved is said once, not after every line.
    warned: bool,
}

impl Terminal {
    /// Opens the editor and loads the history from `history` (creating its folder).
    /// Problems with the history file are warnings: the shell works without it.
    pub fn new(history: Option<PathBuf>) -> Result<Terminal, ReadlineError> {
        let config = Config::builder()
            .auto_add_history(false)
            .history_ignore_dups(true)?
            .max_history_size(HISTORY_SIZE)?
            .completion_type(CompletionType::List)
            .build();
        let mut editor = Editor::with_config(config)?;
        editor.set_helper(Some(PeelHelper::new(Vocabulary::default())));
        let mut terminal = Terminal {
            editor,
            history,
            warned: false,
        };
        if let Some(path) = terminal.history.clone() {
            if let Some(dir) = path.parent()
                && let Err(e) = std::fs::create_dir_all(dir)
            {
                terminal.warn(&format!("cannot create {}: {e}", dir.display()));
            }
            if path.exists()
                && let Err(e) = terminal.editor.load_history(&path)
            {
                terminal.warn(&format!("cannot read history {}: {e}", path.display()));
            }
        }
        Ok(terminal)
    }

    fn warn(&mut self, message: &str) {
        if !self.warned {
            eprintln!("peel: warning: {message}; history will not be kept");
            self.warned = true;
        }
    }
}

impl LineSource for Terminal {
    fn read_line(&mut self, prompt: &str) -> io::Result<Input> {
        match self.editor.readline(prompt) {
            Ok(line) => Ok(Input::Line(line)),
            Err(ReadlineError::Interrupted) => Ok(Input::Interrupted),
            Err(ReadlineError::Eof) => Ok(Input::End),
            Err(ReadlineError::Io(e)) => Err(e),
            Err(other) => Err(io::Error::other(other.to_string())),
        }
    }

    fn add_history(&mut self, entry: &str) {
        // Saved after every entry, so a killed session loses nothing.
        if let Ok(true) = self.editor.add_history_entry(entry)
            && let Some(path) = self.history.clone()
            && let Err(e) = self.editor.append_history(&path)
        {
            self.warn(&format!("cannot write history {}: {e}", path.display()));
        }
    }

    fn completes(&self) -> bool {
        true
    }

    fn set_vocabulary(&mut self, vocabulary: Vocabulary) {
        if let Some(helper) = self.editor.helper_mut() {
            helper.vocabulary = vocabulary;
        }
    }
}
