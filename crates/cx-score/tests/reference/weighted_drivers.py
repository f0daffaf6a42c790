# Reference values for the weighted driver analysis (research::drivers on SurveyData::weighted;
# the test `weighted_drivers_against_numpy` in src/research/drivers/tests.rs).
# Run with the bench venv (numpy only): bench/.venv/bin/python crates/cx-score/tests/reference/weighted_drivers.py
# Weights are multiples of 2^-30 as given, so cx holds them exactly.
#
# Written from the formulas, not from cx's code: weighted means and two-pass weighted
# covariances; Spearman as R's wCorr 1.9.7 (weighted mid-ranks: W_below + 1/2 + t/2 for ties
# of total weight t, wrank and wrankFast since 1.9.6, then weighted Pearson of the ranks); Johnson's (2000) relative
# weights from the pairwise weighted correlation matrix (Z = V L^1/2 V', beta = Z^-1 r_xy,
# raw_j = sum_k Z_jk^2 beta_k^2); Kish's n_eff = (sum w)^2 / sum w^2.
import numpy as np

nan = np.nan
# respondent: a, b, c (nan = not rated), likelihood to recommend, weight
rows = np.array([
    [5, 4, nan, 9, 1.5],
    [4, nan, nan, 8, 0.5],
    [2, 3, nan, 3, 2.0],
    [3, 3, 5, 6, 3.0],
    [1, 2, 2, 0, 1.25],
    [5, 5, nan, 10, 0.75],
    [4, 4, 4, 7, 0.25],
    [2, 1, nan, 4, 1.0],
    [3, 4, 1, 5, 0.25],
    [1, nan, nan, 2, 2.5],
    [4, 5, 3, 9, 0.25],
    [2, 2, nan, 1, 1.75],
    [5, 3, 2, 8, 0.25],
    [3, 2, nan, 6, 1.0],
])
X, y, w = rows[:, :3], rows[:, 3], rows[:, 4]


def wcorr(x, z, w):
    mx, mz = np.sum(w * x) / np.sum(w), np.sum(w * z) / np.sum(w)
    return np.sum(w * (x - mx) * (z - mz)) / np.sqrt(np.sum(w * (x - mx) ** 2) * np.sum(w * (z - mz) ** 2))


def wrank(x, w):
    ranks = np.empty(len(x))
    below = 0.0
    for value in np.unique(x):
        tied = x == value
        t = w[tied].sum()
        ranks[tied] = below + 0.5 + t / 2
        below += t
    return ranks


def pair(j, k):
    """The respondents with both columns (k = 3: the outcome)."""
    a = X[:, j]
    b = y if k == 3 else X[:, k]
    keep = ~np.isnan(a) & ~np.isnan(b)
    return a[keep], b[keep], w[keep]


min_sample = 5
weighted = []
for j, name in enumerate("abc"):
    x, yy, ww = pair(j, 3)
    n_eff = ww.sum() ** 2 / (ww ** 2).sum()
    print(name, "n", len(x), "weight", float(ww.sum()), "n_eff", float(n_eff),
          "mean", float(np.sum(ww * x) / ww.sum()),
          "pearson", float(wcorr(x, yy, ww)),
          "spearman", float(wcorr(wrank(x, ww), wrank(yy, ww), ww)))
    if n_eff >= min_sample:
        weighted.append(j)

print("respondents weight", float(w.sum()), "n_eff", float(w.sum() ** 2 / (w ** 2).sum()))

# The pairwise weighted correlation matrix of the weighted touchpoints and the outcome.
columns = weighted + [3]
R = np.eye(len(columns))
for a in range(len(columns)):
    for b in range(a + 1, len(columns)):
        R[a, b] = R[b, a] = wcorr(*pair(columns[a], columns[b]))
q = len(weighted)
Rxx, rxy = R[:q, :q], R[:q, q]
lam, V = np.linalg.eigh(Rxx)
Z = V @ np.diag(np.sqrt(lam)) @ V.T
beta = np.linalg.solve(Z, rxy)
raw = (Z ** 2) @ (beta ** 2)
print("weighted touchpoints", ["abc"[j] for j in weighted])
print("r_ab", repr(float(R[0, 1])))
print("raw", [float(v) for v in raw], "r_squared", repr(float(raw.sum())),
      "check r'Rxx^-1 r", repr(float(rxy @ np.linalg.solve(Rxx, rxy))))
print("shares", [float(v) for v in 100 * raw / raw.sum()])
