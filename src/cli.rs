//! The command line: parses arguments, runs a pipeline, prints diagnostics
//! and a summary, and decides the exit code — in this one place:
//! 0 success, 1 content errors, 2 usage or I/O errors.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::{Failure, Strictness, Summary};

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "Builds a bilateral-relations dossier: annotated sources in, a self-contained website out."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the dossier, then write the site.
    Build(BuildArgs),
    /// Check the dossier and report every problem, without writing anything.
    Check(RootArg),
}

#[derive(Debug, Args)]
struct RootArg {
    /// The dossier's folder (the one holding `content/` and `seeds/`).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Treat warnings as errors (for CI and before publishing).
    #[arg(long)]
    deny_warnings: bool,
}

impl RootArg {
    fn strictness(&self) -> Strictness {
        if self.deny_warnings {
            Strictness::DenyWarnings
        } else {
            Strictness::AllowWarnings
        }
    }
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    root: RootArg,
    /// Where to write the site [default: ROOT/public].
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let result = match &cli.command {
        Command::Check(args) => crate::check(&args.root, args.strictness()),
        Command::Build(args) => {
            let out = args.out.clone().unwrap_or_else(|| args.root.root.join("public"));
            let progress = std::io::stderr().is_terminal();
            crate::build(&args.root.root, &out, args.root.strictness(), progress)
        }
    };
    report(result, styled, started)
}

fn report(result: Result<Summary, Failure>, styled: bool, started: Instant) -> ExitCode {
    let elapsed = started.elapsed().as_secs_f64();
    match result {
        Ok(summary) => {
            eprint!("{}", summary.diagnostics_text(styled));
            println!("{} in {elapsed:.2} s", summary.line());
            ExitCode::SUCCESS
        }
        Err(Failure::Content(summary)) => {
            eprint!("{}", summary.diagnostics_text(styled));
            eprintln!("{}; nothing was written", summary.problem_line());
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Io(err)) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
