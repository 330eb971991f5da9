//! Derivations of the seed study: from typed patient records and a study spec to the analysis datasets
//! ADSL, ADRS, ADTTE and ADAE, every value with a trace naming its rule and its source records.
//!
//! Each patient is derived by [`derive_patient`], a pure function of that patient's records and the spec:
//! no state is shared between patients, so a cohort may be derived whole, one patient at a time, or
//! partitioned across machines, with the same rows. [`derive_partitioned`] derives a large cohort that
//! way on all cores, partition by partition, without holding every derivation at once.
//!
//! ```
//! use std::collections::BTreeMap;
//! use rwe_data::{Table, TableId, validate_tables};
//! let spec = rwe_spec::StudySpec::from_toml_str("study.toml", "[study]\nid = \"S\"\n\
//!     enrolment_start = 2021-08-01\nenrolment_end = 2023-06-30\ndata_cutoff = 2023-07-31\n\
//!     [inputs]\npatients = \"p.csv\"\nexposures = \"e.csv\"\n").unwrap();
//! let tables = BTreeMap::from([
//!     (TableId::Patients, Table::from_csv_str("patients.csv",
//!         "USUBJID,SEX,AGE,DIAGDT,PH_STATUS,DTHDT\nP1,F,40,2022-01-02,NEG,2022-02-20\n").unwrap()),
//!     (TableId::Exposures, Table::from_csv_str("exposures.csv",
//!         "USUBJID,AGENT,EXSTDT,EXENDT\nP1,BLINATUMOMAB,2022-02-01,2022-02-10\n").unwrap()),
//! ]);
//! let loaded = validate_tables(&tables, &spec.validation_params());
//! let cohort = rwe_derive::derive_cohort(loaded.data, &spec);
//! let efs = &cohort.patients[0].adtte[0];
//! // Died on day 20 without a CR: a treatment failure at day 1.
//! assert_eq!((efs.paramcd, efs.aval, efs.cnsr), ("EFS", 1, 0));
//! assert_eq!(efs.trace.rule, "D-EFS-FAILURE");
//! ```

pub use adam::{
    ADSL_VARS, AdaeRow, AdrsRow, Adsl, AdtteRow, ColType, Datasets, PatientDerivation, Value, Var,
};
pub use catalogue::{DERIVATIONS, Derivation};
pub use cycles::{Cycle, cycles};
pub use partition::{DatasetWriter, Derived, PARTITION_PATIENTS, derive_partitioned};
pub use patient::derive_patient;
pub use response::{MrdResult, Response};
pub use trace::Trace;

pub mod catalogue;
pub mod commands;

mod adam;
mod cycles;
mod explain;
mod partition;
mod patient;
mod pretherapy;
mod response;
mod trace;

use rwe_data::{Diagnostic, StudyData};
use rwe_spec::StudySpec;

/// A derived cohort: every patient's derivation, in subject-id order, and the derivation's warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    /// One derivation per patient.
    pub patients: Vec<PatientDerivation>,
    /// Warnings from all patients, sorted by file, row and column.
    pub diagnostics: Vec<Diagnostic>,
}

impl Cohort {
    /// The analysis datasets as tables.
    #[must_use]
    pub fn datasets(&self, study_id: &str) -> Datasets {
        Datasets::new(study_id, &self.patients)
    }
}

/// Derive every patient of a study (records of unknown subjects are ignored; validation reports them).
#[must_use]
pub fn derive_cohort(data: StudyData, spec: &StudySpec) -> Cohort {
    let patients: Vec<PatientDerivation> = data
        .into_patients()
        .values()
        .map(|records| derive_patient(records, spec))
        .collect();
    let mut diagnostics: Vec<Diagnostic> = patients
        .iter()
        .flat_map(|p| p.diagnostics.iter().cloned())
        .collect();
    diagnostics.sort();
    Cohort {
        patients,
        diagnostics,
    }
}
