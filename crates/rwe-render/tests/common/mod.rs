//! Fixtures shared by the integration tests and the gallery example: a Table 1/2-like table, a two-curve
//! KM figure and a treatment-pattern Sankey. The numbers are invented for layout and formatting tests; no
//! statistic is computed here.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use rwe_render::{
    Annotation, BandPoint, BodyRow, Cell, Colour, ColourMap, Formatter, HeaderCell, Interval,
    KmCurve, KmFigure, Palette, PathCount, RiskRow, RiskTable, SankeyFigure, SankeyNode,
    SankeyStage, SmallCellRule, Stat, SurvivalPoint, Table, Token, suppress,
};

pub fn colours() -> ColourMap {
    Palette::okabe_ito()
        .assign(["ND", "R/R", "Allo-HSCT", "CAR-T", "Chemotherapy"])
        .unwrap()
}

/// A baseline/efficacy table exercising spanning headers, indents, every cell kind and suppression.
pub fn baseline_table() -> Table {
    let f = Formatter::default();
    let rule = SmallCellRule::new(5);
    // Sex block: male, female, missing × ND, R/R. Missing ND = 1 and R/R = 3 are below 5.
    let sex = vec![vec![30, 25], vec![22, 15], vec![1, 3]];
    let hidden = suppress(&sex, &rule).unwrap();
    let totals = [53u64, 43];
    let sex_row = |i: usize, label: &str| {
        let mut cells: Vec<Cell> = (0..2)
            .map(|c| Cell::from(f.n_pct(sex[i][c], totals[c])).masked(&rule, hidden.cell(i, c)))
            .collect();
        let all: u64 = sex[i].iter().sum();
        cells.push(Cell::from(f.n_pct(all, 96)).masked(&rule, hidden.row_total(i)));
        BodyRow::new(label, 1, cells)
    };
    let ci = |lo: f64, hi: f64| Interval {
        lower: Stat::Value(lo),
        upper: Stat::Value(hi),
        level: 0.95,
    };
    Table {
        id: "table1".into(),
        title: "Table 1. Baseline characteristics and efficacy".into(),
        header: vec![
            vec![
                HeaderCell::new(""),
                HeaderCell::spanning("Population", 2),
                HeaderCell::new(""),
            ],
            vec![
                HeaderCell::new("Characteristic"),
                HeaderCell::new("ND"),
                HeaderCell::new("R/R"),
                HeaderCell::new("All"),
            ],
            vec![
                HeaderCell::new(""),
                HeaderCell::new("N = 53"),
                HeaderCell::new("N = 43"),
                HeaderCell::new("N = 96"),
            ],
        ],
        rows: vec![
            BodyRow::new(
                "Patients treated, n",
                0,
                vec![f.count_cell(53), f.count_cell(43), f.count_cell(96)],
            ),
            BodyRow::heading("Age, years"),
            BodyRow::new(
                "Median (range)",
                1,
                vec![
                    f.median_range(44.0, 18.0, 79.0).into(),
                    f.median_range(38.5, 19.0, 81.0).into(),
                    f.median_range(41.25, 18.0, 81.0).into(),
                ],
            ),
            BodyRow::new(
                "Mean (SD)",
                1,
                vec![
                    f.mean_sd(45.13, Some(15.25)).into(),
                    f.mean_sd(41.0, Some(17.05)).into(),
                    f.mean_sd(43.2, None).into(),
                ],
            ),
            BodyRow::heading("Sex, n (%)"),
            sex_row(0, "Male"),
            sex_row(1, "Female"),
            sex_row(2, "Missing"),
            BodyRow::new(
                "CR/CRi rate, % (95% CI)",
                0,
                vec![
                    f.percent_ci(Stat::Value(0.908), &ci(0.670, 0.970)).into(),
                    f.percent_ci(Stat::Value(0.0125), &ci(0.002, 0.1)).into(),
                    Cell::text(Token::NotApplicable.text()),
                ],
            ),
            BodyRow::new(
                "Median EFS, months (95% CI)",
                0,
                vec![
                    f.stat_ci(
                        Stat::or_not_reached(None),
                        &Interval {
                            lower: Stat::Value(9.4),
                            upper: Stat::or_not_estimable(None),
                            level: 0.95,
                        },
                    )
                    .into(),
                    f.stat_ci(Stat::Value(7.9), &ci(2.675, 13.8)).into(),
                    f.stat_ci(Stat::Value(14.0), &ci(7.9, 21.4)).into(),
                ],
            ),
            BodyRow::new(
                "1-year EFS rate",
                0,
                vec![
                    f.percent_cell(0.878),
                    f.percent_cell(0.414),
                    f.percent_cell(0.6655),
                ],
            ),
        ],
        footnotes: vec![
            Token::footnote(&[Token::NotReached, Token::NotEstimable, Token::NotApplicable]),
            rule.footnote(),
        ],
    }
}

fn steps(points: &[(f64, f64)]) -> Vec<SurvivalPoint> {
    points
        .iter()
        .map(|&(time, surv)| SurvivalPoint { time, surv })
        .collect()
}

/// Two curves with censor marks, one band, a risk table with cumulative events and every annotation kind.
pub fn km_figure() -> KmFigure {
    let colours = colours();
    let nd = colours.get("ND").unwrap();
    let rr = colours.get("R/R").unwrap();
    let ticks: Vec<f64> = (0..=8).map(|i| f64::from(i) * 3.0).collect();
    let mut fig = KmFigure::new(
        "fig2_km_efs",
        "Months since first infusion",
        "Event-free survival",
        ticks,
    );
    fig.title = Some("Event-free survival by population".into());
    fig.curves = vec![
        KmCurve {
            label: "ND".into(),
            colour: nd,
            steps: steps(&[
                (0.03, 0.962),
                (1.2, 0.943),
                (3.5, 0.924),
                (6.1, 0.903),
                (9.4, 0.878),
                (14.0, 0.842),
            ]),
            end_time: 21.4,
            censored: steps(&[
                (2.0, 0.943),
                (5.0, 0.924),
                (8.0, 0.903),
                (11.0, 0.878),
                (16.0, 0.842),
                (18.5, 0.842),
                (21.4, 0.842),
            ]),
            band: vec![],
        },
        KmCurve {
            label: "R/R".into(),
            colour: rr,
            steps: steps(&[
                (0.03, 0.767),
                (1.5, 0.721),
                (2.7, 0.674),
                (4.0, 0.617),
                (5.2, 0.559),
                (7.9, 0.497),
                (10.3, 0.414),
                (13.8, 0.331),
            ]),
            end_time: 26.0,
            censored: steps(&[
                (3.1, 0.674),
                (6.0, 0.559),
                (9.0, 0.497),
                (12.0, 0.414),
                (17.0, 0.331),
                (26.0, 0.331),
            ]),
            band: [
                (0.0, 1.0, 1.0),
                (0.03, 0.62, 0.86),
                (1.5, 0.57, 0.83),
                (2.7, 0.52, 0.79),
                (4.0, 0.46, 0.74),
                (5.2, 0.40, 0.69),
                (7.9, 0.34, 0.64),
                (10.3, 0.26, 0.56),
                (13.8, 0.18, 0.49),
            ]
            .iter()
            .map(|&(time, lower, upper)| BandPoint { time, lower, upper })
            .collect(),
        },
    ];
    fig.risk_table = Some(RiskTable {
        title: "Number at risk (cumulative events)".into(),
        rows: vec![
            RiskRow::from_counts(
                "ND",
                nd,
                &[53, 49, 44, 37, 29, 20, 12, 6, 0],
                Some(&[0, 2, 3, 4, 5, 5, 6, 6, 6]),
                None,
            )
            .unwrap(),
            RiskRow::from_counts(
                "R/R",
                rr,
                &[43, 30, 24, 18, 13, 9, 5, 2, 1],
                Some(&[0, 11, 14, 17, 19, 20, 21, 21, 21]),
                None,
            )
            .unwrap(),
        ],
    });
    fig.annotations = vec![
        Annotation::Landmark {
            time: 12.0,
            label: "12 months".into(),
        },
        Annotation::Median {
            time: 7.9,
            colour: rr,
            label: Some("Median 7.9 months".into()),
        },
        Annotation::Point {
            time: 12.0,
            surv: 0.878,
            colour: nd,
            label: "87.8%".into(),
        },
        Annotation::Point {
            time: 12.0,
            surv: 0.414,
            colour: rr,
            label: "41.4%".into(),
        },
        Annotation::Text {
            time: 0.6,
            surv: 0.1,
            text: "Log-rank p = 0.002".into(),
        },
    ];
    fig
}

/// Population → duration → cycles → subsequent therapy for one population, built from paths.
pub fn sankey_figure() -> SankeyFigure {
    let colours = colours();
    let node = |label: &str| {
        let n = SankeyNode::new(label, 0);
        match colours.get(label) {
            Some(c) => n.coloured(c),
            None => n,
        }
    };
    let stages = vec![
        SankeyStage {
            label: "Population".into(),
            nodes: vec![node("ND")],
        },
        SankeyStage {
            label: "Treatment duration".into(),
            nodes: vec![node("≤ 3 months"), node("> 3 months")],
        },
        SankeyStage {
            label: "Cycles".into(),
            nodes: vec![node("1 cycle"), node("2 cycles"), node("≥ 3 cycles")],
        },
        SankeyStage {
            label: "Subsequent therapy".into(),
            nodes: vec![
                node("Allo-HSCT"),
                node("CAR-T"),
                node("Chemotherapy"),
                node("None"),
            ],
        },
    ];
    let p = |nodes: &[usize], count: u64| PathCount {
        nodes: nodes.to_vec(),
        count,
    };
    let paths = vec![
        p(&[0, 0, 0, 0], 14),
        p(&[0, 0, 0, 3], 9),
        p(&[0, 0, 1, 0], 8),
        p(&[0, 0, 1, 2], 2),
        p(&[0, 1, 1, 0], 5),
        p(&[0, 1, 2, 0], 6),
        p(&[0, 1, 2, 1], 3),
        p(&[0, 1, 2, 3], 5),
        p(&[0, 0, 0], 1),
    ];
    let mut fig = SankeyFigure::from_paths(
        "fig1_treatment_patterns_nd",
        Some("Treatment patterns, newly diagnosed (N = 53)".into()),
        stages,
        paths,
    )
    .unwrap();
    fig.width = 900.0;
    fig.height = 480.0;
    fig
}

/// Colour check helper for the palette in tests.
pub fn colour_hex(c: Colour) -> String {
    c.hex()
}
