fn main() {
    println!("rwe {}", env!("CARGO_PKG_VERSION"));
}
