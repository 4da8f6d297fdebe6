//! `peel queries`, `peel run`, `peel save` and `peel unsave`: the canned and saved queries.

use std::cell::RefCell;
use std::io::{self, Write};

use anyhow::{Result, bail};

use super::database::{open_database, read_text_file, with_writable};
use super::{UsageError, console, tell};
use crate::cli::{GlobalArgs, QueriesArgs, RunArgs, SaveArgs, UnsaveArgs};
use crate::console::Mode;
use crate::console::call::{self, CallOptions};
use crate::db::Access;
use crate::output::{Format, RowSink};
use crate::queries;

/// `peel queries [NAME]`: the catalogue as a result (so --format applies), or one
/// query's help as text.
pub(super) fn list_queries(global: &GlobalArgs, args: &QueriesArgs) -> Result<()> {
    let conn = open_database(global, Access::Query)?;
    let console = console(global, Mode::Command);
    let mut out = console.stdout();
    match &args.name {
        Some(name) => {
            let text = queries::describe(&conn, name)?;
            out.write_all(text.as_bytes())?;
        }
        None => {
            let mut err = io::stderr();
            let notes: RefCell<&mut dyn Write> = RefCell::new(&mut err);
            let mut sink = console.presenter(&mut out, &notes, true);
            queries::list_to_sink(Some(&conn), &mut sink)?;
            sink.finish()?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `peel run NAME ARGS`: resolve the arguments, and present the call (notes on stderr,
/// results on stdout) on a read-only connection.
pub(super) fn run_query(global: &GlobalArgs, args: &RunArgs) -> Result<()> {
    let conn = open_database(global, Access::Query)?;
    let console = console(global, Mode::Command);
    // -q hides the notes; a JSON document and a picture carry them whatever -q says.
    let coverage = !console.quiet || console.format == Format::Json || console.format.is_picture();
    let call = queries::prepare_with(&conn, &args.name, &args.args, coverage)?;
    let options = CallOptions {
        with_sources: args.with_sources,
        result: args.result.clone(),
        explain: args.explain,
    };
    let mut out = console.stdout();
    let mut err = io::stderr();
    let result = {
        let notes: RefCell<&mut dyn Write> = RefCell::new(&mut err);
        call::present(&console, &conn, &call, &options, &mut out, &notes, true)
    };
    // What was produced is flushed even when the query failed, so rows printed before
    // an error stay visible above it.
    let flushed = out.flush();
    result?;
    Ok(flushed?)
}

/// `peel save NAME SQL`: check and store a query in the file.
pub(super) fn save_query(global: &GlobalArgs, args: &SaveArgs) -> Result<()> {
    let sql = match (&args.sql, &args.file) {
        (Some(sql), _) => sql.clone(),
        (None, Some(file)) => read_text_file(file)?,
        (None, None) => bail!(UsageError(
            "no SQL given: pass it as an argument or with --file".into()
        )),
    };
    let (saved, query) = with_writable(global, |conn, stored| {
        let saved = queries::save_with_kinds(
            conn,
            &args.name,
            &args.description,
            &sql,
            &args.params,
            args.replace,
        )?;
        *stored = true;
        let query = queries::find(conn, &saved.name)?;
        Ok((saved, query))
    })?;
    tell(Some(console(global, Mode::Command).say(&format!(
        "saved {}; run it with `peel run {}`",
        saved.name,
        query.usage()
    ))));
    Ok(())
}

/// `peel unsave NAME`.
pub(super) fn unsave_query(global: &GlobalArgs, args: &UnsaveArgs) -> Result<()> {
    with_writable(global, |conn, stored| {
        queries::unsave(conn, &args.name)?;
        *stored = true;
        Ok(())
    })?;
    tell(Some(
        console(global, Mode::Command).say(&format!("removed saved query {}", args.name)),
    ));
    Ok(())
}
