//! The `cx` command line; its commands arrive with the CLI issue.

fn main() {
    eprintln!("cx: no commands yet; see README.md");
    std::process::exit(2);
}
