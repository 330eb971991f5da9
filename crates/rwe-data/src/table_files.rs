//! A dataset written in parts as `NAME.csv` and `NAME.parquet` side by side, for datasets too large to
//! hold at once (a cohort derived partition by partition).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::csv_writer::write_csv_header;
use crate::parquet_io::{ParquetWriter, WriteError};
use crate::table::Table;

/// `NAME.csv` and `NAME.parquet` being written part by part. The parts are the same table columns each
/// time; the CSV is the header once and then each part's records, byte for byte what
/// [`crate::write_csv`] writes for the whole table, and one part gives the Parquet bytes of
/// [`crate::write_parquet`].
#[derive(Debug)]
pub struct TableFiles {
    csv_path: PathBuf,
    csv: std::io::BufWriter<std::fs::File>,
    parquet_path: PathBuf,
    parquet: ParquetWriter,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + use<> {
    let path = path.display().to_string();
    move |source| WriteError::Io { path, source }
}

impl TableFiles {
    /// Creates `dir/NAME.csv` (with its header) and `dir/NAME.parquet` with the columns of `like`.
    ///
    /// # Errors
    /// [`WriteError`] when a file cannot be created.
    pub fn create(dir: &Path, name: &str, like: &Table) -> Result<TableFiles, WriteError> {
        let csv_path = dir.join(format!("{name}.csv"));
        let file = std::fs::File::create(&csv_path).map_err(io(&csv_path))?;
        let mut csv = std::io::BufWriter::new(file);
        write_csv_header(&mut csv, like).map_err(io(&csv_path))?;
        let parquet_path = dir.join(format!("{name}.parquet"));
        let parquet = ParquetWriter::create(&parquet_path, like)?;
        Ok(TableFiles {
            csv_path,
            csv,
            parquet_path,
            parquet,
        })
    }

    /// Appends one part: its records already printed as CSV by [`crate::write_csv_rows`] (so that the
    /// printing can run on another thread), and the table itself for Parquet.
    ///
    /// # Errors
    /// [`WriteError`] when a file cannot be written.
    pub fn append(&mut self, csv_rows: &[u8], part: &Table) -> Result<(), WriteError> {
        self.csv.write_all(csv_rows).map_err(io(&self.csv_path))?;
        self.parquet.write(part)
    }

    /// Closes both files; their paths, CSV first.
    ///
    /// # Errors
    /// [`WriteError`] when a file cannot be completed.
    pub fn finish(self) -> Result<[PathBuf; 2], WriteError> {
        let TableFiles {
            csv_path,
            mut csv,
            parquet_path,
            parquet,
        } = self;
        csv.flush().map_err(io(&csv_path))?;
        parquet.finish()?;
        Ok([csv_path, parquet_path])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Column, ColumnData};
    use crate::{write_csv, write_csv_rows, write_parquet};

    fn table(ids: &[&str], x: &[f64]) -> Table {
        let ids: Vec<Option<&str>> = ids.iter().map(|&s| Some(s)).collect();
        Table::from_columns(
            "t",
            vec![
                Column {
                    name: "ID".into(),
                    data: ColumnData::Text(ids.into()),
                },
                Column {
                    name: "X".into(),
                    data: ColumnData::Float(x.iter().map(|&v| Some(v)).collect()),
                },
            ],
        )
        .unwrap()
    }

    /// Writes `parts` through [`TableFiles`] as `dir/NAME.*`; the CSV and Parquet bytes.
    fn in_parts(dir: &Path, name: &str, parts: &[Table]) -> [Vec<u8>; 2] {
        let mut files = TableFiles::create(dir, name, &parts[0]).unwrap();
        for part in parts {
            let mut rows = Vec::new();
            write_csv_rows(&mut rows, part).unwrap();
            files.append(&rows, part).unwrap();
        }
        files.finish().unwrap().map(|p| std::fs::read(p).unwrap())
    }

    #[test]
    fn parts_give_the_bytes_of_the_whole_table() {
        let dir = std::env::temp_dir().join(format!("rwe-table-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let whole = table(&["a", "b", "c"], &[1.0, 2.5, -3.0]);
        write_csv(&dir.join("whole.csv"), &whole).unwrap();
        write_parquet(&dir.join("whole.parquet"), &whole).unwrap();
        // The CSV in two parts is the whole table's CSV.
        let two = [table(&["a", "b"], &[1.0, 2.5]), table(&["c"], &[-3.0])];
        let [csv, _] = in_parts(&dir, "parts", &two);
        assert_eq!(csv, std::fs::read(dir.join("whole.csv")).unwrap());
        // One part gives the Parquet bytes of the whole table.
        let [_, pq] = in_parts(&dir, "one", std::slice::from_ref(&whole));
        assert_eq!(pq, std::fs::read(dir.join("whole.parquet")).unwrap());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
