//! Domain types, the input schema, the rule catalogue, readers and validation for rwe.
//!
//! Every problem with user data is a [`Diagnostic`]: the file, the spreadsheet row (header = row 1), the
//! column, the value found, what was expected, and a stable rule id from the [`rule::CATALOGUE`]. The input
//! tables are defined once in [`schema::SCHEMA`]; validation reads every cell through that definition and
//! `docs/data-model.md` is generated from it.
//!
//! ```
//! use std::collections::BTreeMap;
//! use rwe_data::{Table, TableId, ValidationParams, validate_tables};
//! let patients = Table::from_csv_str("patients.csv",
//!     "USUBJID,SEX,AGE,DIAGDT,PH_STATUS\nP01,M,34,2021-07-02,NEG\nP01,F,40,02.07.2021,NGE\n").unwrap();
//! let loaded = validate_tables(&BTreeMap::from([(TableId::Patients, patients)]),
//!     &ValidationParams::default());
//! let messages: Vec<String> = loaded.diagnostics.as_slice().iter().map(|d| d.to_string()).collect();
//! assert_eq!(messages[1], "patients.csv:3: column DIAGDT: found 02.07.2021, \
//!     expected an ISO 8601 date YYYY-MM-DD (read as 2021-07-02) [DATE-NOT-ISO]");
//! assert_eq!(messages[2], "patients.csv:3: column PH_STATUS: found NGE, \
//!     expected one of POS, NEG, UNK (did you mean NEG?) [TERM-UNKNOWN]");
//! assert!(loaded.diagnostics.has_errors());
//! ```

pub use csv_writer::{CsvWriteError, write_csv, write_csv_header, write_csv_rows, write_csv_to};
pub use date::{Date, DateFormat, StudyDay, parse_date};
pub use diagnostic::{Diagnostic, Diagnostics, Location, Severity};
#[cfg(feature = "parquet")]
pub use parquet_io::{ParquetWriter, WriteError, write_parquet};
pub use record::{
    AdverseEvent, Assessment, BaselineLab, Contact, DiseaseEvent, Exposure, Genetic, Patient,
    PatientRecords, Procedure, RecordRef, StudyData,
};
pub use rule::Rule;
pub use schema::{ColumnDef, Kind, Need, TableDef, TableId};
pub use table::{
    Column, ColumnData, Format, NumberCell, RULE_COLUMN_MISSING, RULE_DUPLICATE_COLUMN,
    RULE_NOT_NUMERIC, RULE_NOT_UTF8, RULE_RAGGED_ROW, ReadError, Source, Table, closest,
    edit_distance, iso_date_from_epoch_days, read_table,
};
pub use table_files::TableFiles;
pub use term::{CtcaeGrade, SubjectId, Term, TermMatch, match_term};
pub use text_cells::TextCells;
pub use validate::{InputFiles, Loaded, ValidationParams, load, validate_tables};

/// Controlled terminology enums ([`Term`] implementations).
pub mod terms {
    pub use crate::term::{
        AeAction, AeGroup, AeOutcome, Agent, BlinaSetting, ContactDiseaseStatus, ContactType,
        DeathCause, DiscontinuationReason, DiseaseEventType, DiseaseStatus, DoseUnit, EventSource,
        GeneticFinding, GeneticMethod, GradeScale, Intensity, InvResponse, LabTimepoint, MrdMethod,
        MrdOperator, PhStatus, Population, ProcedureType, Sex, Specimen, VitalStatus, YesNo,
    };
}

pub mod rule;
pub mod schema;
pub use typed_table::{
    ColumnKind, ColumnRequest, InvalidCell, LabelColumn, NumberColumn, Numbers, RowMap,
    TypedColumn, TypedTable, fold_columns, from_table, read_columns,
};

mod csv_reader;
mod csv_writer;
mod date;
mod diagnostic;
#[cfg(feature = "parquet")]
mod parquet_io;
mod record;
mod table;
mod table_files;
mod term;
mod text_cells;
mod typed_table;
mod validate;
mod xlsx_reader;
