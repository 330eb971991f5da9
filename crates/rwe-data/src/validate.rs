//! Reading the input tables into typed records while checking every cell and every record against the
//! schema and the rule catalogue. All diagnostics are collected; nothing stops at the first.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::date::{Date, is_ambiguous_slash_date, parse_date};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::record::{
    AdverseEvent, Assessment, BaselineLab, Contact, DiseaseEvent, Exposure, Genetic, Patient,
    Procedure, RecordRef, StudyData,
};
use crate::rule;
use crate::schema::{ColumnDef, Kind, Need, TableId};
use crate::table::{Column, ReadError, Source, Table, closest, parse_number};
use crate::term::{
    Agent, CtcaeGrade, GeneticFinding, MrdMethod, MrdOperator, PhStatus, Population, ProcedureType,
    Specimen, SubjectId, Term, TermMatch, VitalStatus, YesNo, match_term,
};

/// The files of a study: one [`Source`] per table named in the spec (absent tables are empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputFiles {
    /// File (and sheet) of each table.
    pub tables: BTreeMap<TableId, Source>,
}

/// The study parameters that validation needs (set from the study spec).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationParams {
    /// Records dated after it are ignored with a warning.
    pub data_cutoff: Option<Date>,
    /// First and last allowed date of the first blinatumomab infusion (inclusive).
    pub enrolment: Option<(Date, Date)>,
    /// MRD below this fraction is negative.
    pub mrd_threshold: f64,
    /// MRD methods used for MRD endpoints.
    pub mrd_methods: Vec<MrdMethod>,
}

impl Default for ValidationParams {
    /// No cut-off or enrolment window, the seed paper's MRD threshold 1e-4 by flow cytometry.
    fn default() -> Self {
        ValidationParams {
            data_cutoff: None,
            enrolment: None,
            mrd_threshold: 1e-4,
            mrd_methods: vec![MrdMethod::Fcm],
        }
    }
}

/// Typed records and every diagnostic found while reading them.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The records that could be read (a record with an unreadable required value is left out).
    pub data: StudyData,
    /// Every diagnostic, sorted by file, row and column.
    pub diagnostics: Diagnostics,
}

/// Read every table of a study and validate it.
///
/// Problems in the data (including missing columns and ragged CSV rows) are diagnostics in the result.
///
/// # Errors
/// [`ReadError`] when a file cannot be opened or is not a file of its format (exit status 2).
pub fn load(inputs: &InputFiles, params: &ValidationParams) -> Result<Loaded, ReadError> {
    // Tables are read and typed on all cores, each on its own (the checks across tables come after), and
    // one at a time per core: a table's cells are dropped as soon as its records are typed. The results
    // are taken in table order, so the first file that cannot be read is the one reported, as if read
    // one after the other.
    let tables: Vec<(TableId, &Source)> = inputs.tables.iter().map(|(&id, s)| (id, s)).collect();
    // Largest files first, so that the cores finish together.
    let mut order: Vec<usize> = (0..tables.len()).collect();
    let size = |i: usize| std::fs::metadata(&tables[i].1.path).map_or(0, |m| m.len());
    order.sort_by_key(|&i| std::cmp::Reverse(size(i)));
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(tables.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let read_one = |k: usize| {
        let (id, source) = tables[k];
        crate::table::read_table(source, None).map(|t| {
            let mut v = Validation::default();
            v.table(id, &t);
            v
        })
    };
    let mut results: Vec<Option<Result<Validation, ReadError>>> =
        (0..tables.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&k) = order.get(i) else { break };
                        done.push((k, read_one(k)));
                    }
                    done
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(done) => {
                    for (k, r) in done {
                        results[k] = Some(r);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    let mut v = Validation::default();
    let mut diagnostics = Vec::new();
    for r in results.into_iter().flatten() {
        match r {
            Ok(one) => v.merge(one),
            Err(ReadError::Invalid(ds)) => diagnostics.extend(ds),
            Err(e) => return Err(e),
        }
    }
    let mut loaded = v.finish(params);
    loaded.diagnostics.extend(diagnostics);
    loaded.diagnostics.sort();
    Ok(loaded)
}

/// Validate tables already read (tests and in-memory callers).
#[must_use]
pub fn validate_tables(tables: &BTreeMap<TableId, Table>, params: &ValidationParams) -> Loaded {
    let mut v = Validation::default();
    for (&id, table) in tables {
        v.table(id, table);
    }
    v.finish(params)
}

/// Validation in progress: the records typed so far and the diagnostics found.
#[derive(Debug, Default)]
struct Validation {
    d: Vec<Diagnostic>,
    data: StudyData,
    unread: Unread,
}

impl Validation {
    /// Checks one table's columns and types its rows.
    fn table(&mut self, id: TableId, table: &Table) {
        let (d, data, unread) = (&mut self.d, &mut self.data, &mut self.unread);
        if !check_columns(id, table, d) {
            unread.tables.insert(id);
        }
        let mut p = Parser {
            id,
            table,
            file: Arc::from(table.source()),
            d,
            unread,
        };
        match id {
            TableId::Patients => data.patients = p.parse(patient),
            TableId::BaselineLabs => data.labs = p.parse(lab),
            TableId::GeneticFindings => data.genetics = p.parse(genetic),
            TableId::Exposures => data.exposures = p.parse(exposure),
            TableId::CellularProcedures => data.procedures = p.parse(procedure),
            TableId::ResponseAssessments => data.assessments = p.parse(assessment),
            TableId::DiseaseEvents => data.events = p.parse(event),
            TableId::AdverseEvents => data.adverse_events = p.parse(adverse),
            TableId::Contacts => data.contacts = p.parse(contact),
        }
    }

    /// Takes in what another validation typed (of other tables).
    fn merge(&mut self, other: Validation) {
        self.d.extend(other.d);
        self.unread.tables.extend(other.unread.tables);
        for (id, subjects) in other.unread.subjects {
            self.unread.subjects.entry(id).or_default().extend(subjects);
        }
        macro_rules! take {
            ($($field:ident),+) => {
                $(
                    if !other.data.$field.is_empty() {
                        self.data.$field = other.data.$field;
                    }
                )+
            };
        }
        take!(
            patients,
            labs,
            genetics,
            exposures,
            procedures,
            assessments,
            events,
            adverse_events,
            contacts
        );
    }

    /// The checks across tables, and the result.
    fn finish(mut self, params: &ValidationParams) -> Loaded {
        cross_checks(&self.data, params, &self.unread, &mut self.d);
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(self.d);
        diagnostics.sort();
        Loaded {
            data: self.data,
            diagnostics,
        }
    }
}

/// What could not be read, so that checks across tables do not report its consequences a second time
/// (a patient row with a bad value is not also an unknown subject in every other table).
#[derive(Debug, Default)]
struct Unread {
    /// Tables lacking a required column (every row unread).
    tables: BTreeSet<TableId>,
    /// Subjects with an unread row, per table.
    subjects: BTreeMap<TableId, BTreeSet<String>>,
}

impl Unread {
    fn affects(&self, table: TableId, subject: &SubjectId) -> bool {
        self.tables.contains(&table)
            || self
                .subjects
                .get(&table)
                .is_some_and(|s| s.contains(subject.as_str()))
    }
}

/// Returns false when a required column is missing.
fn check_columns(id: TableId, table: &Table, d: &mut Vec<Diagnostic>) -> bool {
    let def = id.def();
    let names: Vec<&str> = def.columns.iter().map(|c| c.name).collect();
    let mut complete = true;
    for c in def.columns {
        if c.need == Need::Required && !table.has_column(c.name) {
            complete = false;
            if let Err(diag) = table.column(c.name) {
                d.push(diag);
            }
        }
    }
    for c in table.columns() {
        if def.column(&c.name).is_none() {
            let expected = match closest(&c.name, &names) {
                Some(near) => format!(
                    "a column of {} (did you mean {near}?); the column is ignored",
                    def.name
                ),
                None => format!(
                    "a column of {} ({}); the column is ignored",
                    def.name,
                    names.join(", ")
                ),
            };
            d.push(rule::COLUMN_UNKNOWN.at(
                Location {
                    file: table.source().to_string(),
                    row: Some(1),
                    column: Some(c.name.clone()),
                },
                c.name.clone(),
                expected,
            ));
        }
    }
    complete
}

/// One row being read: typed getters that check each cell against its column definition.
struct Row<'a> {
    id: TableId,
    table: &'a Table,
    /// The file label, shared by every record of the table.
    file: &'a Arc<str>,
    index: usize,
    d: &'a mut Vec<Diagnostic>,
}

impl<'a> Row<'a> {
    fn def(&self, name: &str) -> Option<&'static ColumnDef> {
        let def = self.id.def().column(name);
        debug_assert!(
            def.is_some(),
            "column {name} is not in the schema of {:?}",
            self.id
        );
        def
    }

    fn loc(&self, name: &str) -> Location {
        self.table.location(self.index, name)
    }

    /// The trimmed cell, `None` when empty or missing; reports stray spaces and required values. The
    /// text is borrowed from the table (only a typed Parquet cell is printed into a new string).
    fn raw(&mut self, name: &str) -> Option<Cow<'a, str>> {
        let def = self.def(name)?;
        let table = self.table;
        let column: &'a Column = table.column(name).ok()?;
        let cell = table.text(column, self.index);
        let raw: &str = cell.as_deref().unwrap_or_default();
        let trimmed = raw.trim();
        let missing =
            trimmed.is_empty() || (def.kind != Kind::Text && matches!(trimmed, "NA" | "."));
        if missing {
            if def.need == Need::Required {
                let what = match def.kind {
                    Kind::Date => "a date",
                    Kind::Id => "a subject id",
                    Kind::Term(_) => "a term",
                    Kind::Integer { .. } | Kind::Number { .. } => "a number",
                    Kind::Text => "a value",
                };
                let expected = format!("{what} ({name} is required)");
                self.d
                    .push(rule::VALUE_REQUIRED.at(self.loc(name), trimmed, expected));
            }
            return None;
        }
        if raw.len() != trimmed.len() {
            self.d.push(rule::VALUE_STRAY_SPACE.at(
                self.loc(name),
                format!("\"{raw}\""),
                format!("\"{trimmed}\" without surrounding spaces (read as \"{trimmed}\")"),
            ));
        }
        Some(match cell {
            Some(Cow::Borrowed(b)) => Cow::Borrowed(b.trim()),
            _ => Cow::Owned(trimmed.to_string()),
        })
    }

    fn text(&mut self, name: &str) -> Option<String> {
        self.raw(name).map(Cow::into_owned)
    }

    fn subject(&mut self) -> Option<SubjectId> {
        self.raw("USUBJID").map(|s| SubjectId::new(s.into_owned()))
    }

    fn date(&mut self, name: &str) -> Option<Date> {
        let s = self.raw(name)?;
        match parse_date(&s) {
            Some((date, format)) => {
                if !format.is_iso() {
                    self.d.push(rule::DATE_NOT_ISO.at(
                        self.loc(name),
                        s.clone(),
                        format!("an ISO 8601 date YYYY-MM-DD (read as {date})"),
                    ));
                }
                Some(date)
            }
            None => {
                let expected = if is_ambiguous_slash_date(&s) {
                    "a date as YYYY-MM-DD (day and month cannot be told apart in this format)"
                } else {
                    "a date as YYYY-MM-DD"
                };
                self.d
                    .push(rule::DATE_INVALID.at(self.loc(name), s, expected));
                None
            }
        }
    }

    fn number(&mut self, name: &str) -> Option<f64> {
        let def = self.def(name)?;
        let s = self.raw(name)?;
        let Some(x) = parse_number(&s) else {
            self.d.push(rule::VALUE_NOT_NUMERIC.at(
                self.loc(name),
                s,
                format!("a number{}", unit_suffix(def)),
            ));
            return None;
        };
        if let Kind::Number { min, max, misunit } = def.kind {
            if let Some(m) = misunit.filter(|m| m.matches(x)) {
                self.d.push(m.rule.at(
                    self.loc(name),
                    s,
                    format!(
                        "{name} in {} ({min} to {max}); {x} looks like {}: {}",
                        def.unit, m.looks_like, m.fix
                    ),
                ));
                return None;
            }
            if !(min..=max).contains(&x) {
                self.d.push(rule::VALUE_OUT_OF_RANGE.at(
                    self.loc(name),
                    s,
                    format!("a value from {min} to {max}{}", unit_suffix(def)),
                ));
                return None;
            }
        }
        Some(x)
    }

    fn int(&mut self, name: &str) -> Option<i64> {
        let def = self.def(name)?;
        let s = self.raw(name)?;
        let Kind::Integer { min, max } = def.kind else {
            return None;
        };
        let parsed = parse_number(&s).filter(|x| x.fract() == 0.0 && x.abs() < 9e15);
        let Some(x) = parsed else {
            self.d.push(rule::VALUE_NOT_INTEGER.at(
                self.loc(name),
                s,
                format!("a whole number from {min} to {max}{}", unit_suffix(def)),
            ));
            return None;
        };
        // Checked above: a whole number below 9e15 converts exactly.
        let x = x as i64;
        if !(min..=max).contains(&x) {
            self.d.push(rule::VALUE_OUT_OF_RANGE.at(
                self.loc(name),
                s,
                format!("a whole number from {min} to {max}{}", unit_suffix(def)),
            ));
            return None;
        }
        Some(x)
    }

    fn term<T: Term>(&mut self, name: &str) -> Option<T> {
        let s = self.raw(name)?;
        match match_term(&s, T::TERMS) {
            TermMatch::Exact(t) => T::from_term(t),
            TermMatch::Spelling(t) => {
                self.d.push(rule::TERM_SPELLING.at(
                    self.loc(name),
                    s,
                    format!("{t} as written in the data model (read as {t})"),
                ));
                T::from_term(t)
            }
            TermMatch::Unknown(near) => {
                let expected = match near {
                    Some(t) => format!("one of {} (did you mean {t}?)", T::TERMS.join(", ")),
                    None => format!("one of {}", T::TERMS.join(", ")),
                };
                self.d
                    .push(rule::TERM_UNKNOWN.at(self.loc(name), s, expected));
                None
            }
        }
    }

    fn at(&mut self, seq_column: Option<&str>) -> RecordRef {
        let seq = seq_column.and_then(|c| self.int(c));
        RecordRef {
            table: self.id,
            file: Arc::clone(self.file),
            row: self.table.row_number(self.index),
            seq,
        }
    }
}

fn unit_suffix(def: &ColumnDef) -> String {
    if def.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", def.unit)
    }
}

struct Parser<'a> {
    id: TableId,
    table: &'a Table,
    file: Arc<str>,
    d: &'a mut Vec<Diagnostic>,
    unread: &'a mut Unread,
}

impl Parser<'_> {
    /// Every row that can be read; the subjects of the others are remembered in `unread`.
    fn parse<T>(&mut self, build: fn(&mut Row<'_>) -> Option<T>) -> Vec<T> {
        let mut out = Vec::with_capacity(self.table.n_rows());
        for index in 0..self.table.n_rows() {
            let mut row = Row {
                id: self.id,
                table: self.table,
                file: &self.file,
                index,
                d: self.d,
            };
            match build(&mut row) {
                Some(record) => out.push(record),
                None => {
                    if let Ok(column) = self.table.column("USUBJID")
                        && let Some(subject) = self.table.text(column, index)
                    {
                        self.unread
                            .subjects
                            .entry(self.id)
                            .or_default()
                            .insert(subject.trim().to_string());
                    }
                }
            }
        }
        out
    }
}

/// Subject ids compared for suggestions: letters and digits only, upper case, leading zeros of numbers
/// dropped (`p-8` and `P08` are the same key; `P03` and `P01` are not).
fn id_key(s: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in s.chars().filter(char::is_ascii_alphanumeric) {
        if c == '0' && !in_number {
            continue;
        }
        in_number = c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn patient(r: &mut Row<'_>) -> Option<Patient> {
    let at = r.at(None);
    let studyid = r.text("STUDYID");
    let id = r.subject();
    let siteid = r.text("SITEID");
    let sex = r.term("SEX");
    let brthdt = r.date("BRTHDT");
    let age = r.int("AGE");
    let diagdt = r.date("DIAGDT");
    let pop_recorded = r.term("POP_RECORDED");
    let setting = r.term("BLINA_SETTING");
    let prior_lines = r.int("PRIOR_LINES");
    let ph_status = r.term("PH_STATUS");
    let cns_leuk = r.term("CNS_LEUK_BL");
    let chemo_intol = r.term("CHEMO_INTOL_FL");
    let refract_last = r.term("REFRACT_LAST_FL");
    let dz_status_start = r.term("DZ_STATUS_START");
    let lstcntdt = r.date("LSTCNTDT");
    let dthdt = r.date("DTHDT");
    let dthcaus = r.term("DTHCAUS");
    Some(Patient {
        at,
        studyid,
        id: id?,
        siteid,
        sex: sex?,
        brthdt,
        age,
        diagdt: diagdt?,
        pop_recorded,
        setting,
        prior_lines,
        ph_status: ph_status?,
        cns_leuk,
        chemo_intol,
        refract_last,
        dz_status_start,
        lstcntdt,
        dthdt,
        dthcaus,
    })
}

fn lab(r: &mut Row<'_>) -> Option<BaselineLab> {
    let at = r.at(None);
    let subject = r.subject();
    let tpt = r.term("TPT");
    let date = r.date("LBDT");
    let wbc = r.number("WBC");
    let hgb = r.number("HGB");
    let plt = r.number("PLT");
    let blasts = r.number("BM_BLAST_PCT");
    let weight = r.number("WEIGHT_KG");
    Some(BaselineLab {
        at,
        subject: subject?,
        tpt: tpt?,
        date,
        wbc,
        hgb,
        plt,
        blasts,
        weight,
    })
}

fn genetic(r: &mut Row<'_>) -> Option<Genetic> {
    let at = r.at(None);
    let subject = r.subject();
    let finding = r.term("FINDING");
    let method = r.term("METHOD");
    let date = r.date("RESULTDT");
    Some(Genetic {
        at,
        subject: subject?,
        finding: finding?,
        method,
        date,
    })
}

fn exposure(r: &mut Row<'_>) -> Option<Exposure> {
    let at = r.at(Some("EXSEQ"));
    let subject = r.subject();
    let agent = r.term("AGENT");
    let regimen = r.text("REGIMEN");
    let intensity = r.term("INTENSITY");
    let start = r.date("EXSTDT");
    let end = r.date("EXENDT");
    let cycle_no = r.int("CYCLE_NO");
    let dose = r.number("DOSE");
    let dose_unit = r.term("DOSE_UNIT");
    let dcreas = r.term("DCREAS");
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        r.d.push(rule::EX_END_BEFORE_START.at(
            r.loc("EXENDT"),
            e.to_string(),
            format!("a date on or after EXSTDT {s}"),
        ));
        return None;
    }
    Some(Exposure {
        at,
        subject: subject?,
        agent: agent?,
        regimen,
        intensity,
        start: start?,
        end: end?,
        cycle_no,
        dose,
        dose_unit,
        dcreas,
    })
}

fn procedure(r: &mut Row<'_>) -> Option<Procedure> {
    let at = r.at(Some("PRSEQ"));
    let subject = r.subject();
    let kind = r.term("PROC");
    let date = r.date("PROCDT");
    let experimental = r.term("EXPERIMENTAL_FL");
    Some(Procedure {
        at,
        subject: subject?,
        kind: kind?,
        date: date?,
        experimental,
    })
}

fn assessment(r: &mut Row<'_>) -> Option<Assessment> {
    let at = r.at(Some("RSSEQ"));
    let subject = r.subject();
    let date = r.date("RSDT");
    let specimen = r.term("SPECIMEN");
    let blasts = r.number("BM_BLAST_PCT");
    let anc = r.number("ANC");
    let plt = r.number("PLT");
    let emd = r.term("EMD_PRESENT");
    let cns = r.term("CNS_INVOLVED");
    let mrd_value = r.number("MRD_VALUE");
    let mrd_operator = r.term("MRD_OPERATOR");
    let mrd_lod = r.number("MRD_LOD");
    let mrd_method = r.term("MRD_METHOD");
    let inv_resp = r.term("INV_RESP");
    Some(Assessment {
        at,
        subject: subject?,
        date: date?,
        specimen: specimen?,
        blasts,
        anc,
        plt,
        emd,
        cns,
        mrd_value,
        mrd_operator,
        mrd_lod,
        mrd_method,
        inv_resp,
    })
}

fn event(r: &mut Row<'_>) -> Option<DiseaseEvent> {
    let at = r.at(Some("EVSEQ"));
    let subject = r.subject();
    let kind = r.term("EVTYPE");
    let date = r.date("EVDT");
    let source = r.term("SOURCE");
    Some(DiseaseEvent {
        at,
        subject: subject?,
        kind: kind?,
        date: date?,
        source,
    })
}

fn adverse(r: &mut Row<'_>) -> Option<AdverseEvent> {
    let at = r.at(Some("AESEQ"));
    let subject = r.subject();
    let term = r.text("AETERM");
    let decod = r.text("AEDECOD");
    let group = r.term("AEGRP");
    let grade = r.int("AETOXGR").and_then(CtcaeGrade::new);
    let scale = r.term("AEGRSCALE");
    let start = r.date("AESTDT");
    let end = r.date("AEENDT");
    let related = r.term("AEREL");
    let action = r.term("AEACN");
    let outcome = r.term("AEOUT");
    Some(AdverseEvent {
        at,
        subject: subject?,
        term: term?,
        decod,
        group: group?,
        grade: grade?,
        scale,
        start: start?,
        end,
        related,
        action,
        outcome,
    })
}

fn contact(r: &mut Row<'_>) -> Option<Contact> {
    let at = r.at(None);
    let subject = r.subject();
    let date = r.date("CONTACTDT");
    let kind = r.term("CONTACT_TYPE");
    let vital = r.term("VITAL_STATUS");
    let dz_status = r.term("DZ_STATUS");
    Some(Contact {
        at,
        subject: subject?,
        date: date?,
        kind,
        vital: vital?,
        dz_status,
    })
}

/// Checks across rows and tables.
#[allow(clippy::too_many_lines)]
fn cross_checks(
    data: &StudyData,
    params: &ValidationParams,
    unread: &Unread,
    d: &mut Vec<Diagnostic>,
) {
    // Patients: duplicates, age.
    // Maps keyed by subject are looked up, never iterated (their order cannot reach a message).
    let mut first_row: HashMap<&SubjectId, u64> = HashMap::with_capacity(data.patients.len());
    for p in &data.patients {
        if let Some(row) = first_row.get(&p.id) {
            d.push(rule::PT_DUPLICATE_ID.at(
                p.at.cell("USUBJID"),
                format!("{} (also on row {row})", p.id),
                "a USUBJID used on one row only",
            ));
        } else {
            first_row.insert(&p.id, p.at.row);
        }
        if p.brthdt.is_none() && p.age.is_none() {
            d.push(rule::PT_AGE_MISSING.at(
                p.at.cell("AGE"),
                "",
                "an age in years, or a birth date in BRTHDT",
            ));
        }
        if let (Some(pop), Some(setting)) = (p.pop_recorded, p.setting) {
            let prefix = match pop {
                Population::Nd => "FL_",
                Population::Rr => "RR_",
            };
            if !setting.as_str().starts_with(prefix) {
                d.push(rule::PT_SETTING_POPULATION.at(
                    p.at.cell("BLINA_SETTING"),
                    setting.as_str(),
                    format!("a setting starting with {prefix} for POP_RECORDED {pop}"),
                ));
            }
        }
    }
    let patients: HashMap<&SubjectId, &Patient> =
        data.patients.iter().rev().map(|p| (&p.id, p)).collect();

    // Index dates from blinatumomab exposures.
    let mut index: HashMap<&SubjectId, (Date, Date)> = HashMap::with_capacity(data.patients.len());
    for e in data
        .exposures
        .iter()
        .filter(|e| e.agent == Agent::Blinatumomab)
    {
        let slot = index.entry(&e.subject).or_insert((e.start, e.end));
        slot.0 = slot.0.min(e.start);
        slot.1 = slot.1.max(e.end);
    }

    let unknown = |subject: &SubjectId, at: &RecordRef, d: &mut Vec<Diagnostic>| {
        if patients.contains_key(subject) {
            return false;
        }
        // A patient whose row could not be read is reported there, not again for each record.
        if !unread.affects(TableId::Patients, subject) {
            let key = id_key(subject.as_str());
            // The first such id in sorted order.
            let near = patients.keys().filter(|p| id_key(p.as_str()) == key).min();
            let expected = match near {
                Some(near) => format!("a USUBJID of patients (did you mean {near}?)"),
                None => "a USUBJID of patients".to_string(),
            };
            d.push(rule::REC_UNKNOWN_SUBJECT.at(at.cell("USUBJID"), subject.as_str(), expected));
        }
        true
    };
    // Checks against the first infusion only when every exposure of the patient was read.
    let index_of = |subject: &SubjectId| {
        if unread.affects(TableId::Exposures, subject) {
            None
        } else {
            index.get(subject).copied()
        }
    };
    let cutoff_check = |date: Date, at: &RecordRef, column: &str, d: &mut Vec<Diagnostic>| {
        if let Some(cutoff) = params.data_cutoff.filter(|c| date > *c) {
            d.push(rule::DATE_AFTER_CUTOFF.at(
                at.cell(column),
                date.to_string(),
                format!("a date on or before the data cut-off {cutoff} (the record is ignored)"),
            ));
        }
    };
    let death_check =
        |subject: &SubjectId, date: Date, at: &RecordRef, column: &str, d: &mut Vec<Diagnostic>| {
            if let Some(death) = patients.get(subject).and_then(|p| p.dthdt)
                && date > death
            {
                d.push(rule::DATE_AFTER_DEATH.at(
                    at.cell(column),
                    date.to_string(),
                    format!(
                        "a date on or before the death of {subject} on {death} (patients row {})",
                        patients[subject].at.row
                    ),
                ));
            }
        };

    // Each subject's procedures in table order, for the checks of ND patients (one pass, not one per
    // patient).
    let mut procedures_of: HashMap<&SubjectId, Vec<&Procedure>> = HashMap::new();
    for x in &data.procedures {
        procedures_of.entry(&x.subject).or_default().push(x);
    }
    for p in &data.patients {
        if unread.affects(TableId::Exposures, &p.id) {
            continue;
        }
        let Some(&(trtsdt, _)) = index.get(&p.id) else {
            d.push(rule::EX_NO_BLINATUMOMAB.at(
                p.at.cell("USUBJID"),
                format!("{} with no blinatumomab exposure", p.id),
                "at least one BLINATUMOMAB record in exposures (the patient is excluded)",
            ));
            continue;
        };
        if let Some((start, end)) = params.enrolment
            && (trtsdt < start || trtsdt > end)
        {
            d.push(rule::EX_OUTSIDE_ENROLMENT.at(
                p.at.cell("USUBJID"),
                format!("{} first infused {trtsdt}", p.id),
                format!(
                    "a first blinatumomab infusion from {start} to {end} (the patient is excluded)"
                ),
            ));
        }
        if p.diagdt > trtsdt {
            d.push(rule::PT_DIAG_AFTER_INDEX.at(
                p.at.cell("DIAGDT"),
                p.diagdt.to_string(),
                format!("a diagnosis on or before the first blinatumomab infusion {trtsdt}"),
            ));
        }
        for (column, date) in [("DTHDT", p.dthdt), ("LSTCNTDT", p.lstcntdt)] {
            if let Some(date) = date {
                if date < trtsdt {
                    d.push(rule::DATE_BEFORE_INDEX.at(
                        p.at.cell(column),
                        date.to_string(),
                        format!("a date on or after the first blinatumomab infusion {trtsdt}"),
                    ));
                }
                cutoff_check(date, &p.at, column, d);
            }
        }
        if let (Some(last), Some(death)) = (p.lstcntdt, p.dthdt)
            && last > death
        {
            d.push(rule::DATE_AFTER_DEATH.at(
                p.at.cell("LSTCNTDT"),
                last.to_string(),
                format!("a date on or before the death on {death} (DTHDT)"),
            ));
        }
        if p.pop_recorded == Some(Population::Nd) {
            let prior_procs: Vec<&Procedure> = procedures_of
                .get(&p.id)
                .into_iter()
                .flatten()
                .copied()
                .filter(|x| x.date < trtsdt && x.kind != ProcedureType::AutoHsct)
                .collect();
            if p.prior_lines.is_some_and(|n| n > 0) {
                d.push(rule::PT_ND_PRIOR_THERAPY.at(
                    p.at.cell("PRIOR_LINES"),
                    p.prior_lines.unwrap_or_default().to_string(),
                    "0 prior lines for an ND patient (or POP_RECORDED RR)",
                ));
            }
            for x in prior_procs {
                d.push(rule::PT_ND_PRIOR_THERAPY.at(
                    x.at.cell("PROCDT"),
                    format!(
                        "{} {} before the first blinatumomab infusion {trtsdt}",
                        x.kind, x.date
                    ),
                    format!(
                        "no prior HSCT or CAR-T for {}, an ND patient (or POP_RECORDED RR)",
                        p.id
                    ),
                ));
            }
        }
    }

    for e in &data.exposures {
        if unknown(&e.subject, &e.at, d) {
            continue;
        }
        death_check(&e.subject, e.start, &e.at, "EXSTDT", d);
        cutoff_check(e.start, &e.at, "EXSTDT", d);
    }
    for g in &data.genetics {
        if unknown(&g.subject, &g.at, d) {
            continue;
        }
        if g.finding == GeneticFinding::BcrAbl1 {
            let ph = patients[&g.subject].ph_status;
            if ph != PhStatus::Pos {
                d.push(rule::GEN_BCR_ABL1_PH_NEG.at(
                    g.at.cell("FINDING"),
                    format!("BCR_ABL1 for {} whose PH_STATUS is {ph}", g.subject),
                    "PH_STATUS POS in patients, or no BCR_ABL1 finding",
                ));
            }
        }
    }
    for l in &data.labs {
        unknown(&l.subject, &l.at, d);
    }
    for x in &data.procedures {
        if unknown(&x.subject, &x.at, d) {
            continue;
        }
        death_check(&x.subject, x.date, &x.at, "PROCDT", d);
        cutoff_check(x.date, &x.at, "PROCDT", d);
        if let Some((s, e)) = index_of(&x.subject)
            && x.date > s
            && x.date <= e
        {
            d.push(rule::PROC_DURING_TREATMENT.at(
                    x.at.cell("PROCDT"),
                    x.date.to_string(),
                    format!("a procedure ({}) before the first ({s}) or after the last ({e}) blinatumomab infusion", x.kind),
                ));
        }
    }
    for a in &data.assessments {
        if unknown(&a.subject, &a.at, d) {
            continue;
        }
        death_check(&a.subject, a.date, &a.at, "RSDT", d);
        cutoff_check(a.date, &a.at, "RSDT", d);
        if a.specimen == Specimen::Bm
            && let Some(b) = a.blasts
        {
            // Blasts are read from text with at most a few decimals; exactly 5.0 is the boundary.
            if (b - 5.0).abs() < 1e-9 {
                d.push(rule::RS_BLASTS_EXACTLY_5.at(
                    a.at.cell("BM_BLAST_PCT"),
                    "5",
                    "blasts other than exactly 5 % (counted as CR: CR is <= 5 %, relapse > 5 %)",
                ));
            }
            let in_remission = b <= 5.0 && a.emd != Some(YesNo::Y);
            if in_remission && (a.anc.is_none() || a.plt.is_none()) {
                let column = if a.anc.is_none() { "ANC" } else { "PLT" };
                d.push(rule::RS_COUNTS_MISSING.at(
                        a.at.cell(column),
                        "",
                        format!("{column} for a marrow with {b} % blasts (CR and CRi cannot be told apart; counted as CR/CRi)"),
                    ));
            }
        }
        if a.mrd_value.is_some() || a.mrd_operator.is_some() {
            if let Some(m) = a.mrd_method.filter(|m| !params.mrd_methods.contains(m)) {
                let accepted: Vec<&str> = params.mrd_methods.iter().map(|m| m.as_str()).collect();
                d.push(rule::MRD_METHOD_EXCLUDED.at(
                    a.at.cell("MRD_METHOD"),
                    m.as_str(),
                    format!(
                        "MRD by {} (this value is not used for MRD endpoints)",
                        accepted.join(" or ")
                    ),
                ));
            }
            // Below the limit of detection: the limit is MRD_LOD, or MRD_VALUE when only that is given.
            let lod = a.mrd_lod.or(a.mrd_value);
            if a.mrd_operator == Some(MrdOperator::Lt)
                && lod.is_none_or(|lod| lod > params.mrd_threshold)
            {
                let found = lod.map_or_else(
                    || "below a limit of detection that is not given".to_string(),
                    |lod| format!("below a limit of detection of {lod}"),
                );
                d.push(rule::MRD_NOT_EVALUABLE.at(
                    a.at.cell("MRD_LOD"),
                    found,
                    format!("a limit of detection at or below the MRD threshold {} (the value is not evaluable)", params.mrd_threshold),
                ));
            }
        }
    }
    for e in &data.events {
        if unknown(&e.subject, &e.at, d) {
            continue;
        }
        death_check(&e.subject, e.date, &e.at, "EVDT", d);
        cutoff_check(e.date, &e.at, "EVDT", d);
    }
    for a in &data.adverse_events {
        if unknown(&a.subject, &a.at, d) {
            continue;
        }
        death_check(&a.subject, a.start, &a.at, "AESTDT", d);
        cutoff_check(a.start, &a.at, "AESTDT", d);
        if let Some((s, _)) = index_of(&a.subject)
            && a.start < s
        {
            d.push(rule::AE_BEFORE_INDEX.at(
                    a.at.cell("AESTDT"),
                    a.start.to_string(),
                    format!("an onset on or after the first blinatumomab infusion {s} (kept, not treatment-emergent)"),
                ));
        }
        if a.grade.get() == 5 && patients[&a.subject].dthdt.is_none() {
            d.push(rule::AE_GRADE5_WITHOUT_DEATH.at(
                a.at.cell("AETOXGR"),
                "5",
                format!(
                    "a grade below 5, or a death date for {} in patients",
                    a.subject
                ),
            ));
        }
    }
    for c in &data.contacts {
        if unknown(&c.subject, &c.at, d) {
            continue;
        }
        if c.vital == VitalStatus::Alive {
            death_check(&c.subject, c.date, &c.at, "CONTACTDT", d);
        }
        cutoff_check(c.date, &c.at, "CONTACTDT", d);
    }
}
