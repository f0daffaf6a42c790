# Reference values for the weighted formulas in stats.rs, loyalty.rs and nps.rs (tests named `*weighted*`).
# Run with the bench venv (numpy, scipy, statsmodels): bench/.venv/bin/python crates/cx-score/tests/reference/weighted.py
# Weights are multiples of 2^-30 as given, so cx holds them exactly.
import numpy as np
from scipy.stats import t, norm
from statsmodels.stats.weightstats import DescrStatsW
from statsmodels.stats.proportion import proportion_confint

# A weighted mean: statsmodels' weighted mean; numpy's reliability-weights variance
# (cov with aweights, ddof=1: sum w (x - m)^2 / (V1 - V2 / V1)); SE = sd / sqrt(n_eff);
# t interval with n_eff - 1 degrees of freedom.
x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 2.5, 0.1])
w = np.array([0.5, 1.25, 2.0, 1.0, 3.0, 0.75, 1.5])
mean = DescrStatsW(x, weights=w).mean
sd = np.sqrt(np.cov(x, aweights=w, ddof=1))
n_eff = w.sum() ** 2 / (w ** 2).sum()
se = sd / np.sqrt(n_eff)
q = t.ppf(0.975, n_eff - 1)
print("mean", repr(mean), "sd", repr(sd), "n_eff", repr(n_eff), "se", repr(se), "ci", repr(mean - q * se), repr(mean + q * se))

# A weighted share: p = sum w(yes) / sum w, Wilson interval at n = n_eff (statsmodels' wilson
# with nobs = n_eff and count = p * n_eff).
yes = np.array([1, 0, 1, 1, 0, 1, 1, 0, 1, 1], dtype=bool)
ws = np.array([0.5, 2.0, 1.5, 1.0, 0.25, 3.0, 1.0, 1.0, 0.75, 2.0])
p = ws[yes].sum() / ws.sum()
n_eff = ws.sum() ** 2 / (ws ** 2).sum()
lo, hi = proportion_confint(p * n_eff, n_eff, alpha=0.05, method="wilson")
print("share", repr(p), "n_eff", repr(n_eff), "wilson", repr(lo), repr(hi))

# A weighted NPS: ratings and weights; p, d weighted shares; SE = 100 sqrt((p + d - (p - d)^2) / n_eff);
# Wald interval NPS +- z SE; adjusted Wald: one promoter, passive and detractor added to the
# effective counts (P_eff = p n_eff): p' = (p n_eff + 1) / (n_eff + 3), same for d.
r = np.array([10, 9, 7, 3, 0, 9, 8, 6, 10, 5])
wn = np.array([1.5, 0.5, 2.0, 1.0, 0.25, 1.25, 3.0, 0.75, 1.0, 2.0])
z = norm.ppf(0.975)
n_eff = wn.sum() ** 2 / (wn ** 2).sum()
p = wn[r >= 9].sum() / wn.sum()
d = wn[r <= 6].sum() / wn.sum()
nps = 100 * (p - d)
se = 100 * np.sqrt((p + d - (p - d) ** 2) / n_eff)
pa, da = (p * n_eff + 1) / (n_eff + 3), (d * n_eff + 1) / (n_eff + 3)
sea = 100 * np.sqrt((pa + da - (pa - da) ** 2) / (n_eff + 3))
print("nps", repr(nps), "se", repr(se), "n_eff", repr(n_eff), "wald", repr(nps - z * se), repr(nps + z * se),
      "adjusted", repr(100 * (pa - da) - z * sea), repr(100 * (pa - da) + z * sea))
