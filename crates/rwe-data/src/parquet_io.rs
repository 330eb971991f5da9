//! Parquet input and output through arrow-rs, reading only the columns asked for.

use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::table::{Column, ColumnData, ReadError, Table};
use crate::text_cells::TextCells;
use crate::typed_table::{
    Cell, ColumnRequest, Part, PartColumn, TypedTable, date_text, finish, wanted_kinds,
};

fn malformed(label: &str, reason: impl ToString) -> ReadError {
    ReadError::Malformed {
        path: label.to_string(),
        format: "Parquet",
        reason: reason.to_string(),
    }
}

pub(crate) fn read_parquet(
    path: &Path,
    label: &str,
    wanted: Option<&[&str]>,
) -> Result<Table, ReadError> {
    let file = std::fs::File::open(path).map_err(|source| ReadError::Io {
        path: label.to_string(),
        source,
    })?;
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| malformed(label, e))?;
    let headers: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let fields: Vec<(usize, String, DataType)> = builder
        .schema()
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| wanted.is_none_or(|w| w.contains(&f.name().as_str())))
        .map(|(i, f)| (i, f.name().clone(), f.data_type().clone()))
        .collect();
    let mask = ProjectionMask::roots(builder.parquet_schema(), fields.iter().map(|(i, _, _)| *i));
    let n_rows = usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
    let reader = builder
        .with_projection(mask)
        .with_batch_size(1 << 16)
        .build()
        .map_err(|e| malformed(label, e))?;
    let mut columns: Vec<Column> = fields
        .iter()
        .map(|(_, name, dt)| {
            Ok(Column {
                name: name.clone(),
                data: empty_column(dt, n_rows).ok_or_else(|| unsupported(label, name, dt))?,
            })
        })
        .collect::<Result<_, ReadError>>()?;
    for batch in reader {
        let batch = batch.map_err(|e| malformed(label, e))?;
        for (slot, column) in columns.iter_mut().enumerate() {
            append(&mut column.data, batch.column(slot).as_ref())
                .ok_or_else(|| unsupported(label, &column.name, batch.column(slot).data_type()))?;
        }
    }
    Ok(Table::from_columns(label, columns)?.with_headers(headers))
}

/// The projected columns of a Parquet file, checked, with the row groups split over the cores.
struct ParquetPlan<'p> {
    path: &'p Path,
    label: &'p str,
    headers: Vec<String>,
    roots: Vec<usize>,
    metadata: Arc<parquet::file::metadata::ParquetMetaData>,
    /// Row groups of each partition, contiguous and in file order.
    ranges: Vec<Vec<usize>>,
}

impl<'p> ParquetPlan<'p> {
    fn new(
        path: &'p Path,
        label: &'p str,
        wanted: &[ColumnRequest<'_>],
    ) -> Result<Self, ReadError> {
        let builder = open_parquet(path, label)?;
        let headers: Vec<String> = builder
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let missing: Vec<_> = wanted
            .iter()
            .filter(|w| !headers.iter().any(|h| h == w.name))
            .map(|w| crate::table::missing_column_diagnostic(label, &headers, w.name))
            .collect();
        if !missing.is_empty() {
            return Err(ReadError::Invalid(missing));
        }
        for f in builder.schema().fields() {
            if wanted.iter().any(|w| w.name == f.name()) && empty_column(f.data_type(), 0).is_none()
            {
                return Err(unsupported(label, f.name(), f.data_type()));
            }
        }
        let roots: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| wanted.iter().any(|w| w.name == h.as_str()))
            .map(|(i, _)| i)
            .collect();
        let metadata = builder.metadata().clone();
        let n_groups = metadata.num_row_groups();
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let parts = threads.min(n_groups).max(1);
        let ranges = (0..parts)
            .map(|k| (n_groups * k / parts..n_groups * (k + 1) / parts).collect())
            .collect();
        Ok(ParquetPlan {
            path,
            label,
            headers,
            roots,
            metadata,
            ranges,
        })
    }

    fn rows_in(&self, groups: &[usize]) -> usize {
        groups
            .iter()
            .map(|&g| usize::try_from(self.metadata.row_group(g).num_rows()).unwrap_or(0))
            .sum()
    }

    /// Decodes the row groups of one partition batch by batch, appending to `part` and calling
    /// `each(part)` after each batch.
    fn read_range(
        &self,
        groups: &[usize],
        wanted: &[ColumnRequest<'_>],
        part: &mut Part,
        mut each: impl FnMut(&mut Part) -> Result<(), ReadError>,
    ) -> Result<(), ReadError> {
        let builder = open_parquet(self.path, self.label)?;
        let mask = ProjectionMask::roots(builder.parquet_schema(), self.roots.iter().copied());
        let reader = builder
            .with_projection(mask)
            .with_row_groups(groups.to_vec())
            .with_batch_size(1 << 16)
            .build()
            .map_err(|e| malformed(self.label, e))?;
        for batch in reader {
            let batch = batch.map_err(|e| malformed(self.label, e))?;
            for (slot, w) in wanted.iter().enumerate() {
                let Some(array) = batch.column_by_name(w.name) else {
                    continue;
                };
                append_typed(&mut part.columns[slot], array.as_ref())
                    .ok_or_else(|| unsupported(self.label, w.name, array.data_type()))?;
            }
            part.rows += batch.num_rows();
            each(part)?;
        }
        Ok(())
    }
}

fn open_parquet(
    path: &Path,
    label: &str,
) -> Result<ParquetRecordBatchReaderBuilder<std::fs::File>, ReadError> {
    let file = std::fs::File::open(path).map_err(|source| ReadError::Io {
        path: label.to_string(),
        source,
    })?;
    ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| malformed(label, e))
}

/// Runs `f` on every partition, on its own scoped thread when there is more than one.
fn on_threads<P: Sync, R: Send>(
    parts: &[P],
    label: &str,
    f: impl Fn(&P) -> Result<R, ReadError> + Sync,
) -> Result<Vec<R>, ReadError> {
    if parts.len() <= 1 {
        return parts.iter().map(&f).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts.iter().map(|p| scope.spawn(|| f(p))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(malformed(label, "a decoding thread stopped unexpectedly"))
                })
            })
            .collect()
    })
}

/// Typed columns of a Parquet file: the projected columns decoded row group by row group, the row
/// groups split over the available cores, numbers kept as numbers.
pub(crate) fn read_parquet_columns(
    path: &Path,
    label: &str,
    wanted: &[ColumnRequest<'_>],
) -> Result<TypedTable, ReadError> {
    let plan = ParquetPlan::new(path, label, wanted)?;
    let parts = on_threads(&plan.ranges, label, |groups| {
        let mut part = Part::new(wanted_kinds(wanted));
        let rows = plan.rows_in(groups);
        for c in &mut part.columns {
            c.reserve(rows);
        }
        plan.read_range(groups, wanted, &mut part, |_| Ok(()))?;
        Ok(part)
    })?;
    finish(label, &plan.headers, wanted, Vec::new(), parts, 2)
}

/// Reads the requested columns of a Parquet file batch by batch on every core, without keeping
/// them: each partition of row groups starts from `init()` and `fold`s each batch (a
/// [`TypedTable`] of up to 65 536 records whose row numbers are those of the file) into it. The
/// states come back in file order.
pub(crate) fn fold_parquet_columns<S: Send>(
    path: &Path,
    label: &str,
    wanted: &[ColumnRequest<'_>],
    init: &(dyn Fn() -> S + Sync),
    fold: &(dyn Fn(&mut S, TypedTable) + Sync),
) -> Result<Vec<S>, ReadError> {
    let plan = ParquetPlan::new(path, label, wanted)?;
    let firsts: Vec<usize> = plan
        .ranges
        .iter()
        .scan(0, |before, groups| {
            let first = *before;
            *before += plan.rows_in(groups);
            Some(first)
        })
        .collect();
    let work: Vec<(usize, &Vec<usize>)> = firsts.into_iter().zip(&plan.ranges).collect();
    on_threads(&work, label, |&(first, groups)| {
        let mut state = init();
        let mut offset = first;
        let mut part = Part::new(wanted_kinds(wanted));
        plan.read_range(groups, wanted, &mut part, |part| {
            let batch = std::mem::replace(part, Part::new(wanted_kinds(wanted)));
            let rows = batch.rows;
            let table = finish(
                label,
                &plan.headers,
                wanted,
                Vec::new(),
                vec![batch],
                2 + offset as u64,
            )?;
            fold(&mut state, table);
            offset += rows;
            Ok(())
        })?;
        Ok(state)
    })
}

/// Appends one Arrow array to a partition column; `None` for a type rwe does not read.
fn append_typed(out: &mut PartColumn, a: &dyn Array) -> Option<()> {
    macro_rules! ints {
        ($t:ty) => {{
            let arr = a.as_primitive_opt::<$t>()?;
            for i in 0..arr.len() {
                out.push_cell(if arr.is_valid(i) {
                    Cell::Int(i64::try_from(arr.value(i)).unwrap_or(i64::MAX))
                } else {
                    Cell::Missing
                });
            }
        }};
    }
    match a.data_type() {
        DataType::Int32 => {
            let arr = a.as_primitive_opt::<Int32Type>()?;
            if arr.null_count() == 0 {
                out.extend_i32(arr.values());
            } else {
                for i in 0..arr.len() {
                    out.push_cell(if arr.is_valid(i) {
                        Cell::Int(i64::from(arr.value(i)))
                    } else {
                        Cell::Missing
                    });
                }
            }
        }
        DataType::Int8 => ints!(Int8Type),
        DataType::Int16 => ints!(Int16Type),
        DataType::Int64 => ints!(Int64Type),
        DataType::UInt8 => ints!(UInt8Type),
        DataType::UInt16 => ints!(UInt16Type),
        DataType::UInt32 => ints!(UInt32Type),
        DataType::UInt64 => ints!(UInt64Type),
        DataType::Float64 | DataType::Float32 => {
            let values: Vec<Option<f64>> = match a.data_type() {
                DataType::Float64 => a.as_primitive_opt::<Float64Type>()?.iter().collect(),
                _ => a
                    .as_primitive_opt::<Float32Type>()?
                    .iter()
                    .map(|x| x.map(f64::from))
                    .collect(),
            };
            for x in values {
                out.push_cell(x.map_or(Cell::Missing, Cell::Float));
            }
        }
        DataType::Boolean => {
            let arr = a.as_boolean_opt()?;
            for i in 0..arr.len() {
                out.push_cell(if arr.is_valid(i) {
                    Cell::Int(i64::from(arr.value(i)))
                } else {
                    Cell::Missing
                });
            }
        }
        DataType::Date32 => {
            let arr = a.as_primitive_opt::<Date32Type>()?;
            for i in 0..arr.len() {
                out.push_cell(if arr.is_valid(i) {
                    Cell::Other(date_text(arr.value(i)))
                } else {
                    Cell::Missing
                });
            }
        }
        DataType::Utf8 => {
            for x in a.as_string_opt::<i32>()? {
                out.push_cell(x.map_or(Cell::Missing, Cell::Text));
            }
        }
        DataType::LargeUtf8 => {
            for x in a.as_string_opt::<i64>()? {
                out.push_cell(x.map_or(Cell::Missing, Cell::Text));
            }
        }
        DataType::Utf8View => {
            for x in a.as_string_view_opt()? {
                out.push_cell(x.map_or(Cell::Missing, Cell::Text));
            }
        }
        _ => return None,
    }
    Some(())
}

fn unsupported(label: &str, name: &str, dt: &DataType) -> ReadError {
    malformed(
        label,
        format!("column {name} has type {dt}, expected numbers, text, booleans or dates"),
    )
}

fn empty_column(dt: &DataType, cap: usize) -> Option<ColumnData> {
    Some(match dt {
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            ColumnData::Float(Vec::with_capacity(cap))
        }
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => ColumnData::Int(Vec::with_capacity(cap)),
        DataType::Boolean => ColumnData::Bool(Vec::with_capacity(cap)),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            ColumnData::Text(TextCells::with_capacity(cap))
        }
        DataType::Date32 => ColumnData::Date(Vec::with_capacity(cap)),
        _ => return None,
    })
}

fn append(out: &mut ColumnData, a: &dyn Array) -> Option<()> {
    macro_rules! prim {
        ($v:expr, $t:ty, $conv:expr) => {{
            let arr = a.as_primitive_opt::<$t>()?;
            $v.extend((0..arr.len()).map(|i| arr.is_valid(i).then(|| $conv(arr.value(i)))));
        }};
    }
    match (out, a.data_type()) {
        (ColumnData::Float(v), DataType::Float64) => prim!(v, Float64Type, |x: f64| x),
        (ColumnData::Float(v), DataType::Float32) => prim!(v, Float32Type, f64::from),
        (ColumnData::Int(v), DataType::Int8) => prim!(v, Int8Type, i64::from),
        (ColumnData::Int(v), DataType::Int16) => prim!(v, Int16Type, i64::from),
        (ColumnData::Int(v), DataType::Int32) => prim!(v, Int32Type, i64::from),
        (ColumnData::Int(v), DataType::Int64) => prim!(v, Int64Type, |x: i64| x),
        (ColumnData::Int(v), DataType::UInt8) => prim!(v, UInt8Type, i64::from),
        (ColumnData::Int(v), DataType::UInt16) => prim!(v, UInt16Type, i64::from),
        (ColumnData::Int(v), DataType::UInt32) => prim!(v, UInt32Type, i64::from),
        (ColumnData::Int(v), DataType::UInt64) => {
            prim!(v, UInt64Type, |x: u64| i64::try_from(x).unwrap_or(i64::MAX))
        }
        (ColumnData::Date(v), DataType::Date32) => prim!(v, Date32Type, |x: i32| x),
        (ColumnData::Bool(v), DataType::Boolean) => {
            let arr = a.as_boolean_opt()?;
            v.extend((0..arr.len()).map(|i| arr.is_valid(i).then(|| arr.value(i))));
        }
        (ColumnData::Text(v), DataType::Utf8) => {
            let arr = a.as_string_opt::<i32>()?;
            for i in 0..arr.len() {
                v.push(arr.is_valid(i).then(|| arr.value(i)));
            }
        }
        (ColumnData::Text(v), DataType::LargeUtf8) => {
            let arr = a.as_string_opt::<i64>()?;
            for i in 0..arr.len() {
                v.push(arr.is_valid(i).then(|| arr.value(i)));
            }
        }
        (ColumnData::Text(v), DataType::Utf8View) => {
            let arr = a.as_string_view_opt()?;
            for i in 0..arr.len() {
                v.push(arr.is_valid(i).then(|| arr.value(i)));
            }
        }
        _ => return None,
    }
    Some(())
}

/// Why a Parquet file (or the CSV beside it, [`crate::TableFiles`]) could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file could not be created or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The Parquet encoder failed.
    #[error("{path}: could not write Parquet: {reason}")]
    Encode {
        /// The file.
        path: String,
        /// The encoder's reason.
        reason: String,
    },
}

/// Write a table as Parquet (zstd), one column per table column with its natural Arrow type.
///
/// # Errors
/// [`WriteError`] when the file cannot be created or encoded.
pub fn write_parquet(path: &Path, table: &Table) -> Result<(), WriteError> {
    let mut writer = ParquetWriter::create(path, table)?;
    writer.write(table)?;
    writer.finish()
}

/// A Parquet file written in parts: a table too large to hold at once is written as a sequence of
/// tables with the same columns (for example a few thousand patients at a time). One part gives the
/// bytes of [`write_parquet`]; the same parts always give the same bytes.
pub struct ParquetWriter {
    label: String,
    schema: Arc<Schema>,
    writer: ArrowWriter<std::fs::File>,
}

impl std::fmt::Debug for ParquetWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetWriter")
            .field("path", &self.label)
            .finish_non_exhaustive()
    }
}

impl ParquetWriter {
    /// Create the file, with the columns (names and types) of `like`; no row is written yet.
    ///
    /// # Errors
    /// [`WriteError`] when the file cannot be created.
    pub fn create(path: &Path, like: &Table) -> Result<ParquetWriter, WriteError> {
        let label = path.display().to_string();
        let fields: Vec<Field> = like
            .columns()
            .iter()
            .map(|c| Field::new(&c.name, arrow_type(&c.data), true))
            .collect();
        let schema = Arc::new(Schema::new(fields));
        let file = std::fs::File::create(path).map_err(|source| WriteError::Io {
            path: label.clone(),
            source,
        })?;
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_created_by(format!("rwe {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props))
            .map_err(|e| encode(&label, &e))?;
        Ok(ParquetWriter {
            label,
            schema,
            writer,
        })
    }

    /// Append the rows of `part`, which has the columns the writer was created with.
    ///
    /// # Errors
    /// [`WriteError::Encode`] when the columns differ or encoding fails.
    pub fn write(&mut self, part: &Table) -> Result<(), WriteError> {
        let arrays: Vec<ArrayRef> = part
            .columns()
            .iter()
            .map(|c| arrow_array(&c.data))
            .collect();
        let batch = if arrays.is_empty() {
            RecordBatch::new_empty(self.schema.clone())
        } else {
            RecordBatch::try_new(self.schema.clone(), arrays)
                .map_err(|e| encode(&self.label, &e))?
        };
        self.writer
            .write(&batch)
            .map_err(|e| encode(&self.label, &e))
    }

    /// Write the footer and close the file.
    ///
    /// # Errors
    /// [`WriteError::Encode`] when encoding fails.
    pub fn finish(self) -> Result<(), WriteError> {
        let label = self.label;
        self.writer.close().map_err(|e| encode(&label, &e))?;
        Ok(())
    }
}

fn encode(label: &str, e: &dyn std::fmt::Display) -> WriteError {
    WriteError::Encode {
        path: label.to_string(),
        reason: e.to_string(),
    }
}

/// The Arrow type a column is written as.
fn arrow_type(data: &ColumnData) -> DataType {
    match data {
        ColumnData::Text(_) => DataType::Utf8,
        ColumnData::Float(_) => DataType::Float64,
        ColumnData::Int(_) => DataType::Int64,
        ColumnData::Bool(_) => DataType::Boolean,
        ColumnData::Date(_) => DataType::Date32,
    }
}

/// The cells as an Arrow array (text is copied into one buffer, without a `String` per cell).
fn arrow_array(data: &ColumnData) -> ArrayRef {
    match data {
        ColumnData::Text(v) => Arc::new(v.iter().collect::<StringArray>()),
        ColumnData::Float(v) => Arc::new(Float64Array::from(v.clone())),
        ColumnData::Int(v) => Arc::new(Int64Array::from(v.clone())),
        ColumnData::Bool(v) => Arc::new(BooleanArray::from(v.clone())),
        ColumnData::Date(v) => Arc::new(Date32Array::from(v.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Source, read_table};

    #[test]
    fn written_in_parts_reads_back_whole() {
        let dir = std::env::temp_dir().join(format!("rwe-data-pq-parts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let part = |from: usize, to: usize| {
            Table::from_columns(
                "t",
                vec![
                    Column {
                        name: "x".into(),
                        data: ColumnData::Float(
                            (from..to)
                                .map(|i| (i % 3 > 0).then(|| i as f64 / 4.0))
                                .collect(),
                        ),
                    },
                    Column {
                        name: "id".into(),
                        data: ColumnData::Text(
                            (from..to)
                                .map(|i| (i % 5 > 0).then(|| format!("P{i}")))
                                .collect(),
                        ),
                    },
                ],
            )
            .unwrap()
        };
        let (one, parts) = (dir.join("one.parquet"), dir.join("parts.parquet"));
        write_parquet(&one, &part(0, 3000)).unwrap();
        let mut w = ParquetWriter::create(&parts, &part(0, 0)).unwrap();
        for (from, to) in [(0, 1000), (1000, 1000), (1000, 2500), (2500, 3000)] {
            w.write(&part(from, to)).unwrap();
        }
        w.finish().unwrap();
        let read = |path: &Path| read_table(&Source::file(path), None).unwrap();
        let (a, b) = (read(&one), read(&parts));
        assert_eq!(a.columns(), b.columns(), "parts.parquet read back");
        assert_eq!(b.n_rows(), 3000);
        // One part is exactly what write_parquet writes.
        let single = dir.join("single.parquet");
        let mut w = ParquetWriter::create(&single, &part(0, 3000)).unwrap();
        w.write(&part(0, 3000)).unwrap();
        w.finish().unwrap();
        assert_eq!(
            std::fs::read(&single).unwrap(),
            std::fs::read(&one).unwrap()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn round_trip_with_projection() {
        let dir = std::env::temp_dir().join(format!("rwe-data-pq-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.parquet");
        let t = Table::from_columns(
            "t",
            vec![
                Column {
                    name: "time".into(),
                    data: ColumnData::Float(vec![Some(1.5), None, Some(3.0)]),
                },
                Column {
                    name: "status".into(),
                    data: ColumnData::Int(vec![Some(1), Some(0), Some(1)]),
                },
                Column {
                    name: "arm".into(),
                    data: ColumnData::Text(vec![Some("A"), None, Some("B")].into()),
                },
                Column {
                    name: "day".into(),
                    data: ColumnData::Date(vec![Some(19_000), None, Some(0)]),
                },
            ],
        )
        .unwrap();
        write_parquet(&path, &t).unwrap();
        let back = read_table(&Source::file(&path), Some(&["status", "time", "day"])).unwrap();
        assert_eq!(back.columns().len(), 3);
        assert_eq!(
            back.numbers("time").unwrap(),
            vec![Some(1.5), None, Some(3.0)]
        );
        assert_eq!(
            back.numbers("status").unwrap(),
            vec![Some(1.0), Some(0.0), Some(1.0)]
        );
        let day = back.column("day").unwrap();
        assert_eq!(back.text(day, 0).as_deref(), Some("2022-01-08"));
        assert!(!back.has_column("arm"));
    }

    #[test]
    fn fold_sees_every_batch_once_in_order() {
        use crate::typed_table::{ColumnRequest, TypedColumn, fold_columns, read_columns};
        // 150 000 rows in row groups of 7 000 (several partitions, ragged last group).
        let n = 150_000_i32;
        let time: Vec<i32> = (0..n).map(|i| i % 3650).collect();
        let arm: Vec<Option<&str>> = (0..n)
            .map(|i| {
                if i == 123_456 {
                    None
                } else {
                    Some(["A", "B", "C"][(i % 3) as usize])
                }
            })
            .collect();
        let schema = Arc::new(Schema::new(vec![
            Field::new("time", DataType::Int32, false),
            Field::new("arm", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(arrow_array::Int32Array::from(time.clone())),
                Arc::new(StringArray::from(arm)),
            ],
        )
        .unwrap();
        let dir = std::env::temp_dir().join(format!("rwe-data-fold-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.parquet");
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(7_000))
            .build();
        let mut w =
            ArrowWriter::try_new(std::fs::File::create(&path).unwrap(), schema, Some(props))
                .unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();

        let want = [ColumnRequest::number("time"), ColumnRequest::label("arm")];
        let whole = read_columns(&Source::file(&path), &want).unwrap();
        // Each state: (row of the first record, times, labels, rows of missing labels).
        type State = Vec<(u64, Vec<f64>, Vec<String>, Vec<u64>)>;
        let states: Vec<State> = fold_columns(
            &Source::file(&path),
            &want,
            &Vec::new,
            &|state: &mut State, t| {
                let [TypedColumn::Number(time), TypedColumn::Label(arm)] = t.columns() else {
                    panic!()
                };
                let labels = arm
                    .codes
                    .iter()
                    .map(|&c| arm.levels[c as usize].clone())
                    .collect();
                let missing = arm.missing.iter().map(|&i| t.row_number(i)).collect();
                let times = (0..t.n_rows()).map(|i| time.values.get(i)).collect();
                state.push((t.row_number(0), times, labels, missing));
            },
        )
        .unwrap();
        assert!(!states.is_empty());
        let batches: Vec<_> = states.into_iter().flatten().collect();
        let times: Vec<f64> = batches.iter().flat_map(|b| b.1.clone()).collect();
        assert_eq!(times.len(), n as usize);
        let [TypedColumn::Number(t), TypedColumn::Label(a)] = whole.columns() else {
            panic!()
        };
        assert!(times.iter().enumerate().all(|(i, &x)| x == t.values.get(i)));
        let labels: Vec<String> = batches.iter().flat_map(|b| b.2.clone()).collect();
        assert!(
            labels
                .iter()
                .enumerate()
                .all(|(i, l)| a.missing.contains(&i) || *l == a.levels[a.codes[i] as usize])
        );
        let mut row = 2;
        for b in &batches {
            assert_eq!(b.0, row, "batches are contiguous");
            row += b.1.len() as u64;
        }
        let missing: Vec<u64> = batches.iter().flat_map(|b| b.3.clone()).collect();
        assert_eq!(missing, [123_456 + 2]);
    }
}
