# Reference values for the weighted comparison of scoring variants (research::compare on
# SurveyData::weighted; the test `weighted_comparison_against_numpy_scipy_and_scikit_learn` in
# src/research/compare/tests/weighted.rs, and the CLI test in crates/cx-cli/tests/weighted_compare.rs).
# Run with a venv holding numpy, scipy and scikit-learn:
#   python crates/cx-score/tests/reference/weighted_compare.py
# The survey is weighted_compare.csv beside it (its journey: weighted_compare.toml).
# Weights are quarters, multiples of 2^-30, so cx holds them exactly.
#
# Written from the definitions, not from cx's code:
# - journey score per respondent: the normalized gaps (reality - expectation) / 4 of the
#   touchpoints with a gap (own expectation, else the touchpoint's target), averaged (default,
#   share, cautious: weighted_mean with touchpoint weights 1) or their minimum (weakest_link);
# - AUC: scikit-learn's roc_auc_score(sample_weight=w), and the Mann-Whitney sum over every
#   (yes, no) pair weighted w_yes * w_no as a check;
# - point-biserial: the weighted Pearson coefficient from np.cov(aweights=w), and SciPy's
#   pointbiserialr on the sample repeating each respondent 4w times as a check;
# - Spearman: SciPy's spearmanr on the sample repeating each respondent 4w times, and wCorr 1.9.7's
#   weighted ranks (W_below + 1/2 + t/2) with the weighted Pearson coefficient as a check;
# - lights: per cell (a touchpoint in the whole journey or in a segment) the gaps' weighted mean
#   normalized gap, met share and t interval (reliability-weights sd, se = sd / sqrt(n_eff),
#   t(0.975, n_eff - 1)), lit when Kish's n_eff = (sum w)^2 / sum w^2 reaches min_sample = 4;
#   default: mean >= 0 green, >= -0.25 yellow, else red; share: met >= 0.9 green, < 0.7 red, else
#   yellow; cautious: lower >= 0 green, upper < -0.25 red, else yellow;
# - agreement over the cells lit by both: raw share and scikit-learn's cohen_kappa_score
#   (labels red, yellow, green; weights None and "linear");
# - rank correlation: SciPy's spearmanr of the whole journey's opportunity ranks (impact = reach
#   (gaps counted) * max(0, -mean normalized gap) for a yellow or red touchpoint, else 0; average
#   ranks of -impact).
import csv
from pathlib import Path

import numpy as np
from scipy.stats import pointbiserialr, spearmanr, t as tdist
from sklearn.metrics import cohen_kappa_score, roc_auc_score

TARGETS = {"t1": 3.0, "t2": 4.0, "t3": None}
MIN_SAMPLE = 4
IDS = ["t1", "t2", "t3"]
# The data set, a long CSV file beside this script (cx's tests read it too): one row per respondent
# and touchpoint rated. Here one tuple per respondent, in the file's order: weight, segment,
# expectations met (1 yes, 0 no), then reality and own expectation at t1, t2, t3 (0: not rated, or
# no own expectation).
by_respondent = {}
with open(Path(__file__).with_name("weighted_compare.csv"), newline="") as data:
    for rec in csv.DictReader(data):
        row = by_respondent.setdefault(
            rec["respondent_id"],
            [float(rec["weight"]), rec["segment"], int(rec["expectations_met"] == "yes")] + [0] * 6,
        )
        k = IDS.index(rec["touchpoint"])
        row[3 + 2 * k] = int(rec["reality"])
        row[4 + 2 * k] = int(rec["expectation"] or 0)
ROWS = [tuple(row) for row in by_respondent.values()]
assert len(ROWS) == 22


def gaps(row):
    """The respondent's normalized gaps by touchpoint (those with an expectation)."""
    out = {}
    for k, tp in enumerate(IDS):
        reality, own = row[3 + 2 * k], row[4 + 2 * k]
        if reality == 0:
            continue
        expectation = own if own != 0 else TARGETS[tp]
        if expectation is not None:
            out[tp] = (reality - expectation) / 4.0
    return out


w = np.array([r[0] for r in ROWS])
y = np.array([r[2] for r in ROWS], dtype=float)
g = [gaps(r) for r in ROWS]
scores = {
    "weighted_mean": np.array([np.mean(list(x.values())) for x in g]),
    "weakest_link": np.array([min(x.values()) for x in g]),
}
assert all(g), "every respondent has a gap"


def kish(v):
    return v.sum() ** 2 / (v ** 2).sum()


def wpearson(a, b, v):
    c = np.cov(a, b, aweights=v)
    return c[0, 1] / np.sqrt(c[0, 0] * c[1, 1])


def wrank(x, v):
    ranks = np.empty(len(x))
    below = 0.0
    for value in np.unique(x):
        tied = x == value
        ranks[tied] = below + 0.5 + v[tied].sum() / 2
        below += v[tied].sum()
    return ranks


def mann_whitney(s, v):
    wins = pairs = 0.0
    for i in np.flatnonzero(y == 1):
        for j in np.flatnonzero(y == 0):
            pairs += v[i] * v[j]
            wins += v[i] * v[j] * (1.0 if s[i] > s[j] else 0.5 if s[i] == s[j] else 0.0)
    return wins / pairs


copies = (4 * w).astype(int)
print("respondents", len(ROWS), "weight", w.sum(), "n_eff", repr(kish(w)))
auc = {}
for name, s in scores.items():
    auc[name] = roc_auc_score(y, s, sample_weight=w)
    assert abs(auc[name] - mann_whitney(s, w)) < 1e-15
    r_pb = wpearson(s, y, w)
    assert abs(r_pb - pointbiserialr(np.repeat(s, copies), np.repeat(y, copies)).statistic) < 1e-14
    rho = spearmanr(np.repeat(s, copies), np.repeat(y, copies)).statistic
    assert abs(rho - wpearson(wrank(s, w), wrank(y, w), w)) < 1e-14
    print(name, "auc", repr(auc[name]), "point_biserial", repr(r_pb), "spearman", repr(rho))
print("auc difference weighted_mean - weakest_link", repr(auc["weighted_mean"] - auc["weakest_link"]))
print("unweighted auc", {k: repr(roc_auc_score(y, s)) for k, s in scores.items()})

# Cells: the whole journey's touchpoints, then segment a's, b's and c's.
cells = [(None, tp) for tp in IDS] + [(seg, tp) for seg in "abc" for tp in IDS]


def cell_stats(seg, tp, weighted=True):
    x, v = [], []
    for row, gap, weight in zip(ROWS, g, w):
        if (seg is None or row[1] == seg) and tp in gap:
            x.append(gap[tp])
            v.append(weight if weighted else 1.0)
    x, v = np.array(x), np.array(v)
    if len(x) == 0:
        return None
    n_eff = kish(v)
    mean = np.sum(v * x) / v.sum()
    met = v[x >= 0].sum() / v.sum()
    ci = None
    if n_eff > 1:
        v1, v2 = v.sum(), (v ** 2).sum()
        sd = np.sqrt(np.sum(v * (x - mean) ** 2) / (v1 - v2 / v1))
        half = tdist.ppf(0.975, n_eff - 1) * sd / np.sqrt(n_eff)
        ci = (mean - half, mean + half)
    return dict(n=len(x), n_eff=n_eff, mean=mean, met=met, ci=ci)


RED, YELLOW, GREEN = 0, 1, 2


def light(policy, st):
    if st is None or st["n_eff"] < MIN_SAMPLE:
        return None
    if policy == "default":
        return GREEN if st["mean"] >= 0 else YELLOW if st["mean"] >= -0.25 else RED
    if policy == "share":
        return GREEN if st["met"] >= 0.9 else RED if st["met"] < 0.7 else YELLOW
    lower, upper = st["ci"]
    return RED if upper < -0.25 else GREEN if lower >= 0 else YELLOW


stats = [cell_stats(seg, tp) for seg, tp in cells]
for (seg, tp), st in zip(cells, stats):
    un = cell_stats(seg, tp, weighted=False)
    print("cell", seg, tp, "n", st["n"], "n_eff", round(st["n_eff"], 3), "mean", round(st["mean"], 4),
          "met", round(st["met"], 4), "ci", st["ci"] and tuple(round(c, 4) for c in st["ci"]),
          "lights", [light(p, st) for p in ("default", "share", "cautious")],
          "unweighted", [light(p, un) for p in ("default", "share", "cautious")])
lights = {p: [light(p, st) for st in stats] for p in ("default", "share", "cautious")}
print("lights", lights)
for a, b in [("default", "share"), ("default", "cautious"), ("share", "cautious")]:
    both = [(x, z) for x, z in zip(lights[a], lights[b]) if x is not None and z is not None]
    la, lb = [x for x, _ in both], [z for _, z in both]
    print(a, b, "n", len(both), "raw", repr(np.mean(np.array(la) == np.array(lb))),
          "kappa", repr(cohen_kappa_score(la, lb, labels=[0, 1, 2])),
          "linear", repr(cohen_kappa_score(la, lb, labels=[0, 1, 2], weights="linear")))


def ranks(policy):
    impacts = []
    for st, lit in zip(stats[:3], lights[policy][:3]):
        shortfall = max(0.0, -st["mean"])
        impacts.append(st["n"] * shortfall if lit in (RED, YELLOW) else 0.0)
    from scipy.stats import rankdata
    return rankdata(-np.array(impacts))


for a, b in [("default", "share"), ("default", "cautious"), ("share", "cautious")]:
    print("rank correlation", a, b, ranks(a), ranks(b), repr(spearmanr(ranks(a), ranks(b)).statistic))
