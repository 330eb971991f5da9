//! Response per bone-marrow assessment (CR, CRi, NR, relapse; R8) and MRD negativity (R9).

use std::fmt;

use rwe_data::terms::{MrdOperator, YesNo};
use rwe_data::{Assessment, Term};
use rwe_spec::StudySpec;

/// Response at one bone-marrow assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Response {
    /// Complete remission with count recovery.
    Cr,
    /// Complete remission with incomplete count recovery.
    Cri,
    /// Remission whose counts are missing: a responder, CR and CRi undetermined.
    CrOrCri,
    /// No response.
    NoResponse,
    /// Relapse after remission.
    Relapse,
    /// Not evaluable (no blast count).
    NotEvaluable,
}

impl Response {
    /// The ADRS `AVALC`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Response::Cr => "CR",
            Response::Cri => "CRI",
            Response::CrOrCri => "CR/CRI",
            Response::NoResponse => "NR",
            Response::Relapse => "RELAPSE",
            Response::NotEvaluable => "NE",
        }
    }

    /// True for CR, CRi and CR/CRi.
    #[must_use]
    pub fn is_remission(self) -> bool {
        matches!(self, Response::Cr | Response::Cri | Response::CrOrCri)
    }

    /// Rank for best response: lower is better (CR > CRI > CR/CRI > NR > NE; relapse ranks with NR).
    #[must_use]
    pub fn rank(self) -> u8 {
        match self {
            Response::Cr => 0,
            Response::Cri => 1,
            Response::CrOrCri => 2,
            Response::NoResponse | Response::Relapse => 3,
            Response::NotEvaluable => 4,
        }
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Whether a marrow shows remission (blasts at or below the limit, no extramedullary disease); `None` when
/// the blasts are not recorded.
#[must_use]
pub fn marrow_in_remission(a: &Assessment, spec: &StudySpec) -> Option<bool> {
    let blasts = a.blasts?;
    Some(blasts <= spec.response.cr_blast_max_pct && a.emd != Some(YesNo::Y))
}

/// The response at one assessment, knowing whether the patient was in remission before it.
#[must_use]
pub fn classify(a: &Assessment, was_in_remission: bool, spec: &StudySpec) -> Response {
    if a.emd == Some(YesNo::Y) {
        return if was_in_remission {
            Response::Relapse
        } else {
            Response::NoResponse
        };
    }
    match marrow_in_remission(a, spec) {
        None => Response::NotEvaluable,
        Some(false) if was_in_remission => Response::Relapse,
        Some(false) => Response::NoResponse,
        Some(true) => match (a.anc, a.plt) {
            (Some(anc), Some(plt)) => {
                if anc >= spec.response.anc_min && plt >= spec.response.plt_min {
                    Response::Cr
                } else {
                    Response::Cri
                }
            }
            _ => Response::CrOrCri,
        },
    }
}

/// MRD at one assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MrdResult {
    /// Below the threshold by an accepted method, without CNS involvement.
    Negative,
    /// At or above the threshold (or CNS involvement).
    Positive,
    /// Not usable: method not accepted, or below a limit of detection above the threshold.
    NotEvaluable,
}

impl MrdResult {
    /// The ADRS `AVALC`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            MrdResult::Negative => "NEGATIVE",
            MrdResult::Positive => "POSITIVE",
            MrdResult::NotEvaluable => "NE",
        }
    }
}

/// MRD at an assessment, `None` when it has no MRD.
#[must_use]
pub fn mrd(a: &Assessment, spec: &StudySpec) -> Option<MrdResult> {
    if a.mrd_value.is_none() && a.mrd_operator != Some(MrdOperator::Lt) {
        return None;
    }
    let accepted = a.mrd_method.is_none_or(|m| spec.mrd.methods.contains(&m));
    if !accepted {
        return Some(MrdResult::NotEvaluable);
    }
    let threshold = spec.mrd.threshold;
    let below = match a.mrd_operator {
        Some(MrdOperator::Lt) => match a.mrd_lod.or(a.mrd_value) {
            Some(lod) if lod <= threshold => true,
            _ => return Some(MrdResult::NotEvaluable),
        },
        _ => a.mrd_value.is_some_and(|v| v < threshold),
    };
    if below && a.cns != Some(YesNo::Y) {
        Some(MrdResult::Negative)
    } else {
        Some(MrdResult::Positive)
    }
}

/// A short description of an assessment for traces: `2022-05-23 (day 84): blasts 2 %, ANC 0.8, PLT 120`.
#[must_use]
pub fn describe(a: &Assessment) -> String {
    let mut parts = Vec::new();
    if let Some(b) = a.blasts {
        parts.push(format!("blasts {b} %"));
    }
    if let Some(x) = a.anc {
        parts.push(format!("ANC {x}"));
    }
    if let Some(x) = a.plt {
        parts.push(format!("PLT {x}"));
    }
    if a.emd == Some(YesNo::Y) {
        parts.push("extramedullary disease".into());
    }
    if let Some(v) = a.mrd_value {
        let op = if a.mrd_operator == Some(MrdOperator::Lt) {
            "<"
        } else {
            ""
        };
        parts.push(format!(
            "MRD {op}{v}{}",
            a.mrd_method
                .map(|m| format!(" {}", m.as_str()))
                .unwrap_or_default()
        ));
    } else if a.mrd_operator == Some(MrdOperator::Lt) {
        parts.push(format!(
            "MRD < LOD {}",
            a.mrd_lod.map(|x| x.to_string()).unwrap_or_default()
        ));
    }
    parts.join(", ")
}
