//! Therapy before blinatumomab (`PRETXGR`): what the patient received between the event that led to
//! blinatumomab and its first infusion — the paper's "concurrent therapies" paragraph (low-intensity
//! prephase, intensive chemotherapy, TKIs, bridging CAR-T or transplant, or blinatumomab directly).

use rwe_data::terms::{Agent, Intensity, ProcedureType};
use rwe_data::{Date, PatientRecords, RecordRef, Term};

use crate::adam::{Adsl, Value};
use crate::catalogue as d;
use crate::trace::Trace;

/// The components of `PRETXGR`, in the order they are joined.
const ORDER: [&str; 8] = [
    "CHEMO_HIGH",
    "CHEMO_LOW",
    "CHEMO",
    "TKI",
    "INO",
    "CAR-T",
    "ALLO-HSCT",
    "AUTO-HSCT",
];

/// The category of one exposure, if it is therapy of the leukaemia (blinatumomab itself and
/// premedication are not).
fn exposure_category(agent: Agent, intensity: Option<Intensity>) -> Option<&'static str> {
    match agent {
        Agent::Chemo => Some(match intensity {
            Some(Intensity::High) => "CHEMO_HIGH",
            Some(Intensity::Low) => "CHEMO_LOW",
            None => "CHEMO",
        }),
        Agent::TkiImatinib
        | Agent::TkiDasatinib
        | Agent::TkiPonatinib
        | Agent::TkiOlverembatinib
        | Agent::TkiOther => Some("TKI"),
        Agent::Inotuzumab => Some("INO"),
        Agent::Blinatumomab | Agent::DexamethasonePremed => None,
    }
}

/// The first day of the pre-blinatumomab window: the latest relapse, progression or refractoriness
/// before `trtsdt`, or the diagnosis without one.
fn window_start(records: &PatientRecords, trtsdt: Date) -> (Date, String, RecordRef) {
    let event = records
        .events
        .iter()
        .filter(|e| e.date < trtsdt)
        .max_by_key(|e| (e.date, e.at.clone()));
    match event {
        Some(e) => (
            e.date,
            format!("{} {}", e.kind.as_str(), e.date),
            e.at.clone(),
        ),
        None => (
            records.patient.diagdt,
            format!("DIAGDT {}", records.patient.diagdt),
            records.patient.at.clone(),
        ),
    }
}

/// Sets `PRETXGR`: the categories of therapy started on or after the window start and before TRTSDT,
/// joined by `+` in a fixed order, or `NONE`.
pub(crate) fn pre_therapy(records: &PatientRecords, trtsdt: Date, adsl: &mut Adsl) {
    let (from, from_why, from_ref) = window_start(records, trtsdt);
    let in_window = |date: Date| date >= from && date < trtsdt;
    let mut found: Vec<(&'static str, RecordRef)> = Vec::new();
    for e in records.exposures.iter().filter(|e| in_window(e.start)) {
        if let Some(cat) = exposure_category(e.agent, e.intensity) {
            found.push((cat, e.at.clone()));
        }
    }
    for x in records.procedures.iter().filter(|x| in_window(x.date)) {
        let cat = match x.kind {
            ProcedureType::CarT => "CAR-T",
            ProcedureType::AlloHsct => "ALLO-HSCT",
            ProcedureType::AutoHsct => "AUTO-HSCT",
        };
        found.push((cat, x.at.clone()));
    }
    let parts: Vec<&str> = ORDER
        .iter()
        .copied()
        .filter(|c| found.iter().any(|(f, _)| f == c))
        .collect();
    let value = if parts.is_empty() {
        "NONE".to_string()
    } else {
        parts.join("+")
    };
    let mut sources = vec![from_ref];
    sources.extend(found.into_iter().map(|(_, at)| at));
    adsl.set(
        "PRETXGR",
        Value::Text(value),
        Trace::new(
            d::PRE_THERAPY,
            format!("therapy started from {from_why} to before TRTSDT {trtsdt}"),
            sources,
        ),
    );
}
