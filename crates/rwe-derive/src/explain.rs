//! `rwe explain`: every derived value of one patient with the rule that produced it and its source records.

use std::fmt::Write as _;

use crate::adam::{AdtteRow, PatientDerivation};
use crate::catalogue;
use crate::trace::Trace;

/// ADSL variables that feed each endpoint, shown with `--endpoint`.
fn inputs_of(paramcd: &str) -> &'static [&'static str] {
    match paramcd {
        "EFS" | "EFSCEN" => &[
            "TRTSDT", "TRTEDT", "DZSTBL", "CRSTFL", "CRWK12", "NEWTHDT", "HSCTDT", "CARTDT",
            "DTHDT", "LSTALVDT",
        ],
        "OS" => &["TRTSDT", "DTHDT", "LSTALVDT"],
        "RFS" => &["TRTSDT", "CRSTFL", "CRCRI", "CRDT", "DTHDT", "LSTALVDT"],
        "DOR" => &["TRTSDT", "CRSTFL", "CRDT", "MRDOVFL", "DTHDT", "LSTALVDT"],
        _ => &[],
    }
}

fn trace_lines(out: &mut String, indent: &str, t: &Trace) {
    let _ = writeln!(out, "{indent}rule {}: {}", t.rule, t.why);
    if !t.sources.is_empty() {
        let _ = writeln!(out, "{indent}from {}", t.sources_text());
    }
}

fn tte_line(r: &AdtteRow) -> String {
    let what = match (r.evntdesc, r.cnsdtdsc) {
        (Some(e), _) => format!("event: {e}"),
        (None, Some(c)) => format!("censored: {c}"),
        (None, None) => String::new(),
    };
    format!(
        "{} = {} day{} ({:.2} months), CNSR {}, STARTDT {}, ADT {}, {what}",
        r.paramcd,
        r.aval,
        if r.aval == 1 { "" } else { "s" },
        r.avalmo,
        r.cnsr,
        r.startdt,
        r.adt
    )
}

/// The definitions of the rules cited in `text` (lines `rule ID: …`), each once, in catalogue order.
fn definitions(text: &str) -> String {
    let mut out = String::from("\nRules cited\n");
    for d in catalogue::DERIVATIONS {
        if text.contains(&format!("rule {}:", d.id)) {
            let _ = writeln!(out, "  {}: {}", d.id, d.definition);
        }
    }
    out
}

/// The explanation of one patient, all datasets or one endpoint (`EFS`, `EFSCEN`, `OS`, `RFS`, `DOR`).
#[must_use]
pub fn explain(p: &PatientDerivation, endpoint: Option<&str>) -> String {
    let mut out = body(p, endpoint);
    let defs = definitions(&out);
    out.push_str(&defs);
    out
}

fn body(p: &PatientDerivation, endpoint: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Subject {}", p.adsl.subject);
    if let Some(endpoint) = endpoint {
        let code = endpoint.to_ascii_uppercase();
        let rows: Vec<&AdtteRow> = p.adtte.iter().filter(|r| r.paramcd == code).collect();
        if rows.is_empty() {
            let _ = writeln!(out, "\n{code}: not derived for this patient");
        }
        for r in rows {
            let _ = writeln!(out, "\n{}", tte_line(r));
            trace_lines(&mut out, "  ", &r.trace);
        }
        let _ = writeln!(out, "\nfrom ADSL:");
        for name in inputs_of(&code) {
            if let Some(v) = p.adsl.get(name) {
                let _ = writeln!(out, "  {name} = {}", display(&v.value.display()));
                trace_lines(&mut out, "    ", &v.trace);
            }
        }
        return out;
    }
    let _ = writeln!(out, "\nADSL");
    for v in p.adsl.vars() {
        let _ = writeln!(out, "  {} = {}", v.name, display(&v.value.display()));
        trace_lines(&mut out, "    ", &v.trace);
    }
    if !p.adtte.is_empty() {
        let _ = writeln!(out, "\nADTTE");
        for r in &p.adtte {
            let _ = writeln!(out, "  {}", tte_line(r));
            trace_lines(&mut out, "    ", &r.trace);
        }
    }
    if !p.adrs.is_empty() {
        let _ = writeln!(out, "\nADRS");
        for r in &p.adrs {
            let at = r.adt.map(|d| format!(" on {d}")).unwrap_or_default();
            let _ = writeln!(out, "  {} = {}{at}", r.paramcd, r.avalc);
            trace_lines(&mut out, "    ", &r.trace);
        }
    }
    if !p.adae.is_empty() {
        let _ = writeln!(out, "\nADAE");
        for r in &p.adae {
            let _ = writeln!(
                out,
                "  AESEQ {} {} grade {} TRTEMFL {}",
                r.aeseq,
                r.aeterm,
                r.atoxgrn,
                if r.trtemfl { "Y" } else { "N" }
            );
            trace_lines(&mut out, "    ", &r.trace);
        }
    }
    out
}

fn display(s: &str) -> &str {
    if s.is_empty() { "(missing)" } else { s }
}
