//! The `dossier` command. All the work is in the library; see `cli`.

fn main() -> std::process::ExitCode {
    dossier::cli::run()
}
