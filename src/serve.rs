//! `dossier serve`: not yet.

use std::path::PathBuf;
use std::process::ExitCode;

pub struct Options {
    pub root: PathBuf,
    pub port: Option<u16>,
    pub open: bool,
}

pub fn run(_options: &Options) -> ExitCode {
    eprintln!("error: `dossier serve` is not ready yet");
    ExitCode::from(2)
}
