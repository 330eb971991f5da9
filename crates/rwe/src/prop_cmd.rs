//! `rwe prop`: a binomial proportion with its confidence interval.

use rwe_stats::{ProportionMethod, proportion_ci};

use crate::Failure;
use crate::cli::{OutputFormat, PropArgs};
use crate::console::sig;

/// Run `rwe prop` and return what to print.
pub fn run(args: &PropArgs) -> Result<String, Failure> {
    let method = match args.method.to_ascii_lowercase().as_str() {
        "exact" | "clopper-pearson" => ProportionMethod::Exact,
        "wilson" => ProportionMethod::Wilson,
        "wilson-cc" => ProportionMethod::WilsonCc,
        other => {
            return Err(Failure::usage(format!(
                "--method: found `{other}`, expected exact, wilson or wilson-cc"
            )));
        }
    };
    let ci = proportion_ci(args.successes, args.trials, method, args.conf_level)
        .map_err(|e| Failure::usage(e.to_string()))?;
    Ok(match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&ci)
            .map(|s| s + "\n")
            .unwrap_or_default(),
        OutputFormat::Csv => format!(
            "successes,trials,estimate,method,conf_level,lower,upper\n{},{},{},{},{},{},{}\n",
            ci.successes,
            ci.trials,
            ci.estimate,
            method.as_str(),
            ci.conf_level,
            ci.lower,
            ci.upper
        ),
        OutputFormat::Table => format!(
            "{}/{} = {} ({}% CI, {}: {}, {})\n",
            ci.successes,
            ci.trials,
            sig(Some(ci.estimate), 6),
            sig(Some(ci.conf_level * 100.0), 6),
            method.as_str(),
            sig(Some(ci.lower), 6),
            sig(Some(ci.upper), 6)
        ),
    })
}
