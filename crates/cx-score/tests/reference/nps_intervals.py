# Reference values for nps.rs tests: exact coverage of the Wald and adjusted Wald NPS intervals, and three adjusted intervals.
# Run with the bench venv (scipy): bench/.venv/bin/python crates/cx-score/tests/reference/nps_intervals.py
import math
from scipy.stats import norm, multinomial
z = norm.ppf(0.975)
def ci(P, D, n, adj):
    if adj:
        P, D, m = P + 1, D + 1, n + 3
    else:
        m = n
    p, d = P / m, D / m
    se = 100 * math.sqrt(max(p + d - (p - d) ** 2, 0) / m)
    c = 100 * (p - d)
    return max(c - z * se, -100), min(c + z * se, 100)
grid = [k / 20 for k in range(1, 18)]
def coverage(n, adj):
    covs = []
    for p in grid:
        for d in grid:
            if p + d > 0.95 + 1e-12: continue
            true = 100 * (p - d)
            tot = 0.0
            for P in range(n + 1):
                for D in range(n - P + 1):
                    lo, hi = ci(P, D, n, adj)
                    if lo <= true <= hi:
                        tot += multinomial.pmf([P, D, n - P - D], n, [p, d, 1 - p - d])
            covs.append(tot)
    return sum(covs) / len(covs), min(covs), len(covs)
for n in [10, 30, 100]:
    for adj in [False, True]:
        print(n, "adjusted" if adj else "wald", coverage(n, adj))
# hand values
for (P, Pa, D) in [(238, 396, 431), (1, 0, 0), (0, 5, 0)]:
    n = P + Pa + D
    print((P, Pa, D), [repr(x) for x in ci(P, D, n, True)])
