use std::path::Path;
#[test]
fn scratch() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort/study.toml");
    let v = rwe_derive::commands::validate(&spec, rwe_derive::commands::Format::Text);
    println!("{}\n{}\ncode {}", v.stdout, v.stderr, v.code);
    for s in ["P03", "P06"] {
        let e = rwe_derive::commands::explain(&spec, s, None);
        println!("{}{}", e.stdout, e.stderr);
    }
    let out = std::env::temp_dir().join("rwe-scratch");
    let d = rwe_derive::commands::derive(&spec, &out);
    println!("{}{}", d.stdout, d.stderr);
    println!("{}", std::fs::read_to_string(out.join("adtte.csv")).unwrap());
    println!("{}", std::fs::read_to_string(out.join("adsl.csv")).unwrap());
}
