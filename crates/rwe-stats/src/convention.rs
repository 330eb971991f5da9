//! Named conventions: the choices where SAS PROC LIFETEST/PHREG and R `survival` differ.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Which peer's conventions to follow where SAS and R differ (see `DESIGN.md`).
///
/// | | `Sas` | `R` |
/// |---|---|---|
/// | default CI transform | log-log | log |
/// | quantile point | first time S < 1 − p; midpoint where S = 1 − p exactly | `quantile.survfit` |
/// | quantile CI | Brookmeyer-Crowley set, `[lower, upper)` | where the bands cross 1 − p |
/// | rate past last observation | not estimable (null) | carried forward |
/// | Wilcoxon test | Gehan | Peto-Peto |
/// | Cox ties | Breslow | Efron |
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Convention {
    /// SAS PROC LIFETEST / PHREG (the default: what the seed paper used).
    #[default]
    Sas,
    /// R `survival` 3.x.
    R,
}

impl Convention {
    /// The pointwise CI transform this convention uses when none is asked for.
    #[must_use]
    pub fn default_conf_type(self) -> ConfType {
        match self {
            Convention::Sas => ConfType::LogLog,
            Convention::R => ConfType::Log,
        }
    }

    /// The name used on the command line and in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Convention::Sas => "sas",
            Convention::R => "r",
        }
    }
}

impl fmt::Display for Convention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Convention {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sas" => Ok(Convention::Sas),
            "r" => Ok(Convention::R),
            _ => Err(UnknownName {
                found: s.to_string(),
                expected: "sas or r",
            }),
        }
    }
}

/// Transform under which a pointwise confidence interval for S(t) is built.
///
/// Names follow R's `conf.type` and SAS's `CONFTYPE=`: `plain` (LINEAR), `log` (LOG),
/// `log-log` (LOGLOG), `logit` (LOGIT), `arcsine` (ASINSQRT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ConfType {
    /// S ± z·se, clipped to [0, 1].
    #[serde(rename = "plain")]
    Plain,
    /// exp(log S ± z·se/S), upper clipped to 1.
    #[serde(rename = "log")]
    Log,
    /// S^exp(∓ z·se/(S log S)): the complementary log-log transform.
    #[serde(rename = "log-log")]
    LogLog,
    /// logit S ± z·se/(S(1 − S)).
    #[serde(rename = "logit")]
    Logit,
    /// arcsin √S ± z·se/(2√(S(1 − S))).
    #[serde(rename = "arcsine")]
    Arcsine,
}

impl ConfType {
    /// Every transform, in the order used by tables and tests.
    pub const ALL: [ConfType; 5] = [
        ConfType::Plain,
        ConfType::Log,
        ConfType::LogLog,
        ConfType::Logit,
        ConfType::Arcsine,
    ];

    /// The name used on the command line and in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ConfType::Plain => "plain",
            ConfType::Log => "log",
            ConfType::LogLog => "log-log",
            ConfType::Logit => "logit",
            ConfType::Arcsine => "arcsine",
        }
    }
}

impl fmt::Display for ConfType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ConfType {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "plain" | "linear" => Ok(ConfType::Plain),
            "log" => Ok(ConfType::Log),
            "log-log" | "loglog" | "cloglog" => Ok(ConfType::LogLog),
            "logit" => Ok(ConfType::Logit),
            "arcsine" | "arcsin" | "asinsqrt" | "arcsine-square-root" => Ok(ConfType::Arcsine),
            _ => Err(UnknownName {
                found: s.to_string(),
                expected: "plain, log, log-log, logit or arcsine",
            }),
        }
    }
}

/// A name that is not one of the accepted spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("found `{found}`, expected {expected}")]
pub struct UnknownName {
    /// What was given.
    pub found: String,
    /// The accepted names.
    pub expected: &'static str,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in ConfType::ALL {
            assert_eq!(c.as_str().parse::<ConfType>(), Ok(c));
        }
        assert_eq!("LOGLOG".parse::<ConfType>(), Ok(ConfType::LogLog));
        assert_eq!("asinsqrt".parse::<ConfType>(), Ok(ConfType::Arcsine));
        assert_eq!("SAS".parse::<Convention>(), Ok(Convention::Sas));
        assert_eq!(Convention::R.default_conf_type(), ConfType::Log);
        let err = "probit".parse::<ConfType>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "found `probit`, expected plain, log, log-log, logit or arcsine"
        );
    }
}
