//! The command line: parses arguments, runs a pipeline, prints diagnostics
//! and a summary, and decides the exit code — in this one place:
//! 0 success, 1 content errors, 2 usage or I/O errors.
//!
//! What a command did goes to standard output (the summary line, the files
//! written); what went wrong goes to standard error.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::scaffold::{self, Created, ScaffoldError};
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
    /// Start a dossier: a small example that builds, to edit and replace.
    Init(InitArgs),
    /// Draft a new file: a source from its original, a sector, actor, event or page.
    #[command(subcommand)]
    New(NewCommand),
    /// Build the site, serve it on 127.0.0.1 and rebuild and reload it on every change.
    Serve(ServeArgs),
    /// Check the dossier and report every problem, without writing anything.
    Check(CheckArgs),
    /// Check the dossier, then write the site.
    Build(BuildArgs),
}

#[derive(Debug, Args)]
struct RootArg {
    /// The dossier's folder (the one holding `content/` and `seeds/`) [default: .]
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// The same as DIR.
    #[arg(long, value_name = "DIR", conflicts_with = "dir")]
    root: Option<PathBuf>,
}

impl RootArg {
    fn path(&self) -> PathBuf {
        self.dir
            .clone()
            .or_else(|| self.root.clone())
            .unwrap_or_else(|| ".".into())
    }
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    root: RootArg,
    /// Treat warnings as errors (for CI and before publishing).
    #[arg(long)]
    deny_warnings: bool,
    /// Print nothing on success but the warnings.
    #[arg(short, long)]
    quiet: bool,
}

impl CheckArgs {
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
    check: CheckArgs,
    /// Where to write the site [default: DIR/public].
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The folder to create the dossier in; it must be new or empty [default: .]
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// The language of the example, and of the site.
    #[arg(short, long, value_enum, default_value_t = Language::En)]
    language: Language,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Language {
    En,
    Fr,
}

#[derive(Debug, Subcommand)]
enum NewCommand {
    /// Copy an original into `seeds/originals/` and draft its annotated copy `seeds/SLUG.md`.
    Source {
        #[command(flatten)]
        slug: NewArgs,
        /// The original: a plain-text file (UTF-8), one paragraph per line or per blank-line-separated block.
        #[arg(long, value_name = "FILE")]
        original: PathBuf,
    },
    /// A sector: `content/sectors/SLUG.md`.
    Sector(NewArgs),
    /// An actor (person, state, organisation…): `content/actors/SLUG.md`.
    Actor(NewArgs),
    /// An event of the chronology: `content/events/SLUG.md`.
    Event {
        #[command(flatten)]
        slug: NewArgs,
        /// Its date (EDTF: 2024, 2024-03, 2024-03-14…) [default: today]
        #[arg(long)]
        date: Option<String>,
    },
    /// An editorial page: `content/pages/SLUG.md`.
    Page(NewArgs),
}

#[derive(Debug, Args)]
struct NewArgs {
    /// The new file's name: lower-case letters, digits and hyphens.
    slug: String,
    /// The dossier's folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    root: RootArg,
    /// The port to listen on [default: a free one]
    #[arg(short, long)]
    port: Option<u16>,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Check(args) => check(args),
        Command::Build(args) => build(args),
        Command::Init(args) => init(args),
        Command::New(command) => new(command),
        Command::Serve(args) => crate::serve::run(&crate::serve::Options {
            root: args.root.path(),
            port: args.port,
            open: args.open,
        }),
    }
}

pub(crate) fn styled() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn check(args: &CheckArgs) -> ExitCode {
    let started = Instant::now();
    let result = crate::check(&args.root.path(), args.strictness());
    report(result, started, args.quiet, None)
}

fn build(args: &BuildArgs) -> ExitCode {
    let started = Instant::now();
    let root = args.check.root.path();
    let out = args.out.clone().unwrap_or_else(|| root.join("public"));
    let progress = std::io::stderr().is_terminal() && !args.check.quiet;
    let result = crate::build(&root, &out, args.check.strictness(), progress);
    report(result, started, args.check.quiet, Some(&out))
}

fn report(result: Result<Summary, Failure>, started: Instant, quiet: bool, out: Option<&Path>) -> ExitCode {
    let elapsed = started.elapsed().as_secs_f64();
    let code = exit_code(&result);
    match result {
        Ok(summary) => {
            eprint!("{}", summary.diagnostics_text(styled()));
            if !quiet {
                let open = out.map(|out| format!("; open {}", out.join("index.html").display()));
                println!("{} in {elapsed:.2} s{}", summary.line(), open.unwrap_or_default());
            }
        }
        Err(Failure::Content(summary)) => {
            eprint!("{}", summary.diagnostics_text(styled()));
            eprintln!("{}; nothing was written", summary.problem_line());
        }
        Err(Failure::Usage(message)) => eprintln!("error: {message}"),
        Err(Failure::Io(err)) => eprintln!("error: {err:#}"),
    }
    code
}

/// The exit code of a pipeline's result.
fn exit_code(result: &Result<Summary, Failure>) -> ExitCode {
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(Failure::Content(_)) => ExitCode::from(1),
        Err(Failure::Usage(_) | Failure::Io(_)) => ExitCode::from(2),
    }
}

fn init(args: &InitArgs) -> ExitCode {
    let language = match args.language {
        Language::En => scaffold::init::Language::En,
        Language::Fr => scaffold::init::Language::Fr,
    };
    match scaffold::init::init(&args.dir, language) {
        Ok(created) => {
            let dir = args.dir.display();
            println!(
                "created a dossier in {dir} ({} files in content/ and seeds/, and a README)",
                created.files.len()
            );
            let serve = if args.dir == Path::new(".") {
                "dossier serve".into()
            } else {
                format!("dossier serve {dir}")
            };
            println!("next: `{serve}` shows it in the browser; its about page says how it is made");
            ExitCode::SUCCESS
        }
        Err(err) => refused(err),
    }
}

fn new(command: &NewCommand) -> ExitCode {
    use scaffold::new::{Kind, new, new_source};
    let (args, result) = match command {
        NewCommand::Source { slug, original } => (slug, new_source(&slug.root, &slug.slug, original)),
        NewCommand::Sector(a) => (a, new(&a.root, Kind::Sector, &a.slug, None)),
        NewCommand::Actor(a) => (a, new(&a.root, Kind::Actor, &a.slug, None)),
        NewCommand::Event { slug, date } => (slug, new(&slug.root, Kind::Event, &slug.slug, date.as_deref())),
        NewCommand::Page(a) => (a, new(&a.root, Kind::Page, &a.slug, None)),
    };
    let next = format!("next: edit it, then `dossier check {}`", args.root.display());
    scaffolded(result, &args.root, &next)
}

fn scaffolded(result: Result<Created, ScaffoldError>, root: &Path, next: &str) -> ExitCode {
    match result {
        Ok(created) => {
            for file in &created.files {
                println!("created {}", root.join(file).display());
            }
            for note in &created.notes {
                println!("note: {note}");
            }
            println!("{next}");
            ExitCode::SUCCESS
        }
        Err(err) => refused(err),
    }
}

fn refused(err: ScaffoldError) -> ExitCode {
    match err {
        ScaffoldError::Refused(message) => eprintln!("error: {message}"),
        ScaffoldError::Io(err) => eprintln!("error: {err:#}"),
    }
    ExitCode::from(2)
}
