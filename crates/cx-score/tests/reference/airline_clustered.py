# Reference values for the airline test in crates/cx-cli/tests/cli.rs: the journey gap and met share clustered by passenger.
# Run from the repository root with the bench venv (pandas, statsmodels): bench/.venv/bin/python crates/cx-score/tests/reference/airline_clustered.py
import pandas as pd, numpy as np, statsmodels.api as sm
cols = ["Ease of Online Booking","Departure and Arrival Time Convenience","Check-in Service","Gate Location","Online Boarding","Seat Comfort","Leg Room Service","Cleanliness","Food and Drink","In-flight Wifi Service","In-flight Entertainment","On-board Service","In-flight Service","Baggage Handling"]
d = pd.read_csv("../shared/data/airline_passenger_satisfaction.csv")
long = d.melt(id_vars=["ID"], value_vars=cols, value_name="r").query("r != 0")
y = (long["r"] - 4).to_numpy(dtype=float)
r = sm.OLS(y, np.ones(len(y))).fit(cov_type="cluster", cov_kwds={"groups": long["ID"].to_numpy()})
met = (y >= 0).astype(float)
rm = sm.OLS(met, np.ones(len(y))).fit(cov_type="cluster", cov_kwds={"groups": long["ID"].to_numpy()})
print(len(y), long["ID"].nunique(), repr(r.params[0]), repr(r.bse[0]), repr(rm.params[0]), repr(rm.bse[0]))
