//! Domain types, located diagnostics and readers for rwe.
//!
//! Every problem with user data is a [`Diagnostic`]: the file, the spreadsheet row (header = row 1), the
//! column, the value found, what was expected, and a stable rule id.
//!
//! ```
//! use rwe_data::{Diagnostic, Location};
//! let d = Diagnostic::error("EX-END-BEFORE-START", Location::cell("exposures.csv", 18, "EXENDT"),
//!     "2022-01-03", "a date on or after EXSTDT 2022-01-09");
//! assert_eq!(d.to_string(), "exposures.csv:18: column EXENDT: found 2022-01-03, \
//!     expected a date on or after EXSTDT 2022-01-09 [EX-END-BEFORE-START]");
//! ```

pub use diagnostic::{Diagnostic, Diagnostics, Location, Severity};
#[cfg(feature = "parquet")]
pub use parquet_io::{WriteError, write_parquet};
pub use table::{
    Column, ColumnData, Format, NumberCell, RULE_COLUMN_MISSING, RULE_DUPLICATE_COLUMN,
    RULE_NOT_NUMERIC, RULE_NOT_UTF8, RULE_RAGGED_ROW, ReadError, Source, Table, closest,
    edit_distance, iso_date_from_epoch_days, read_table,
};
pub use typed_table::{
    ColumnKind, ColumnRequest, InvalidCell, LabelColumn, NumberColumn, Numbers, RowMap,
    TypedColumn, TypedTable, fold_columns, from_table, read_columns,
};

mod csv_reader;
mod diagnostic;
#[cfg(feature = "parquet")]
mod parquet_io;
mod table;
mod typed_table;
mod xlsx_reader;
