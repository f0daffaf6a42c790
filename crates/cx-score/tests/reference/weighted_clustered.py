# Reference values for the weighted cluster-robust test in cluster.rs (`weighted_clusters_against_statsmodels`):
# WLS on a constant with CR1 standard errors clustered by respondent, each respondent's weight on each of its rows.
# Run with the bench venv (statsmodels): bench/.venv/bin/python crates/cx-score/tests/reference/weighted_clustered.py
import numpy as np, statsmodels.api as sm
rows = [("a", 1.0), ("a", 2.0), ("a", 0.5), ("b", -1.0), ("c", 3.0), ("c", -0.5), ("d", 0.0), ("d", 1.5)]
for weights in ({"a": 0.5, "b": 2.0, "c": 1.25, "d": 1.0}, {"a": 0.1, "b": 1 / 3, "c": 2.7, "d": 1.0}):
    # cx holds a weight as the nearest multiple of 2^-30: use the same numbers here.
    w = {k: round(v * 2**30) / 2**30 for k, v in weights.items()}
    y = np.array([v for _, v in rows]); g = np.array([k for k, _ in rows]); ww = np.array([w[k] for k in g])
    r = sm.WLS(y, np.ones(len(y)), weights=ww).fit(cov_type="cluster", cov_kwds={"groups": g})
    print(repr(r.params[0]), repr(r.bse[0]))
