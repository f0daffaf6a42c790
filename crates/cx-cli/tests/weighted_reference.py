# Reference values for the weighted test in crates/cx-cli/tests/cli.rs (`weighted_scorecard_of_the_sample`):
# the bundled sample with a weight by segment (business 0.5, new 1.5, returning 1), computed with pandas/numpy/scipy.
# Run from the repository root with the bench venv: bench/.venv/bin/python crates/cx-cli/tests/weighted_reference.py
import numpy as np, pandas as pd
from scipy.stats import t, norm
d = pd.read_csv("examples/data/retail_responses.csv")
d["w"] = d["segment"].map({"business": 0.5, "new": 1.5, "returning": 1.0})
def kish(w): return w.sum() ** 2 / (w ** 2).sum()
# Shop window reality: weighted mean, reliability-weights sd, SE on n_eff, t interval on n_eff - 1.
s = d[d.touchpoint == "shop_window"]
x, w = s.reality.to_numpy(float), s.w.to_numpy(float)
m = np.average(x, weights=w); sd = np.sqrt(np.cov(x, aweights=w, ddof=1)); ne = kish(w)
q = t.ppf(0.975, ne - 1)
print("shop_window reality", repr(m), repr(sd / np.sqrt(ne)), repr(m - q * sd / np.sqrt(ne)), repr(m + q * sd / np.sqrt(ne)), repr(ne))
# Outcomes: one per respondent, on any of its rows.
o = d.groupby("respondent_id").agg({"w": "first", "would_return": "first", "likelihood_to_recommend": "first", "effort": "first"})
r = o.dropna(subset=["would_return"])
yes = r.would_return.astype(str).str.lower().isin(["yes", "true", "y", "1"])
p = r.w[yes].sum() / r.w.sum(); ne = kish(r.w)
z = norm.ppf(0.975)
c = (p + z * z / (2 * ne)) / (1 + z * z / ne); h = z / (1 + z * z / ne) * np.sqrt(p * (1 - p) / ne + z * z / (4 * ne * ne))
print("would_return", repr(p), repr(c - h), repr(c + h), repr(ne))
l = o.dropna(subset=["likelihood_to_recommend"])
pp = l.w[l.likelihood_to_recommend >= 9].sum() / l.w.sum(); dd = l.w[l.likelihood_to_recommend <= 6].sum() / l.w.sum(); ne = kish(l.w)
print("nps", repr(100 * (pp - dd)), repr(100 * np.sqrt((pp + dd - (pp - dd) ** 2) / ne)), repr(ne))
e = o.dropna(subset=["effort"])
print("effort", repr(np.average(e.effort, weights=e.w)), repr(kish(e.w)))
# The whole journey's mean gap by respondent: WLS on a constant with CR1 errors clustered by respondent
# (statsmodels), the gap against the own expectation or else the touchpoint's target (retail.toml), rows with
# neither left out.
import statsmodels.api as sm
targets = {"shop_window": 3, "website": 4, "payment": 4, "delivery": 4}
g = d.copy()
g["e"] = g.expectation.fillna(g.touchpoint.map(targets))
g = g.dropna(subset=["e"])
y = (g.reality - g.e).to_numpy(float)
r = sm.WLS(y, np.ones(len(y)), weights=g.w.to_numpy(float)).fit(cov_type="cluster", cov_kwds={"groups": g.respondent_id.to_numpy()})
print("journey gap by respondent", len(y), g.respondent_id.nunique(), repr(r.params[0]), repr(r.bse[0]))
