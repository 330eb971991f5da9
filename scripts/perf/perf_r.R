#!/usr/bin/env Rscript
# Origin: copied unchanged (apart from this line) from the project's shared reference scripts, scripts/perf/perf_r.R,
# the anchor timings the performance issue was written against.
# Usage: Rscript scripts/perf/perf_r.R synth_1e6.csv   (CSV from gen_synth.py)
# Times ONLY fitting (CSV read excluded); median of 3 runs each; in-R peak via gc(reset=TRUE) 'max used'.
suppressPackageStartupMessages(library(survival))
f <- commandArgs(TRUE)[1]
x <- scan(f, what = list(time = integer(), status = integer(), group = integer()), sep = ",", skip = 1, quiet = TRUE)
d <- data.frame(time = x$time, status = x$status, group = x$group); rm(x); invisible(gc())
cat(sprintf("rows=%d\n", nrow(d)))
bench <- function(label, expr) {
  ts <- numeric(3); peak <- numeric(3)
  for (i in 1:3) {
    invisible(gc(reset = TRUE)); base <- sum(gc()[, 2])
    t0 <- proc.time()[["elapsed"]]; r <- eval(expr, envir = parent.frame()); ts[i] <- proc.time()[["elapsed"]] - t0
    peak[i] <- sum(gc()[, 6]) - base; rm(r)
  }
  cat(sprintf("%-40s median_s=%.3f runs=[%s] R_heap_peak_delta_MB=%.0f\n", label, median(ts),
              paste(sprintf("%.3f", ts), collapse = ","), max(peak)))
}
bench("survfit(Surv(time,status)~1)", quote(survfit(Surv(time, status) ~ 1, data = d)))
bench("survfit(Surv(time,status)~group)", quote(survfit(Surv(time, status) ~ group, data = d)))
fit1 <- survfit(Surv(time, status) ~ 1, data = d); fitg <- survfit(Surv(time, status) ~ group, data = d)
bench("quantile(fit ~1, c(.25,.5,.75))", quote(quantile(fit1, c(.25, .5, .75))))
bench("quantile(fit ~group, c(.25,.5,.75))", quote(quantile(fitg, c(.25, .5, .75))))
bench("survdiff(Surv(time,status)~group)", quote(survdiff(Surv(time, status) ~ group, data = d)))
print(quantile(fit1, .5)); print(survdiff(Surv(time, status) ~ group, data = d))
