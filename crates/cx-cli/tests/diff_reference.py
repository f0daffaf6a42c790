"""Reference values for tests/diff.rs, computed without cx.

Reads the bundled sample (examples/data/retail_responses.csv, journey
examples/data/retail.toml) with pandas and tests January 2024 against
February 2024 with SciPy and statsmodels:

- mean gap: scipy.stats.ttest_ind(feb, jan, equal_var=False), and the
  Welch interval from scipy.stats.t.ppf;
- shares (met, CSAT, loyalty yes): the Agresti-Caffo interval and its z
  test, written out here from Agresti and Caffo (2000);
- NPS: the adjusted Wald (one promoter, passive and detractor added to
  each month), written out here;
- the whole journey's mean gap, met share and WOW share (gap >= 1 point)
  over every observation of the month: each month's standard error
  statsmodels' cluster-robust one by respondent (OLS on a constant,
  cov_type="cluster"), Welch-Satterthwaite degrees of freedom with G - 1
  per month (G respondents), the p-value from scipy.stats.t;
- all p-values of the pair adjusted together with
  statsmodels.stats.multitest.multipletests(method="fdr_bh"), and those
  of each month against the one before with method="holm".

Run: python crates/cx-cli/tests/diff_reference.py (pandas, scipy,
statsmodels).
"""

import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import erfc
from statsmodels.stats.multitest import multipletests

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
# Touchpoint targets from retail.toml, in journey order (None: no target).
TARGETS = {
    "shop_window": 3, "website": 4, "social_ad": None, "booking_call": None,
    "advice": None, "cashier": None, "payment": 4, "delivery": 4,
    "support_chat": None, "returns": None,
}
Z = stats.norm.ppf(0.975)

rows = pd.read_csv(f"{ROOT}/examples/data/retail_responses.csv", dtype={"expectation": float})
rows["month"] = rows["timestamp"].str[:7]
target = rows["touchpoint"].map(TARGETS).astype(float)
rows["gap"] = rows["reality"] - rows["expectation"].fillna(target)
outcome_columns = ["expectations_met", "would_return", "would_recommend",
                   "likelihood_to_recommend", "effort"]
# A respondent's outcome is dated by the first row that carries one.
outcomes = rows[rows[outcome_columns].notna().any(axis=1)].groupby("respondent_id").first()


def share_test(x1, n1, x2, n2):
    q1, q2 = (x1 + 1) / (n1 + 2), (x2 + 1) / (n2 + 2)
    se = np.sqrt(q1 * (1 - q1) / (n1 + 2) + q2 * (1 - q2) / (n2 + 2))
    centre = q2 - q1
    z = centre / se
    return dict(diff=x2 / n2 - x1 / n1, lower=max(-1, centre - Z * se),
                upper=min(1, centre + Z * se), p=erfc(abs(z) / np.sqrt(2)))


def welch(a, b):
    t, p = stats.ttest_ind(b, a, equal_var=False)
    v1, v2 = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    df = (v1 + v2) ** 2 / (v1 ** 2 / (len(a) - 1) + v2 ** 2 / (len(b) - 1))
    diff, se = np.mean(b) - np.mean(a), np.sqrt(v1 + v2)
    q = stats.t.ppf(0.975, df)
    return dict(diff=diff, t=t, df=df, p=p, lower=diff - q * se, upper=diff + q * se)


def clustered(frame, column):
    """Mean, cluster-robust standard error and clusters of `column`."""
    import statsmodels.api as sm
    y = frame[column].to_numpy(dtype=float)
    groups = pd.factorize(frame["respondent_id"])[0]
    if len(set(groups)) < 2:
        return None
    fit = sm.OLS(y, np.ones(len(y))).fit(cov_type="cluster", cov_kwds={"groups": groups})
    return y.mean(), fit.bse[0], len(set(groups))


def clustered_welch(a, b):
    (m1, se1, g1), (m2, se2, g2) = a, b
    v1, v2 = se1 ** 2, se2 ** 2
    if v1 + v2 == 0:
        return None
    se = np.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1 ** 2 / (g1 - 1) + v2 ** 2 / (g2 - 1))
    t, q = (m2 - m1) / se, stats.t.ppf(0.975, df)
    return dict(diff=m2 - m1, t=t, df=df, p=2 * stats.t.sf(abs(t), df),
                lower=m2 - m1 - q * se, upper=m2 - m1 + q * se)


def nps_test(a, b):
    def parts(scores):
        n = len(scores) + 3
        p, d = ((scores >= 9).sum() + 1) / n, ((scores <= 6).sum() + 1) / n
        raw = 100 * ((scores >= 9).sum() - (scores <= 6).sum()) / len(scores)
        return raw, 100 * (p - d), (p + d - (p - d) ** 2) / n
    (r1, c1, v1), (r2, c2, v2) = parts(a), parts(b)
    se = 100 * np.sqrt(v1 + v2)
    centre = c2 - c1
    return dict(diff=r2 - r1, lower=centre - Z * se, upper=centre + Z * se,
                p=erfc(abs(centre / se) / np.sqrt(2)))


def pair_tests(before, after):
    """Every test of `after` against `before` (two months), by name."""
    tests = {}
    jan, feb = (outcomes[outcomes["month"] == m] for m in (before, after))
    ltr = lambda o: o["likelihood_to_recommend"].dropna().to_numpy()
    if len(ltr(jan)) and len(ltr(feb)):
        tests["nps"] = nps_test(ltr(jan), ltr(feb))
    questions = ["expectations_met", "would_return", "would_recommend"]
    for question in questions:
        a, b = jan[question].dropna(), feb[question].dropna()
        if len(a) and len(b):
            tests[question] = share_test((a == "yes").sum(), len(a), (b == "yes").sum(), len(b))
    answered = lambda o: o[o[questions].notna().all(axis=1)]
    all_yes = lambda o: (o[questions] == "yes").all(axis=1).sum()
    ja, fa = answered(jan), answered(feb)
    if len(ja) and len(fa):
        tests["yes_to_all"] = share_test(all_yes(ja), len(ja), all_yes(fa), len(fa))
    pooled = rows[rows["gap"].notna()].assign(
        met=lambda r: (r["gap"] >= 0).astype(float), wow=lambda r: (r["gap"] >= 1).astype(float))
    ja, fa = (pooled[pooled["month"] == m] for m in (before, after))
    for name, column in [("journey_mean_gap", "gap"), ("journey_met_share", "met"),
                         ("journey_wow_share", "wow")]:
        a, b = clustered(ja, column), clustered(fa, column)
        test = a and b and clustered_welch(a, b)
        if test:
            tests[name] = test
    for touchpoint in TARGETS:
        here = rows[rows["touchpoint"] == touchpoint]
        a, b = (here[here["month"] == m] for m in (before, after))
        ga, gb = a["gap"].dropna(), b["gap"].dropna()
        if len(ga) >= 2 and len(gb) >= 2 and (ga.var() > 0 or gb.var() > 0):
            tests[f"{touchpoint}.mean_gap"] = welch(ga.to_numpy(), gb.to_numpy())
        if len(ga) and len(gb):
            tests[f"{touchpoint}.met_share"] = share_test((ga >= 0).sum(), len(ga), (gb >= 0).sum(), len(gb))
        ra, rb = a["reality"].dropna(), b["reality"].dropna()
        if len(ra) and len(rb):
            tests[f"{touchpoint}.csat"] = share_test((ra >= 4).sum(), len(ra), (rb >= 4).sum(), len(rb))
    return tests


# January against February alone, adjusted by Benjamini-Hochberg.
tests = pair_tests("2024-01", "2024-02")
names = list(tests)
adjusted = multipletests([tests[n]["p"] for n in names], method="fdr_bh")[1]
print("January against February:", len(names), "tests")
for name, bh in zip(names, adjusted):
    print(name, {k: repr(float(v)) for k, v in tests[name].items()}, "bh", repr(float(bh)))

# Each month against the one before, every test adjusted together by Holm.
months = sorted(rows["month"].unique())
family = [(f"{a}->{b}", name, test["p"])
          for a, b in zip(months, months[1:])
          for name, test in pair_tests(a, b).items()]
holm = multipletests([p for _, _, p in family], method="holm")[1]
print("each month against the one before:", len(family), "tests")
for (pair, name, p), q in zip(family, holm):
    if q < 1:
        print(pair, name, "p", repr(float(p)), "holm", repr(float(q)))
