//! Typed study records: one struct per input table, each remembering the file and row it came from.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::date::Date;
use crate::diagnostic::Location;
use crate::schema::TableId;
use crate::term::{
    AeAction, AeGroup, AeOutcome, Agent, BlinaSetting, ContactDiseaseStatus, ContactType,
    CtcaeGrade, DeathCause, DiscontinuationReason, DiseaseEventType, DiseaseStatus, DoseUnit,
    EventSource, GeneticFinding, GeneticMethod, GradeScale, Intensity, InvResponse, LabTimepoint,
    MrdMethod, MrdOperator, PhStatus, Population, ProcedureType, Sex, Specimen, SubjectId,
    VitalStatus, YesNo,
};

/// Where a record came from: its table, file label and spreadsheet row, and its sequence number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordRef {
    /// The input table.
    pub table: TableId,
    /// File label as used in messages (`exposures.csv`, `book.xlsx[exposures]`).
    pub file: Arc<str>,
    /// Spreadsheet row (header = row 1).
    pub row: u64,
    /// The record's `--SEQ` value, when the table has one.
    pub seq: Option<i64>,
}

impl RecordRef {
    /// The location of the record (no column).
    #[must_use]
    pub fn location(&self) -> Location {
        Location {
            file: self.file.to_string(),
            row: Some(self.row),
            column: None,
        }
    }

    /// The location of one of its cells.
    #[must_use]
    pub fn cell(&self, column: &str) -> Location {
        Location::cell(self.file.as_ref(), self.row, column)
    }

    /// `--SEQ` when recorded, otherwise the spreadsheet row (what ADTTE's `SRCSEQ` holds).
    #[must_use]
    pub fn seq_or_row(&self) -> i64 {
        self.seq
            .unwrap_or_else(|| i64::try_from(self.row).unwrap_or(i64::MAX))
    }
}

/// A patient (`patients`).
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Patient {
    pub at: RecordRef,
    pub studyid: Option<String>,
    pub id: SubjectId,
    pub siteid: Option<String>,
    pub sex: Sex,
    pub brthdt: Option<Date>,
    pub age: Option<i64>,
    pub diagdt: Date,
    pub pop_recorded: Option<Population>,
    pub setting: Option<BlinaSetting>,
    pub prior_lines: Option<i64>,
    pub ph_status: PhStatus,
    pub cns_leuk: Option<YesNo>,
    pub chemo_intol: Option<YesNo>,
    pub refract_last: Option<YesNo>,
    pub dz_status_start: Option<DiseaseStatus>,
    pub lstcntdt: Option<Date>,
    pub dthdt: Option<Date>,
    pub dthcaus: Option<DeathCause>,
}

/// A baseline laboratory record (`baseline_labs`).
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct BaselineLab {
    pub at: RecordRef,
    pub subject: SubjectId,
    pub tpt: LabTimepoint,
    pub date: Option<Date>,
    pub wbc: Option<f64>,
    pub hgb: Option<f64>,
    pub plt: Option<f64>,
    pub blasts: Option<f64>,
    pub weight: Option<f64>,
}

/// A genetic finding (`genetic_findings`).
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Genetic {
    pub at: RecordRef,
    pub subject: SubjectId,
    pub finding: GeneticFinding,
    pub method: Option<GeneticMethod>,
    pub date: Option<Date>,
}

/// A drug administration record (`exposures`).
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Exposure {
    pub at: RecordRef,
    pub subject: SubjectId,
    pub agent: Agent,
    pub regimen: Option<String>,
    pub intensity: Option<Intensity>,
    pub start: Date,
    pub end: Date,
    pub cycle_no: Option<i64>,
    pub dose: Option<f64>,
    pub dose_unit: Option<DoseUnit>,
    pub dcreas: Option<DiscontinuationReason>,
}

/// A transplant or CAR-T infusion (`cellular_procedures`).
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Procedure {
    pub at: RecordRef,
    pub subject: SubjectId,
    pub kind: ProcedureType,
    pub date: Date,
    pub experimental: Option<YesNo>,
}

/// A marrow or MRD assessment (`response_assessments`).
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Assessment {
    pub at: RecordRef,
    pub subject: SubjectId,
    pub date: Date,
    pub specimen: Specimen,
    pub blasts: Option<f64>,
    pub anc: Option<f64>,
    pub plt: Option<f64>,
    pub emd: Option<YesNo>,
    pub cns: Option<YesNo>,
    pub mrd_value: Option<f64>,
    pub mrd_operator: Option<MrdOperator>,
    pub mrd_lod: Option<f64>,
    pub mrd_method: Option<MrdMethod>,
    pub inv_resp: Option<InvResponse>,
}

/// A relapse, progression or refractoriness (`disease_events`).
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct DiseaseEvent {
    pub at: RecordRef,
    pub subject: SubjectId,
    pub kind: DiseaseEventType,
    pub date: Date,
    pub source: Option<EventSource>,
}

/// An adverse event (`adverse_events`).
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct AdverseEvent {
    pub at: RecordRef,
    pub subject: SubjectId,
    pub term: String,
    pub decod: Option<String>,
    pub group: AeGroup,
    pub grade: CtcaeGrade,
    pub scale: Option<GradeScale>,
    pub start: Date,
    pub end: Option<Date>,
    pub related: Option<YesNo>,
    pub action: Option<AeAction>,
    pub outcome: Option<AeOutcome>,
}

/// A follow-up contact (`contacts`).
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Contact {
    pub at: RecordRef,
    pub subject: SubjectId,
    pub date: Date,
    pub kind: Option<ContactType>,
    pub vital: VitalStatus,
    pub dz_status: Option<ContactDiseaseStatus>,
}

/// Every record of one patient.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct PatientRecords {
    pub patient: Patient,
    pub labs: Vec<BaselineLab>,
    pub genetics: Vec<Genetic>,
    pub exposures: Vec<Exposure>,
    pub procedures: Vec<Procedure>,
    pub assessments: Vec<Assessment>,
    pub events: Vec<DiseaseEvent>,
    pub adverse_events: Vec<AdverseEvent>,
    pub contacts: Vec<Contact>,
}

impl PatientRecords {
    /// A patient with no other records.
    #[must_use]
    pub fn new(patient: Patient) -> Self {
        PatientRecords {
            patient,
            labs: Vec::new(),
            genetics: Vec::new(),
            exposures: Vec::new(),
            procedures: Vec::new(),
            assessments: Vec::new(),
            events: Vec::new(),
            adverse_events: Vec::new(),
            contacts: Vec::new(),
        }
    }

    /// Sort every list by date, then by file and row, so that derivations never depend on input order.
    pub fn sort(&mut self) {
        self.labs
            .sort_by(|a, b| (a.date, &a.at).cmp(&(b.date, &b.at)));
        self.genetics.sort_by(|a, b| a.at.cmp(&b.at));
        self.exposures
            .sort_by(|a, b| (a.start, a.end, &a.at).cmp(&(b.start, b.end, &b.at)));
        self.procedures
            .sort_by(|a, b| (a.date, &a.at).cmp(&(b.date, &b.at)));
        self.assessments
            .sort_by(|a, b| (a.date, &a.at).cmp(&(b.date, &b.at)));
        self.events
            .sort_by(|a, b| (a.date, &a.at).cmp(&(b.date, &b.at)));
        self.adverse_events
            .sort_by(|a, b| (a.start, &a.at).cmp(&(b.start, &b.at)));
        self.contacts
            .sort_by(|a, b| (a.date, &a.at).cmp(&(b.date, &b.at)));
    }
}

/// Every typed record of a study, table by table.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)]
pub struct StudyData {
    pub patients: Vec<Patient>,
    pub labs: Vec<BaselineLab>,
    pub genetics: Vec<Genetic>,
    pub exposures: Vec<Exposure>,
    pub procedures: Vec<Procedure>,
    pub assessments: Vec<Assessment>,
    pub events: Vec<DiseaseEvent>,
    pub adverse_events: Vec<AdverseEvent>,
    pub contacts: Vec<Contact>,
}

impl StudyData {
    /// Split into one [`PatientRecords`] per patient, keyed and ordered by subject id. Records of subjects
    /// that are not in `patients` are dropped (validation reports them as `REC-UNKNOWN-SUBJECT`); of two
    /// patients with the same id the first row is kept (`PT-DUPLICATE-ID`).
    ///
    /// Each table is handed out at once: its records are counted per patient first, so that every
    /// patient's list is allocated at its exact size (a cohort of millions holds its records once, without
    /// the slack of growing lists).
    #[must_use]
    pub fn into_patients(self) -> BTreeMap<SubjectId, PatientRecords> {
        let mut patients = self.patients;
        patients.sort_by(|a, b| a.at.cmp(&b.at));
        // Position of each patient in `out`; looked up, never iterated.
        let mut slot: HashMap<SubjectId, usize> = HashMap::with_capacity(patients.len());
        let mut out: Vec<PatientRecords> = Vec::with_capacity(patients.len());
        for p in patients {
            if !slot.contains_key(&p.id) {
                slot.insert(p.id.clone(), out.len());
                out.push(PatientRecords::new(p));
            }
        }
        macro_rules! distribute {
            ($field:ident) => {
                let owner: Vec<Option<usize>> = self
                    .$field
                    .iter()
                    .map(|r| slot.get(&r.subject).copied())
                    .collect();
                let mut count = vec![0usize; out.len()];
                for &o in owner.iter().flatten() {
                    count[o] += 1;
                }
                for (p, &n) in out.iter_mut().zip(&count) {
                    p.$field.reserve_exact(n);
                }
                for (r, o) in self.$field.into_iter().zip(owner) {
                    if let Some(o) = o {
                        out[o].$field.push(r);
                    }
                }
            };
        }
        distribute!(labs);
        distribute!(genetics);
        distribute!(exposures);
        distribute!(procedures);
        distribute!(assessments);
        distribute!(events);
        distribute!(adverse_events);
        distribute!(contacts);
        drop(slot);
        let mut out: BTreeMap<SubjectId, PatientRecords> =
            out.into_iter().map(|p| (p.patient.id.clone(), p)).collect();
        for p in out.values_mut() {
            p.sort();
        }
        out
    }
}
