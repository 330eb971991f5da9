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
            ColumnData::Text(Vec::with_capacity(cap))
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
            v.extend((0..arr.len()).map(|i| arr.is_valid(i).then(|| arr.value(i).to_string())));
        }
        (ColumnData::Text(v), DataType::LargeUtf8) => {
            let arr = a.as_string_opt::<i64>()?;
            v.extend((0..arr.len()).map(|i| arr.is_valid(i).then(|| arr.value(i).to_string())));
        }
        (ColumnData::Text(v), DataType::Utf8View) => {
            let arr = a.as_string_view_opt()?;
            v.extend((0..arr.len()).map(|i| arr.is_valid(i).then(|| arr.value(i).to_string())));
        }
        _ => return None,
    }
    Some(())
}

/// Why a Parquet file could not be written.
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
    let label = path.display().to_string();
    let encode = |e: &dyn std::fmt::Display| WriteError::Encode {
        path: label.clone(),
        reason: e.to_string(),
    };
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for c in table.columns() {
        let (dt, arr): (DataType, ArrayRef) = match &c.data {
            ColumnData::Text(v) => (DataType::Utf8, Arc::new(StringArray::from(v.clone()))),
            ColumnData::Float(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
            ColumnData::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
            ColumnData::Bool(v) => (DataType::Boolean, Arc::new(BooleanArray::from(v.clone()))),
            ColumnData::Date(v) => (DataType::Date32, Arc::new(Date32Array::from(v.clone()))),
        };
        fields.push(Field::new(&c.name, dt, true));
        arrays.push(arr);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = if arrays.is_empty() {
        RecordBatch::new_empty(schema.clone())
    } else {
        RecordBatch::try_new(schema.clone(), arrays).map_err(|e| encode(&e))?
    };
    let file = std::fs::File::create(path).map_err(|source| WriteError::Io {
        path: label.clone(),
        source,
    })?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_created_by(format!("rwe {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| encode(&e))?;
    writer.write(&batch).map_err(|e| encode(&e))?;
    writer.close().map_err(|e| encode(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Source, read_table};

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
                    data: ColumnData::Text(vec![Some("A".into()), None, Some("B".into())]),
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
}
