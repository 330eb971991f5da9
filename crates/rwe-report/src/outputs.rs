//! Every declared output of a study, analysed: the table models, the figure models with their captions
//! and path tables, and the analysis results data behind all of them.

use rwe_derive::Datasets;
use rwe_render::{ColourMap, KmFigure, RenderError, SankeyFigure, Table};
use rwe_spec::{FigureDecl, StudySpec};

use crate::analysis_set::AnalysisSet;
use crate::ard::ArdRow;
use crate::conventions::Settings;
use crate::error::ReportError;
use crate::{colours, km_figure, table, treatment_patterns};

/// A figure model.
#[derive(Debug, Clone, PartialEq)]
pub enum FigureModel {
    /// Kaplan-Meier curves.
    Km(KmFigure),
    /// A treatment-pattern Sankey diagram.
    Sankey(SankeyFigure),
}

/// One drawn figure (a Sankey panel is one figure): its model, caption and the table behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// File stem.
    pub id: String,
    /// The model.
    pub model: FigureModel,
    /// Caption in the report.
    pub caption: String,
    /// The path/frequency table of a Sankey diagram.
    pub table: Option<Table>,
}

impl Figure {
    /// The figure as SVG.
    ///
    /// # Errors
    /// The model's validation errors.
    pub fn to_svg(&self, settings: &Settings) -> Result<String, RenderError> {
        match &self.model {
            FigureModel::Km(k) => k.to_svg(&settings.formatter),
            FigureModel::Sankey(s) => s.to_svg(),
        }
    }
}

/// The analysed outputs of a study.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// The conventions in effect.
    pub settings: Settings,
    /// Declared tables, in order.
    pub tables: Vec<Table>,
    /// Declared figures (Sankey panels one by one), in order.
    pub figures: Vec<Figure>,
    /// Every statistic behind the tables and figures.
    pub ard: Vec<ArdRow>,
    /// Patients in the study population.
    pub patients: usize,
    /// Patients excluded from it.
    pub excluded: usize,
}

/// Runs the analyses a spec declares on derived datasets.
///
/// ```
/// # use std::path::Path;
/// let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort");
/// let spec = rwe_spec::StudySpec::from_path(&dir.join("report.toml")).unwrap();
/// let loaded = rwe_data::load(&spec.input_files(), &spec.validation_params()).unwrap();
/// let cohort = rwe_derive::derive_cohort(loaded.data, &spec);
/// let outputs = rwe_report::analyse(&spec, &cohort.datasets(&spec.study.id)).unwrap();
/// assert_eq!(outputs.tables[1].id, "table2");
/// let crcri = outputs.ard.iter().find(|r| r.output == "table2" && r.row == "CRCRI"
///     && r.column == "rr_ind" && r.statistic == "estimate").unwrap();
/// assert_eq!(crcri.value, Some(0.5)); // 2 of the 4 re-induction patients reached CR/CRi
/// ```
///
/// # Errors
/// [`ReportError`] when a declared variable is missing from the datasets or a statistic cannot be
/// computed (names are checked beforehand by [`crate::check_spec`]).
pub fn analyse(spec: &StudySpec, datasets: &Datasets) -> Result<Outputs, ReportError> {
    analyse_set(spec, &AnalysisSet::new(datasets)?)
}

/// Runs the analyses a spec declares on a study population (built, for a large cohort, part by part as
/// it was derived: [`AnalysisSet::from_parts`]).
///
/// # Errors
/// [`ReportError`] when a declared variable is missing from the datasets or a statistic cannot be
/// computed (names are checked beforehand by [`crate::check_spec`]).
pub fn analyse_set(spec: &StudySpec, set: &AnalysisSet) -> Result<Outputs, ReportError> {
    let settings = Settings::new(&spec.conventions)?;
    let colours: ColourMap = colours::colour_map(spec, set)?;
    let mut ard = Vec::new();
    let mut tables = Vec::with_capacity(spec.tables.len());
    for decl in &spec.tables {
        tables.push(table::build(decl, set, &settings, &mut ard)?);
    }
    let mut figures = Vec::new();
    for decl in &spec.figures {
        match decl {
            FigureDecl::Km(k) => {
                let built = km_figure::build(k, set, &settings, &colours, &mut ard)?;
                built.figure.validate()?;
                figures.push(Figure {
                    id: k.id.clone(),
                    model: FigureModel::Km(built.figure),
                    caption: built.caption,
                    table: None,
                });
            }
            FigureDecl::Sankey(s) => {
                for panel in treatment_patterns::build(s, set, &settings, &colours, &mut ard)? {
                    figures.push(Figure {
                        id: panel.figure.id.clone(),
                        model: FigureModel::Sankey(panel.figure),
                        caption: panel.caption,
                        table: Some(panel.paths),
                    });
                }
            }
        }
    }
    Ok(Outputs {
        settings,
        tables,
        figures,
        ard,
        patients: set.len(),
        excluded: set.excluded(),
    })
}
