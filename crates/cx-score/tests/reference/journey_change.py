"""Reference values for the whole-journey change test of cx-score's
changes.rs (`journey_change_by_respondent`): the two segments of its test
card, each respondent's gaps (reality minus the touchpoint's target of 4 at
the till and 3 on the web).

Each side's standard error is statsmodels' cluster-robust one of a mean
(OLS on a constant, cov_type="cluster" by respondent, the CR1 estimator);
the difference's degrees of freedom are Welch-Satterthwaite with G - 1 per
side and its p-value SciPy's t distribution.

Run with the bench venv: bench/.venv/bin/python crates/cx-score/tests/reference/journey_change.py
"""
import numpy as np
import scipy.stats as st
import statsmodels.api as sm

a = [("a1", -2), ("a1", 0), ("a2", -1), ("a2", 0), ("a3", 0), ("a3", 0), ("a4", 0), ("a4", 0)]
b = [("b1", 0), ("b2", 1), ("b3", 1), ("b4", 1)]


def clustered(rows):
    groups = np.array([int(r[1:]) for r, _ in rows])
    y = np.array([float(v) for _, v in rows])
    fit = sm.OLS(y, np.ones(len(y))).fit(cov_type="cluster", cov_kwds={"groups": groups})
    return y.mean(), fit.bse[0], len(set(groups))


(m1, se1, g1), (m2, se2, g2) = clustered(a), clustered(b)
v1, v2 = se1**2, se2**2
se = (v1 + v2) ** 0.5
df = (v1 + v2) ** 2 / (v1**2 / (g1 - 1) + v2**2 / (g2 - 1))
t = (m2 - m1) / se
print(f"difference {m2 - m1!r}")
print(f"se {se!r}")
print(f"df {df!r}")
print(f"p {2 * st.t.sf(abs(t), df)!r}")
