#!/usr/bin/env Rscript
# Usage: Rscript scripts/perf/compute_r.R synth.csv [REPS]
# Compute only (data already in memory), as the reference script crates/rwe-stats/tests/reference/scripts/perf/perf_r.R times it: the km report (survfit overall and
# by group, log-log CIs, quartiles with CIs, summary at three times), survdiff, and coxph with one binary
# covariate (Efron ties, R's default). Prints median, min and max seconds over REPS runs (default 3).
suppressPackageStartupMessages(library(survival))
a <- commandArgs(TRUE); f <- a[1]; reps <- if (length(a) > 1) as.integer(a[2]) else 3L
x <- scan(f, what = list(time = integer(), status = integer(), group = integer()), sep = ",", skip = 1, quiet = TRUE)
d <- data.frame(time = x$time, status = x$status, group = factor(x$group)); rm(x); invisible(gc())
bench <- function(label, expr) {
  ts <- numeric(reps)
  for (i in seq_len(reps)) {
    invisible(gc()); t0 <- proc.time()[["elapsed"]]
    r <- eval(expr, envir = parent.frame()); ts[i] <- proc.time()[["elapsed"]] - t0; rm(r)
  }
  cat(sprintf("R %-8s n=%d median_s=%.4f min_s=%.4f max_s=%.4f\n", label, nrow(d), median(ts), min(ts), max(ts)))
}
bench("km", quote({
  f1 <- survfit(Surv(time, status) ~ 1, data = d, conf.type = "log-log")
  fg <- survfit(Surv(time, status) ~ group, data = d, conf.type = "log-log")
  list(quantile(f1, c(.25, .5, .75)), quantile(fg, c(.25, .5, .75)),
       summary(f1, times = c(365, 730, 1095)), summary(fg, times = c(365, 730, 1095)))
}))
bench("logrank", quote(survdiff(Surv(time, status) ~ group, data = d)))
bench("cox", quote(coxph(Surv(time, status) ~ group, data = d)))
cat(sprintf("R check: coef=%.9f\n", coef(coxph(Surv(time, status) ~ group, data = d))))
