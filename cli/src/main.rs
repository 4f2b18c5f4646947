//! The `looplab` command-line tool.

fn main() {
    println!("looplab {}", env!("CARGO_PKG_VERSION"));
}
